export { createGateway, DEFAULT_BODY_LIMIT_BYTES, type GatewayOptions } from './gateway.js';
export { errorBody, type ErrorBody } from './errors.js';
export { decodeBase64Strict } from './base64.js';
