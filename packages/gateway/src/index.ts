export { createGateway } from './gateway.js';
export { DEFAULT_BODY_LIMIT_BYTES, type GatewayOptions, type LoadSheddingOptions, type RateLimitOptions } from './options.js';
export { errorBody, type ErrorBody } from './errors.js';
export { decodeBase64Strict } from './base64.js';
export { tokenSha256, type IssuingDepartment, type IssuingOptions } from './issuing.js';
