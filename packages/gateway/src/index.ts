export { createGateway, type GatewayOptions } from './gateway.js';
export { errorBody, type ErrorBody } from './errors.js';
