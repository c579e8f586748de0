import type { Connection, Ed25519PrivateKey, PeerId, Stream } from '@libp2p/interface';
import type { Libp2p } from 'libp2p';
import { errorText, P2pError } from './errors.js';
import { encodeFrame, FrameKind, type Frame } from './frame.js';
import { PeerAdmission } from './admission.js';
import { createHost } from './host.js';
import { readFrames } from './inbound.js';
import {
  assertEd25519PublicKey,
  ed25519KeyOfPeerId,
  ed25519PrivateKeyFromSeed,
  keyFromHex,
  keyHex,
  peerIdFromEd25519Key,
} from './keys.js';
import {
  assertKnownChannel,
  assertPayload,
  resolveOptions,
  type P2pLogEvent,
  type PeerNodeOptions,
  type ResolvedOptions,
} from './options.js';
import { OutboundLink, type QueueStatus } from './outbound-link.js';
import { PeerPresence, type PeerListener } from './presence.js';
import { Redialer, type DialOutcome } from './redial.js';
import { RequestServer, type RequestHandler } from './request-server.js';
import { PendingRequests } from './requests.js';
import { FrameRouter, type MessageHandler } from './router.js';

export type { MessageHandler, PeerListener };

const STOP_GRACE_MS = 1000;
const MAX_REQUEST_TIMEOUT_MS = 600_000;
const MAX_STREAMS_PER_CONNECTION = 4;

export async function createPeerNode(options: PeerNodeOptions): Promise<PeerNode> {
  const privateKey = await ed25519PrivateKeyFromSeed(options.seed);
  return new PeerNode(privateKey, resolveOptions(options, keyHex(privateKey.publicKey.raw)));
}

/**
 * A node's links to its authorised peers. Each node opens one long-lived stream
 * to each peer and only writes to it; it reads what peers send on the streams
 * they opened. A peer is "connected" while both are open, so that a request can
 * go out and its answer come back. Create with {@link createPeerNode}.
 */
export class PeerNode {
  readonly publicKey: Uint8Array;
  readonly peerId: string;
  private host: Libp2p | undefined;
  private state: 'stopped' | 'starting' | 'started' | 'stopping' = 'stopped';
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private allowListTimer: ReturnType<typeof setInterval> | undefined;
  private readonly links = new Map<string, OutboundLink>();
  private readonly presence: PeerPresence;
  private readonly router: FrameRouter;
  private readonly admission: PeerAdmission;
  private readonly pending = new PendingRequests();
  private readonly requestServer: RequestServer;
  private readonly redialer: Redialer;

  constructor(
    private readonly privateKey: Ed25519PrivateKey,
    private readonly options: ResolvedOptions,
  ) {
    this.publicKey = Uint8Array.from(privateKey.publicKey.raw);
    this.peerId = peerIdFromEd25519Key(this.publicKey).toString();
    this.admission = new PeerAdmission({
      ownHex: keyHex(this.publicKey),
      configured: new Set(options.peers.keys()),
      allowedKeys: options.allowedKeys,
      banMs: options.banMs,
      onAllowedKeysProblem: (reason) => this.log({ event: 'allowed-keys-failed', reason }),
    });
    this.redialer = new Redialer(options.redialMinMs, options.redialMaxMs, (peer) => this.ensureLink(peer));
    this.requestServer = new RequestServer({
      maxConcurrentPerPeer: options.maxConcurrentRequestsPerPeer,
      maxAnswerBytes: options.maxMessageBytes,
      reply: (peer, frame) => this.sendFrame(peer, frame),
      log: (event) => this.log(event),
    });
    this.presence = new PeerPresence({
      log: (event) => this.log(event),
      onDisconnected: (peer, reason) => {
        this.pending.failPeer(peer, new P2pError('peer-disconnected', `peer ${peer} disconnected: ${reason}`));
      },
    });
    this.router = new FrameRouter({ requestServer: this.requestServer, pending: this.pending, log: (event) => this.log(event) });
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
  stop(): Promise<void> {
    this.stopping ??= this.shutdown().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => {});
    const host = this.host;
    if (this.state !== 'started' || host === undefined) return;
    this.state = 'stopping';
    clearInterval(this.allowListTimer);
    this.allowListTimer = undefined;
    this.redialer.cancelAll();
    this.pending.failAll(new P2pError('stopped', 'node stopped'));
    await Promise.all([...this.links.values()].map((link) => link.close(STOP_GRACE_MS)));
    host.removeEventListener('connection:open', this.onConnectionOpen);
    await host.stop();
    this.links.clear();
    this.presence.clear();
    this.requestServer.reset();
    this.host = undefined;
    this.state = 'stopped';
    this.log({ event: 'stopped' });
  }

