import type { Connection, Ed25519PrivateKey, PeerId, Stream } from '@libp2p/interface';
import type { Libp2p } from 'libp2p';
import { P2pError } from './errors.js';
import { encodeFrame, FrameKind, type Frame } from './frame.js';
import { createHost, type Admission } from './host.js';
import { readFrames } from './inbound.js';
import {
  assertEd25519PublicKey,
  ed25519KeyOfPeerId,
  ed25519PrivateKeyFromSeed,
  keyFromHex,
  keyHex,
  peerIdFromEd25519Key,
} from './keys.js';
import { resolveOptions, type P2pLogEvent, type PeerNodeOptions, type ResolvedOptions } from './options.js';
import { OutboundLink, type QueueStatus } from './outbound-link.js';
import { Redialer, type DialOutcome } from './redial.js';
import { RequestServer, type RequestHandler } from './request-server.js';
import { PendingRequests } from './requests.js';

export type MessageHandler = (from: Uint8Array, payload: Uint8Array) => void;
export type PeerListener = (peer: Uint8Array) => void;

const STOP_GRACE_MS = 1000;
const MAX_REQUEST_TIMEOUT_MS = 600_000;
const MAX_STREAMS_PER_CONNECTION = 4;

export async function createPeerNode(options: PeerNodeOptions): Promise<PeerNode> {
  const privateKey = await ed25519PrivateKeyFromSeed(options.seed);
  return new PeerNode(privateKey, resolveOptions(options, keyHex(privateKey.publicKey.raw)));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A node's links to its authorised peers. Each node opens one long-lived stream
 * to each peer and only writes to it; it reads what peers send on the streams
 * they opened. "Connected" means our sending stream to that peer is open.
 * Create with {@link createPeerNode}.
 */
export class PeerNode {
  readonly publicKey: Uint8Array;
  readonly peerId: string;
  private readonly ownHex: string;
  private host: Libp2p | undefined;
  private state: 'stopped' | 'starting' | 'started' | 'stopping' = 'stopped';
  private starting: Promise<void> | undefined;
  private readonly links = new Map<string, OutboundLink>();
  private readonly messageHandlers = new Map<string, MessageHandler>();
  private readonly bannedUntil = new Map<string, number>();
  private readonly pending = new PendingRequests();
  private readonly requestServer: RequestServer;
  private readonly connectedListeners = new Set<PeerListener>();
  private readonly disconnectedListeners = new Set<PeerListener>();
  private readonly redialer: Redialer;

  constructor(
    private readonly privateKey: Ed25519PrivateKey,
    private readonly options: ResolvedOptions,
  ) {
    this.publicKey = Uint8Array.from(privateKey.publicKey.raw);
    this.ownHex = keyHex(this.publicKey);
    this.peerId = peerIdFromEd25519Key(this.publicKey).toString();
    this.redialer = new Redialer(options.redialMinMs, options.redialMaxMs, (peer) => this.ensureLink(peer));
    this.requestServer = new RequestServer({
      maxConcurrentPerPeer: options.maxConcurrentRequestsPerPeer,
      maxAnswerBytes: options.maxMessageBytes,
      reply: (peer, frame) => this.sendFrame(peer, frame),
      log: (event) => this.log(event),
    });
  }

  async start(): Promise<void> {
    if (this.state !== 'stopped') throw new Error(`cannot start: node is ${this.state}`);
    this.state = 'starting';
    this.starting = this.launch();
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
  }

  /** Closes our streams (letting queued frames leave for up to 1 s), then the libp2p node. */
  async stop(): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => {});
    const host = this.host;
    if (this.state !== 'started' || host === undefined) return;
    this.state = 'stopping';
    this.redialer.cancelAll();
    this.pending.failAll(new P2pError('stopped', 'node stopped'));
    await Promise.all([...this.links.values()].map((link) => link.close(STOP_GRACE_MS)));
    host.removeEventListener('connection:open', this.onConnectionOpen);
    await host.stop();
    this.links.clear();
    this.requestServer.reset();
    this.host = undefined;
    this.state = 'stopped';
    this.log({ event: 'stopped' });
  }

  listenAddresses(): string[] {
    return this.host?.getMultiaddrs().map((address) => address.toString()) ?? [];
  }

  onMessage(channel: string, handler: MessageHandler): void {
    this.checkChannel(channel);
    if (this.messageHandlers.has(channel)) throw new Error(`a message handler is already registered on '${channel}'`);
    this.messageHandlers.set(channel, handler);
  }

  onRequest(channel: string, handler: RequestHandler): void {
    this.checkChannel(channel);
    this.requestServer.register(channel, handler);
  }

  /** Queues a message; false when the peer is not connected or its queue is full. */
  send(to: Uint8Array, channel: string, payload: Uint8Array): boolean {
    const peer = this.checkTarget(to);
    this.checkChannel(channel);
    this.checkPayload(payload);
    return this.sendFrame(peer, { kind: FrameKind.message, channel, requestId: 0, payload });
  }

  /** Queues a message to every connected peer; returns how many accepted it. */
  broadcast(channel: string, payload: Uint8Array): number {
    this.checkChannel(channel);
    this.checkPayload(payload);
    const frame = encodeFrame({ kind: FrameKind.message, channel, requestId: 0, payload });
    let accepted = 0;
    for (const link of this.links.values()) if (link.enqueue(frame)) accepted++;
    return accepted;
  }

  /** Rejects with P2pError: not-connected, queue-full, too-many-requests, timeout, remote-error, peer-disconnected, stopped. */
  async request(to: Uint8Array, channel: string, payload: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const peer = this.checkTarget(to);
    this.checkChannel(channel);
    this.checkPayload(payload);
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_REQUEST_TIMEOUT_MS) {
      throw new RangeError(`timeoutMs must be an integer in 1..${MAX_REQUEST_TIMEOUT_MS}, got ${timeoutMs}`);
    }
    if (this.state !== 'started') throw new P2pError('not-started', 'node is not started');
    const link = this.links.get(peer);
    if (link === undefined || !link.isOpen) throw new P2pError('not-connected', `peer ${peer} is not connected`);
    if (this.pending.countFor(peer) >= this.options.maxPendingRequestsPerPeer) {
      throw new P2pError('too-many-requests', `already ${this.options.maxPendingRequestsPerPeer} requests waiting on peer ${peer}`);
    }
    const { id, answer } = this.pending.open(peer, channel, timeoutMs);
    if (!link.enqueue(encodeFrame({ kind: FrameKind.request, channel, requestId: id, payload }))) {
      this.pending.reject(peer, id, channel, new P2pError('queue-full', `outbound queue to peer ${peer} is full`));
    }
    return answer;
  }

  connectedPeers(): Uint8Array[] {
    return [...this.links].filter(([, link]) => link.isOpen).map(([peer]) => keyFromHex(peer));
  }

  isConnected(peer: Uint8Array): boolean {
    return this.links.get(this.checkTarget(peer))?.isOpen === true;
  }

  queueStatus(peer: Uint8Array): QueueStatus | undefined {
    return this.links.get(this.checkTarget(peer))?.status();
  }

  /** Returns a function that removes the listener. */
  onPeerConnected(listener: PeerListener): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  onPeerDisconnected(listener: PeerListener): () => void {
    this.disconnectedListeners.add(listener);
    return () => this.disconnectedListeners.delete(listener);
  }

  /** Drops connections of peers no longer allowed (call after allowedKeys changed); returns how many. */
  enforceAllowList(): number {
    let closed = 0;
    for (const connection of this.host?.getConnections() ?? []) {
      const admission = this.admitPeerId(connection.remotePeer);
      if (admission.allowed) continue;
      connection.abort(new Error(`peer no longer authorised: ${admission.reason}`));
      closed++;
    }
    return closed;
  }

  private async launch(): Promise<void> {
    const host = await createHost({
      privateKey: this.privateKey,
      listen: this.options.listen,
      dialTimeoutMs: this.options.dialTimeoutMs,
      admit: (peerId) => this.admitPeerId(peerId),
      onRefused: (peerId, direction, reason) => this.log({ event: 'connection-refused', peer: this.describe(peerId), direction, reason }),
    });
    this.host = host;
    try {
      await host.handle(this.options.protocol, (stream, connection) => this.acceptStream(stream, connection), {
        maxInboundStreams: MAX_STREAMS_PER_CONNECTION,
        maxOutboundStreams: MAX_STREAMS_PER_CONNECTION,
      });
      host.addEventListener('connection:open', this.onConnectionOpen);
      await host.start();
      for (const peer of this.options.peers.values()) {
        await host.peerStore.merge(peer.peerId, { multiaddrs: peer.addresses });
      }
    } catch (error) {
      host.removeEventListener('connection:open', this.onConnectionOpen);
      await Promise.resolve(host.stop()).catch(() => {});
      this.host = undefined;
      this.state = 'stopped';
      throw error;
    }
    this.state = 'started';
    this.redialer.restart();
    for (const peer of this.options.peers.keys()) this.redialer.schedule(peer, true);
    this.log({ event: 'started', addresses: this.listenAddresses() });
  }

  private readonly onConnectionOpen = (event: CustomEvent<Connection>): void => {
    const key = ed25519KeyOfPeerId(event.detail.remotePeer);
    if (key === undefined || this.state !== 'started') return;
    const peer = keyHex(key);
    if (!this.links.has(peer) && this.admitKey(peer).allowed) this.redialer.schedule(peer, true);
  };

  /** One dial attempt for the redialer: opens our sending stream to the peer. */
  private async ensureLink(peer: string): Promise<DialOutcome> {
    const host = this.host;
    if (host === undefined || this.state !== 'started') return 'give-up';
    if (this.links.get(peer)?.isOpen === true) return 'connected';
    const configured = this.options.peers.get(peer);
    const failed: DialOutcome = configured === undefined ? 'give-up' : 'retry';
    const peerId = configured?.peerId ?? peerIdFromEd25519Key(keyFromHex(peer));
    if (!this.admitKey(peer).allowed) return failed;
    // A peer we have no address for is only reachable over the connection it made to us.
    if (configured === undefined && host.getConnections(peerId).length === 0) return 'give-up';
    let stream: Stream;
    try {
      stream = await host.dialProtocol(peerId, this.options.protocol, {
        signal: AbortSignal.timeout(this.options.dialTimeoutMs),
        negotiateFully: true,
      });
    } catch (error) {
      this.log({ event: 'dial-failed', peer, reason: errorText(error) });
      return failed;
    }
    if (this.host !== host || this.state !== 'started' || this.links.get(peer)?.isOpen === true) {
      stream.abort(new Error('link no longer needed'));
      return this.links.has(peer) ? 'connected' : 'give-up';
    }
    this.installLink(peer, stream);
    return 'connected';
  }

  private installLink(peer: string, stream: Stream): void {
    const link = new OutboundLink(
      stream,
      { maxQueuedBytes: this.options.maxQueuedBytesPerPeer, maxQueuedFrames: this.options.maxQueuedFramesPerPeer },
      (reason) => this.onLinkClosed(peer, link, reason),
    );
    // The peer never writes on the stream we opened; data there means it does not speak our protocol.
    stream.addEventListener('message', () => this.punish(peer, 'unexpected-data', 'peer wrote on our sending stream'), {
      once: true,
    });
    this.links.set(peer, link);
    this.log({ event: 'peer-connected', peer });
    for (const listener of this.connectedListeners) this.callSafely(() => listener(keyFromHex(peer)), peer);
  }

  private onLinkClosed(peer: string, link: OutboundLink, streamReason: string): void {
    if (this.links.get(peer) !== link) return;
    const reason = this.state === 'stopping' ? 'node stopping' : streamReason;
    this.links.delete(peer);
    this.pending.failPeer(peer, new P2pError('peer-disconnected', `peer ${peer} disconnected: ${reason}`));
    this.log({ event: 'peer-disconnected', peer, reason });
    for (const listener of this.disconnectedListeners) this.callSafely(() => listener(keyFromHex(peer)), peer);
    if (this.state === 'started') this.redialer.schedule(peer, false);
  }

  private acceptStream(stream: Stream, connection: Connection): void {
    const key = ed25519KeyOfPeerId(connection.remotePeer);
    const admission = this.admitPeerId(connection.remotePeer);
    if (key === undefined || !admission.allowed || this.host === undefined) {
      const reason = admission.allowed ? 'node is stopping' : admission.reason;
      this.log({ event: 'connection-refused', peer: this.describe(connection.remotePeer), direction: 'inbound', reason });
      stream.abort(new Error(reason));
      return;
    }
    const peer = keyHex(key);
    readFrames(
      stream,
      { maxPayloadBytes: this.options.maxMessageBytes, isKnownChannel: (channel) => this.options.channels.has(channel) },
      {
        onFrame: (frame) => this.dispatch(peer, frame),
        onViolation: (error) => this.punish(peer, error.code, error.message),
      },
    );
    if (this.state === 'started' && !this.links.has(peer)) this.redialer.schedule(peer, true);
  }

  private dispatch(peer: string, frame: Frame): void {
    switch (frame.kind) {
      case FrameKind.message: {
        const handler = this.messageHandlers.get(frame.channel);
        if (handler === undefined) {
          this.log({ event: 'message-dropped', peer, channel: frame.channel, reason: 'no handler registered' });
          return;
        }
        this.callSafely(() => handler(keyFromHex(peer), frame.payload), peer, frame.channel);
        return;
      }
      case FrameKind.request:
        this.requestServer.serve(peer, frame);
        return;
      case FrameKind.response:
        if (!this.pending.resolve(peer, frame.requestId, frame.channel, frame.payload)) {
          this.log({ event: 'message-dropped', peer, channel: frame.channel, reason: 'answer to no waiting request' });
        }
        return;
      case FrameKind.errorResponse: {
        const text = new TextDecoder().decode(frame.payload);
        const error = new P2pError('remote-error', `peer ${peer} could not answer on '${frame.channel}': ${text}`);
        this.pending.reject(peer, frame.requestId, frame.channel, error);
        return;
      }
    }
  }

  private sendFrame(peer: string, frame: Frame): boolean {
    const link = this.links.get(peer);
    return link !== undefined && link.enqueue(encodeFrame(frame));
  }

  /** Logs the violation, bans the key for banMs and drops every connection to the peer. */
  private punish(peer: string, code: string, reason: string): void {
    this.log({ event: 'protocol-violation', peer, code, reason });
    if (this.options.banMs > 0) this.bannedUntil.set(peer, Date.now() + this.options.banMs);
    this.links.get(peer)?.abort(`protocol violation: ${reason}`);
    const peerId = peerIdFromEd25519Key(keyFromHex(peer));
    for (const connection of this.host?.getConnections(peerId) ?? []) {
      connection.abort(new Error(`protocol violation: ${reason}`));
    }
  }

  private admitPeerId(peerId: PeerId): Admission {
    const key = ed25519KeyOfPeerId(peerId);
    if (key === undefined) return { allowed: false, reason: `peer id ${peerId.toString()} is not an Ed25519 key` };
    return this.admitKey(keyHex(key));
  }

  /** The gater rule: a configured peer or a key allowedKeys() names, not ourselves, not banned. */
  private admitKey(peer: string): Admission {
    if (peer === this.ownHex) return { allowed: false, reason: 'own key' };
    if (this.isBanned(peer)) return { allowed: false, reason: 'banned after a protocol violation' };
    if (this.options.peers.has(peer) || this.allowedKeysInclude(peer)) return { allowed: true };
    return { allowed: false, reason: 'key is not in the authorised set' };
  }

  private allowedKeysInclude(peer: string): boolean {
    const allowedKeys = this.options.allowedKeys;
    if (allowedKeys === undefined) return false;
    try {
      for (const key of allowedKeys()) {
        if (key instanceof Uint8Array && key.length === 32 && keyHex(key) === peer) return true;
      }
    } catch (error) {
      this.log({ event: 'allowed-keys-failed', reason: errorText(error) });
    }
    return false;
  }

  private isBanned(peer: string): boolean {
    const until = this.bannedUntil.get(peer);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.bannedUntil.delete(peer);
    return false;
  }

  private checkTarget(peer: Uint8Array): string {
    assertEd25519PublicKey(peer, 'peer');
    return keyHex(peer);
  }

  private checkChannel(channel: string): void {
    if (!this.options.channels.has(channel)) {
      throw new TypeError(`unknown channel ${JSON.stringify(channel)}; configured: ${[...this.options.channels].join(', ')}`);
    }
  }

  private checkPayload(payload: Uint8Array): void {
    if (!(payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
    if (payload.length > this.options.maxMessageBytes) {
      throw new RangeError(`payload of ${payload.length} bytes exceeds maxMessageBytes ${this.options.maxMessageBytes}`);
    }
  }

  private describe(peerId: PeerId): string {
    const key = ed25519KeyOfPeerId(peerId);
    return key === undefined ? peerId.toString() : keyHex(key);
  }

  private callSafely(call: () => void, peer: string, channel?: string): void {
    try {
      call();
    } catch (error) {
      this.log({ event: 'handler-failed', peer, ...(channel === undefined ? {} : { channel }), reason: errorText(error) });
    }
  }

  private log(event: P2pLogEvent): void {
    try {
      this.options.logger(event);
    } catch {
      // A broken logger must not take the network layer down with it.
    }
  }
}
