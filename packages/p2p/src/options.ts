import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import type { PeerId } from '@libp2p/interface';
import { frameOverheadBytes, isValidChannelName, MAX_CHANNEL_NAME_LENGTH } from './frame.js';
import { assertEd25519PublicKey, keyHex, peerIdFromEd25519Key } from './keys.js';

/** Structured log record; `peer` is always the peer's Ed25519 key in hex. */
export interface P2pLogEvent {
  event:
    | 'started'
    | 'stopped'
    | 'peer-connected'
    | 'peer-disconnected'
    | 'connection-refused'
    | 'dial-failed'
    | 'protocol-violation'
    | 'message-dropped'
    | 'handler-failed'
    | 'allowed-keys-failed';
  peer?: string;
  channel?: string;
  reason?: string;
  code?: string;
  direction?: 'inbound' | 'outbound';
  addresses?: string[];
}

export interface PeerConfig {
  /** The peer's raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** Where to dial it, e.g. /ip4/127.0.0.1/tcp/26601 (a /p2p/<id> suffix is added if missing). */
  addresses: string[];
}

export interface PeerNodeOptions {
  /** 32-byte Ed25519 seed: the node's identity. */
  seed: Uint8Array;
  /** Multiaddrs to listen on, e.g. /ip4/127.0.0.1/tcp/26601 (tcp/0 for any free port). */
  listen: string[];
  /** Authorised peers and where to dial them. An entry for the node itself is ignored. */
  peers: PeerConfig[];
  /** Extra keys allowed to connect (e.g. the on-chain validator set); read on every connection. */
  allowedKeys?: () => Iterable<Uint8Array>;
  /** Channel names both sides agree on; a frame on any other channel is a protocol violation. */
  channels: string[];
  /** Largest payload accepted or sent, in bytes. */
  maxMessageBytes: number;
  logger?: (event: P2pLogEvent) => void;
  /** libp2p protocol id of the stream; nodes of different networks should differ here. */
  protocol?: string;
  /** Bound of the per-peer outbound queue in bytes (default max(8 MiB, 4 frames of maxMessageBytes)). */
  maxQueuedBytesPerPeer?: number;
  /** Bound of the per-peer outbound queue in frames (default 1024). */
  maxQueuedFramesPerPeer?: number;
  /** First redial delay after a lost or failed connection (default 200 ms). */
  redialMinMs?: number;
  /** The redial delay doubles up to this bound (default 5000 ms). */
  redialMaxMs?: number;
  /** Time allowed for one dial including protocol negotiation (default 5000 ms). */
  dialTimeoutMs?: number;
  /** How long a peer that broke the framing protocol is refused (default 10000 ms; 0 disables). */
  banMs?: number;
  /** Requests from one peer served at the same time; more are answered with an error (default 16). */
  maxConcurrentRequestsPerPeer?: number;
  /** Our requests waiting for an answer from one peer; more are refused (default 64). */
  maxPendingRequestsPerPeer?: number;
  /** How often connected peers are checked against allowedKeys() and dropped if gone (default 1000 ms). */
  allowListCheckMs?: number;
}

export interface ResolvedPeer {
  hex: string;
  publicKey: Uint8Array;
  peerId: PeerId;
  addresses: Multiaddr[];
}

export interface ResolvedOptions {
  seed: Uint8Array;
  listen: string[];
  peers: Map<string, ResolvedPeer>;
  allowedKeys: (() => Iterable<Uint8Array>) | undefined;
  channels: Set<string>;
  maxMessageBytes: number;
  logger: (event: P2pLogEvent) => void;
  protocol: string;
  maxQueuedBytesPerPeer: number;
  maxQueuedFramesPerPeer: number;
  redialMinMs: number;
  redialMaxMs: number;
  dialTimeoutMs: number;
  banMs: number;
  maxConcurrentRequestsPerPeer: number;
  maxPendingRequestsPerPeer: number;
  allowListCheckMs: number;
}

export const DEFAULT_PROTOCOL = '/certledger/p2p/1.0.0';
const MAX_MESSAGE_BYTES_CEILING = 256 * 1024 * 1024;
// multistream-select sends the id as one newline-terminated line.
const PROTOCOL_PATTERN = /^\/[^\x00-\x1f\x7f]{1,255}$/;

function positiveInteger(value: number | undefined, fallback: number, what: string, allowZero = false): number {
  const resolved = value ?? fallback;
  const lowest = allowZero ? 0 : 1;
  if (!Number.isSafeInteger(resolved) || resolved < lowest) {
    throw new RangeError(`${what} must be an integer >= ${lowest}, got ${String(value)}`);
  }
  return resolved;
}

function resolveAddress(address: string, peerId: PeerId, what: string): Multiaddr {
  let parsed: Multiaddr;
  try {
    parsed = multiaddr(address);
  } catch (error) {
    throw new TypeError(`${what}: invalid multiaddr ${JSON.stringify(address)} (${(error as Error).message})`);
  }
  const named = parsed.getComponents().find((component) => component.name === 'p2p');
  if (named === undefined) return parsed.encapsulate(`/p2p/${peerId.toString()}`);
  if (named.value !== peerId.toString()) {
    throw new TypeError(`${what}: address ${address} names peer ${named.value}, but the key is ${peerId.toString()}`);
  }
  return parsed;
}

