import { errorText } from './errors.js';
import { keyFromHex } from './keys.js';
import type { P2pLogEvent } from './options.js';

export type PeerListener = (peer: Uint8Array) => void;

export interface PresenceHooks {
  log: (event: P2pLogEvent) => void;
  /** The peer stopped being connected: whatever waits on it must fail now. */
  onDisconnected: (peer: string, reason: string) => void;
}

/**
 * Whether each peer is connected: our sending stream to it is open and at least
 * one stream it opened towards us is (so a request can go out and its answer
 * come back). Logs and tells listeners each change, once.
 */
export class PeerPresence {
  private readonly outbound = new Set<string>();
  /** More than one while a reconnect overlaps the stream it replaces. */
  private readonly inbound = new Map<string, number>();
  private readonly connected = new Set<string>();
  private readonly connectedListeners = new Set<PeerListener>();
  private readonly disconnectedListeners = new Set<PeerListener>();

  constructor(private readonly hooks: PresenceHooks) {}

  isConnected(peer: string): boolean {
    return this.connected.has(peer);
  }

  connectedPeers(): string[] {
    return [...this.connected];
  }

  /** Returns a function that removes the listener. */
  onConnected(listener: PeerListener): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  onDisconnected(listener: PeerListener): () => void {
    this.disconnectedListeners.add(listener);
    return () => this.disconnectedListeners.delete(listener);
  }

  outboundOpened(peer: string): void {
    this.outbound.add(peer);
    this.update(peer, 'our stream opened');
  }

  outboundClosed(peer: string, reason: string): void {
    this.outbound.delete(peer);
    this.update(peer, reason);
  }

  inboundOpened(peer: string): void {
    this.inbound.set(peer, (this.inbound.get(peer) ?? 0) + 1);
    this.update(peer, 'peer opened its stream');
  }

  inboundClosed(peer: string, reason: string): void {
    const remaining = (this.inbound.get(peer) ?? 1) - 1;
    if (remaining > 0) this.inbound.set(peer, remaining);
    else this.inbound.delete(peer);
    this.update(peer, reason);
  }

  /** Forgets every stream without announcing anything: the node has stopped. */
  clear(): void {
    this.outbound.clear();
    this.inbound.clear();
    this.connected.clear();
  }

  private update(peer: string, reason: string): void {
    const bothOpen = this.outbound.has(peer) && this.inbound.has(peer);
    if (bothOpen === this.connected.has(peer)) return;
    if (bothOpen) {
      this.connected.add(peer);
      this.hooks.log({ event: 'peer-connected', peer });
      this.notify(this.connectedListeners, peer);
      return;
    }
    this.connected.delete(peer);
    this.hooks.onDisconnected(peer, reason);
    this.hooks.log({ event: 'peer-disconnected', peer, reason });
    this.notify(this.disconnectedListeners, peer);
  }

  private notify(listeners: Set<PeerListener>, peer: string): void {
    for (const listener of listeners) {
      try {
        listener(keyFromHex(peer));
      } catch (error) {
        this.hooks.log({ event: 'handler-failed', peer, reason: errorText(error) });
      }
    }
  }
}