  listenAddresses(): string[] {
    return this.host?.getMultiaddrs().map((address) => address.toString()) ?? [];
  }

  onMessage(channel: string, handler: MessageHandler): void {
    assertKnownChannel(this.options, channel);
    this.router.onMessage(channel, handler);
  }

  onRequest(channel: string, handler: RequestHandler): void {
    assertKnownChannel(this.options, channel);
    this.requestServer.register(channel, handler);
  }

  /** Queues a message; false when our stream to the peer is not open or its queue is full. */
  send(to: Uint8Array, channel: string, payload: Uint8Array): boolean {
    const peer = this.checkTarget(to);
    assertKnownChannel(this.options, channel);
    assertPayload(this.options, payload);
    return this.sendFrame(peer, { kind: FrameKind.message, channel, requestId: 0, payload });
  }

  /** Queues a message to every peer our stream to is open; returns how many accepted it. */
  broadcast(channel: string, payload: Uint8Array): number {
    assertKnownChannel(this.options, channel);
    assertPayload(this.options, payload);
    const frame = encodeFrame({ kind: FrameKind.message, channel, requestId: 0, payload });
    let accepted = 0;
    for (const link of this.links.values()) if (link.enqueue(frame)) accepted++;
    return accepted;
  }

  /** Rejects with P2pError: not-connected, queue-full, too-many-requests, timeout, remote-error, peer-disconnected, stopped. */
  async request(to: Uint8Array, channel: string, payload: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const peer = this.checkTarget(to);
    assertKnownChannel(this.options, channel);
    assertPayload(this.options, payload);
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_REQUEST_TIMEOUT_MS) {
      throw new RangeError(`timeoutMs must be an integer in 1..${MAX_REQUEST_TIMEOUT_MS}, got ${timeoutMs}`);
    }
    if (this.state !== 'started') throw new P2pError('not-started', 'node is not started');
    const link = this.links.get(peer);
    if (link === undefined || !this.presence.isConnected(peer)) {
      throw new P2pError('not-connected', `peer ${peer} is not connected`);
    }
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
    return this.presence.connectedPeers().map(keyFromHex);
  }

  isConnected(peer: Uint8Array): boolean {
    return this.presence.isConnected(this.checkTarget(peer));
  }

  queueStatus(peer: Uint8Array): QueueStatus | undefined {
    return this.links.get(this.checkTarget(peer))?.status();
  }

  /** Called when a peer becomes connected (both streams open); returns a function that removes the listener. */
  onPeerConnected(listener: PeerListener): () => void {
    return this.presence.onConnected(listener);
  }

  onPeerDisconnected(listener: PeerListener): () => void {
    return this.presence.onDisconnected(listener);
  }

  /**
   * Drops the connections of peers no longer allowed; returns how many. Runs every
   * allowListCheckMs by itself; call it after allowedKeys changed to act at once.
   */
  enforceAllowList(): number {
    const allowedNow = this.admission.allowedSnapshot();
    let closed = 0;
    for (const connection of this.host?.getConnections() ?? []) {
      const admission = this.admission.admitPeerId(connection.remotePeer, allowedNow);
      if (admission.allowed) continue;
      const reason = `no longer authorised: ${admission.reason}`;
      const peer = this.describe(connection.remotePeer);
      this.log({ event: 'connection-refused', peer, direction: connection.direction, reason });
      connection.abort(new Error(reason));
      closed++;
    }
    return closed;
  }

  private async launch(): Promise<void> {
    const host = await createHost({
      privateKey: this.privateKey,
      listen: this.options.listen,
      dialTimeoutMs: this.options.dialTimeoutMs,
      admit: (peerId) => this.admission.admitPeerId(peerId),
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
    this.allowListTimer = setInterval(() => this.enforceAllowList(), this.options.allowListCheckMs);
    this.redialer.restart();
    for (const peer of this.options.peers.keys()) this.redialer.schedule(peer, true);
    this.log({ event: 'started', addresses: this.listenAddresses() });
  }

  private readonly onConnectionOpen = (event: CustomEvent<Connection>): void => {
    const key = ed25519KeyOfPeerId(event.detail.remotePeer);
    if (key === undefined || this.state !== 'started') return;
    const peer = keyHex(key);
    if (!this.links.has(peer) && this.admission.admitKey(peer).allowed) this.redialer.schedule(peer, true);
  };

  /** One dial attempt for the redialer: opens our sending stream to the peer. */
  private async ensureLink(peer: string): Promise<DialOutcome> {
    const host = this.host;
    if (host === undefined || this.state !== 'started') return 'give-up';
    if (this.links.get(peer)?.isOpen === true) return 'connected';
    const configured = this.options.peers.get(peer);
    const failed: DialOutcome = configured === undefined ? 'give-up' : 'retry';
    const peerId = configured?.peerId ?? peerIdFromEd25519Key(keyFromHex(peer));
    if (!this.admission.admitKey(peer).allowed) return failed;
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
    this.presence.outboundOpened(peer);
  }

  private onLinkClosed(peer: string, link: OutboundLink, reason: string): void {
    if (this.links.get(peer) !== link) return;
    this.links.delete(peer);
    this.presence.outboundClosed(peer, this.state === 'stopping' ? 'node stopping' : reason);
    if (this.state === 'started') this.redialer.schedule(peer, false);
  }

  private acceptStream(stream: Stream, connection: Connection): void {
    const key = ed25519KeyOfPeerId(connection.remotePeer);
    const admission = this.admission.admitPeerId(connection.remotePeer);
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
        onFrame: (frame) => this.router.route(peer, frame),
        onViolation: (error) => this.punish(peer, error.code, error.message),
      },
    );
    this.presence.inboundOpened(peer);
    stream.addEventListener(
      'close',
      (event) => {
        const reason = this.state === 'stopping' ? 'node stopping' : (event.error?.message ?? 'peer closed its stream');
        this.presence.inboundClosed(peer, reason);
      },
      { once: true },
    );
    if (this.state === 'started' && !this.links.has(peer)) this.redialer.schedule(peer, true);
  }

  private sendFrame(peer: string, frame: Frame): boolean {
    const link = this.links.get(peer);
    return link !== undefined && link.enqueue(encodeFrame(frame));
  }

  /** Logs the violation, bans the key for banMs and drops every connection to the peer. */
  private punish(peer: string, code: string, reason: string): void {
    this.log({ event: 'protocol-violation', peer, code, reason });
    this.admission.ban(peer);
    this.links.get(peer)?.abort(`protocol violation: ${reason}`);
    const peerId = peerIdFromEd25519Key(keyFromHex(peer));
    for (const connection of this.host?.getConnections(peerId) ?? []) {
      connection.abort(new Error(`protocol violation: ${reason}`));
    }
  }

  private checkTarget(peer: Uint8Array): string {
    assertEd25519PublicKey(peer, 'peer');
    return keyHex(peer);
  }

  private describe(peerId: PeerId): string {
    const key = ed25519KeyOfPeerId(peerId);
    return key === undefined ? peerId.toString() : keyHex(key);
  }

  private log(event: P2pLogEvent): void {
    try {
      this.options.logger(event);
    } catch {
      // A broken logger must not take the network layer down with it.
    }
  }
}
