/**
 * Work that arrives in large lumps (a peer's gossip message can carry 2,000 transactions, each
 * a signature check) taken a slice at a time, one slice per turn of the event loop. Done in one
 * go, a few such lumps keep the loop busy for more than a second: consensus timers fire late,
 * rounds fail, and the gateway sheds requests as overloaded. Between slices, timers, consensus
 * messages and HTTP requests get their turn.
 */
export class IngestQueue<T> {
  #items: T[] = [];
  #next = 0;
  #scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly handle: (items: readonly T[]) => void,
    private readonly sliceSize: number,
    /** Items waiting at most; beyond it new arrivals are dropped rather than held. */
    private readonly maxWaiting: number,
  ) {}

  get waiting(): number {
    return this.#items.length - this.#next;
  }

  /** Queues what fits; answers how many items were dropped for want of room. */
  push(items: readonly T[]): number {
    const room = Math.max(0, this.maxWaiting - this.waiting);
    for (let i = 0; i < Math.min(room, items.length); i++) this.#items.push(items[i]!);
    this.#schedule();
    return Math.max(0, items.length - room);
  }

  stop(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#items = [];
    this.#next = 0;
  }

  #schedule(): void {
    if (this.#scheduled || this.waiting === 0) return;
    this.#scheduled = setImmediate(() => {
      this.#scheduled = undefined;
      const end = Math.min(this.#items.length, this.#next + this.sliceSize);
      const slice = this.#items.slice(this.#next, end);
      this.#next = end;
      // Let go of what was handed over, so a queue that is never empty does not keep it all.
      if (this.#next === this.#items.length || this.#next >= this.sliceSize * 16) {
        this.#items = this.#items.slice(this.#next);
        this.#next = 0;
      }
      this.#schedule();
      this.handle(slice);
    });
  }
}
