import './polyfills.js';

export { createPeerNode, PeerNode, type MessageHandler, type PeerListener } from './peer-node.js';
export type { RequestHandler } from './request-server.js';
export { DEFAULT_PROTOCOL, type PeerConfig, type PeerNodeOptions, type P2pLogEvent } from './options.js';
export { P2pError, type P2pErrorCode } from './errors.js';
export { publicKeyFromSeed } from './keys.js';
export type { QueueStatus } from './outbound-link.js';
export {
  encodeFrame,
  FrameDecoder,
  FrameError,
  FrameKind,
  MAX_CHANNEL_NAME_LENGTH,
  type Frame,
  type FrameErrorCode,
} from './frame.js';
