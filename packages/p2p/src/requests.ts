import { P2pError } from './errors.js';

interface PendingRequest {
  peer: string;
  channel: string;
  resolve: (payload: Uint8Array) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const MAX_REQUEST_ID = 0xffff_ffff;

/** Our requests that wait for an answer, each with its own deadline. */
export class PendingRequests {
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;

  countFor(peer: string): number {
    let count = 0;
    for (const request of this.pending.values()) if (request.peer === peer) count++;
    return count;
  }

  /** Registers a request; the promise settles on answer, timeout, disconnect or stop. */
  open(peer: string, channel: string, timeoutMs: number): { id: number; answer: Promise<Uint8Array> } {
    const id = this.allocateId();
    const answer = new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new P2pError('timeout', `request to peer ${peer} on channel '${channel}' timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { peer, channel, resolve, reject, timer });
    });
    return { id, answer };
  }

  /** Returns false when no such request waits from that peer on that channel (e.g. it timed out). */
  resolve(peer: string, id: number, channel: string, payload: Uint8Array): boolean {
    const request = this.take(peer, id, channel);
    request?.resolve(payload);
    return request !== undefined;
  }

  reject(peer: string, id: number, channel: string, error: Error): boolean {
    const request = this.take(peer, id, channel);
    request?.reject(error);
    return request !== undefined;
  }

  failPeer(peer: string, error: Error): void {
    for (const [id, request] of this.pending) {
      if (request.peer === peer) this.take(peer, id, request.channel)?.reject(error);
    }
  }

  failAll(error: Error): void {
    for (const [id, request] of this.pending) this.take(request.peer, id, request.channel)?.reject(error);
  }

  private take(peer: string, id: number, channel: string): PendingRequest | undefined {
    const request = this.pending.get(id);
    if (request === undefined || request.peer !== peer || request.channel !== channel) return undefined;
    clearTimeout(request.timer);
    this.pending.delete(id);
    return request;
  }

  private allocateId(): number {
    while (this.pending.has(this.nextId)) this.advanceId();
    const id = this.nextId;
    this.advanceId();
    return id;
  }

  private advanceId(): void {
    this.nextId = this.nextId === MAX_REQUEST_ID ? 1 : this.nextId + 1;
  }
}
