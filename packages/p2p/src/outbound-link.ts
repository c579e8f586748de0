import type { Stream } from '@libp2p/interface';

export interface QueueLimits {
  maxQueuedBytes: number;
  maxQueuedFrames: number;
}

export interface QueueStatus {
  frames: number;
  bytes: number;
}

/**
 * The stream we opened towards one peer, used only for sending. Frames go
 * straight to the stream while it accepts data; once the transport signals
 * back-pressure they wait in a bounded queue, and when that is full new frames
 * are refused (the caller sees `false`) rather than older ones dropped, so a
 * frame that was accepted is never silently discarded while the link is up.
 */
export class OutboundLink {
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private open = true;
  private readonly flushWaiters = new Set<() => void>();

  constructor(
    readonly stream: Stream,
    private readonly limits: QueueLimits,
    onClosed: (reason: string) => void,
  ) {
    stream.addEventListener('drain', () => this.flush());
    stream.addEventListener(
      'close',
      (event) => {
        this.markClosed();
        onClosed(event.error?.message ?? (event.local === true ? 'closed locally' : 'closed by peer'));
      },
      { once: true },
    );
  }

  get isOpen(): boolean {
    return this.open;
  }

  status(): QueueStatus {
    return { frames: this.queue.length, bytes: this.queuedBytes };
  }

  /** Returns false when the link is closed or the queue has no room for this frame. */
  enqueue(frame: Uint8Array): boolean {
    if (!this.open) return false;
    if (this.queue.length === 0 && !this.stream.writableNeedsDrain) return this.write(frame);
    if (this.queue.length >= this.limits.maxQueuedFrames) return false;
    if (this.queuedBytes + frame.length > this.limits.maxQueuedBytes) return false;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    return true;
  }

  /** Gives queued frames up to `timeoutMs` to leave, then closes the stream (or aborts it). */
  async close(timeoutMs: number): Promise<void> {
    if (!this.open) return;
    const signal = AbortSignal.timeout(timeoutMs);
    if (this.queue.length > 0) await this.waitForEmptyQueue(signal);
    try {
      await this.stream.close({ signal });
    } catch (error) {
      this.stream.abort(error instanceof Error ? error : new Error(String(error)));
    }
    this.markClosed();
  }

  abort(reason: string): void {
    if (!this.open) return;
    this.stream.abort(new Error(reason));
    this.markClosed();
  }

  private write(frame: Uint8Array): boolean {
    try {
      this.stream.send(frame);
      return true;
    } catch (error) {
      this.abort(`send failed: ${(error as Error).message}`);
      return false;
    }
  }

  private flush(): void {
    while (this.open && this.queue.length > 0 && !this.stream.writableNeedsDrain) {
      const frame = this.queue.shift()!;
      this.queuedBytes -= frame.length;
      if (!this.write(frame)) return;
    }
    if (this.queue.length === 0) this.notifyFlushed();
  }

  private waitForEmptyQueue(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        this.flushWaiters.delete(done);
        resolve();
      };
      this.flushWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private notifyFlushed(): void {
    for (const waiter of [...this.flushWaiters]) waiter();
  }

  private markClosed(): void {
    this.open = false;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.notifyFlushed();
  }
}