export function resolveOptions(options: PeerNodeOptions, ownKeyHex: string): ResolvedOptions {
  if (!Array.isArray(options.listen) || options.listen.some((address) => typeof address !== 'string')) {
    throw new TypeError('listen must be an array of multiaddr strings');
  }
  for (const address of options.listen) {
    try {
      multiaddr(address);
    } catch (error) {
      throw new TypeError(`listen: invalid multiaddr ${JSON.stringify(address)} (${(error as Error).message})`);
    }
  }
  if (!Array.isArray(options.channels) || options.channels.length === 0) {
    throw new TypeError('channels must be a non-empty array of channel names');
  }
  for (const channel of options.channels) {
    if (typeof channel !== 'string' || !isValidChannelName(channel)) {
      throw new TypeError(
        `channel ${JSON.stringify(channel)} must be 1..${MAX_CHANNEL_NAME_LENGTH} chars of [a-z0-9._-], starting with a letter or digit`,
      );
    }
  }
  const maxMessageBytes = positiveInteger(options.maxMessageBytes, NaN, 'maxMessageBytes');
  if (maxMessageBytes > MAX_MESSAGE_BYTES_CEILING) {
    throw new RangeError(`maxMessageBytes must be at most ${MAX_MESSAGE_BYTES_CEILING}, got ${maxMessageBytes}`);
  }
  if (options.allowedKeys !== undefined && typeof options.allowedKeys !== 'function') {
    throw new TypeError('allowedKeys must be a function returning an iterable of public keys');
  }
  if (!Array.isArray(options.peers)) throw new TypeError('peers must be an array');
  if (options.logger !== undefined && typeof options.logger !== 'function') throw new TypeError('logger must be a function');
  const protocol = options.protocol ?? DEFAULT_PROTOCOL;
  if (typeof protocol !== 'string' || !PROTOCOL_PATTERN.test(protocol)) {
    throw new TypeError(
      `protocol must be '/' and 1..255 printable characters, like ${DEFAULT_PROTOCOL}; got ${JSON.stringify(options.protocol)}`,
    );
  }

  const peers = new Map<string, ResolvedPeer>();
  options.peers.forEach((peer, index) => {
    const what = `peers[${index}]`;
    assertEd25519PublicKey(peer?.publicKey, `${what}.publicKey`);
    const hex = keyHex(peer.publicKey);
    if (hex === ownKeyHex) return;
    if (peers.has(hex)) throw new TypeError(`${what}: public key ${hex} is listed twice`);
    if (!Array.isArray(peer.addresses) || peer.addresses.some((address) => typeof address !== 'string')) {
      throw new TypeError(`${what}.addresses must be an array of multiaddr strings`);
    }
    const peerId = peerIdFromEd25519Key(peer.publicKey);
    const addresses = peer.addresses.map((address) => resolveAddress(address, peerId, what));
    peers.set(hex, { hex, publicKey: Uint8Array.from(peer.publicKey), peerId, addresses });
  });

  const largestFrame = maxMessageBytes + frameOverheadBytes('x'.repeat(MAX_CHANNEL_NAME_LENGTH));
  const maxQueuedBytesPerPeer = positiveInteger(
    options.maxQueuedBytesPerPeer,
    Math.max(8 * 1024 * 1024, 4 * largestFrame),
    'maxQueuedBytesPerPeer',
  );
  if (maxQueuedBytesPerPeer < largestFrame) {
    throw new RangeError(`maxQueuedBytesPerPeer must hold at least one full frame (${largestFrame} bytes)`);
  }
  const redialMinMs = positiveInteger(options.redialMinMs, 200, 'redialMinMs');
  const redialMaxMs = positiveInteger(options.redialMaxMs, 5000, 'redialMaxMs');
  if (redialMaxMs < redialMinMs) throw new RangeError('redialMaxMs must be >= redialMinMs');

  return {
    seed: options.seed,
    listen: [...options.listen],
    peers,
    allowedKeys: options.allowedKeys,
    channels: new Set(options.channels),
    maxMessageBytes,
    logger: options.logger ?? (() => {}),
    protocol,
    maxQueuedBytesPerPeer,
    maxQueuedFramesPerPeer: positiveInteger(options.maxQueuedFramesPerPeer, 1024, 'maxQueuedFramesPerPeer'),
    redialMinMs,
    redialMaxMs,
    dialTimeoutMs: positiveInteger(options.dialTimeoutMs, 5000, 'dialTimeoutMs'),
    banMs: positiveInteger(options.banMs, 10_000, 'banMs', true),
    maxConcurrentRequestsPerPeer: positiveInteger(options.maxConcurrentRequestsPerPeer, 16, 'maxConcurrentRequestsPerPeer'),
    maxPendingRequestsPerPeer: positiveInteger(options.maxPendingRequestsPerPeer, 64, 'maxPendingRequestsPerPeer'),
    allowListCheckMs: positiveInteger(options.allowListCheckMs, 1000, 'allowListCheckMs'),
  };
}

export function assertKnownChannel(options: ResolvedOptions, channel: string): void {
  if (!options.channels.has(channel)) {
    throw new TypeError(`unknown channel ${JSON.stringify(channel)}; configured: ${[...options.channels].join(', ')}`);
  }
}

export function assertPayload(options: ResolvedOptions, payload: Uint8Array): void {
  if (!(payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
  if (payload.length > options.maxMessageBytes) {
    throw new RangeError(`payload of ${payload.length} bytes exceeds maxMessageBytes ${options.maxMessageBytes}`);
  }
}
