export type DialOutcome = 'connected' | 'retry' | 'give-up';

interface RedialEntry {
  delayMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  dialing: boolean;
  /** A schedule() arrived while dialing: try again at once if that dial did not connect. */
  rerun: boolean;
}

/**
 * One dial loop per peer with exponential backoff (min → max, doubling), at most
 * one attempt in flight per peer. `cancelAll` leaves no timer behind.
 */
export class Redialer {
  private readonly entries = new Map<string, RedialEntry>();
  private active = true;

  constructor(
    private readonly minDelayMs: number,
    private readonly maxDelayMs: number,
    private readonly dial: (peer: string) => Promise<DialOutcome>,
  ) {}

  /** Ensures a dial attempt is coming: now if `immediately`, else after the current backoff. */
  schedule(peer: string, immediately: boolean): void {
    if (!this.active) return;
    let entry = this.entries.get(peer);
    if (entry === undefined) {
      entry = { delayMs: this.minDelayMs, timer: undefined, dialing: false, rerun: false };
      this.entries.set(peer, entry);
    }
    if (entry.dialing) {
      entry.rerun = entry.rerun || immediately;
      return;
    }
    if (entry.timer !== undefined) {
      if (!immediately) return;
      clearTimeout(entry.timer);
    }
    const delay = immediately ? 0 : entry.delayMs;
    entry.timer = setTimeout(() => void this.attempt(peer), delay);
  }

  cancelAll(): void {
    this.active = false;
    for (const entry of this.entries.values()) if (entry.timer !== undefined) clearTimeout(entry.timer);
    this.entries.clear();
  }

  restart(): void {
    this.active = true;
  }

  private async attempt(peer: string): Promise<void> {
    const entry = this.entries.get(peer);
    if (entry === undefined || !this.active) return;
    entry.timer = undefined;
    entry.dialing = true;
    entry.rerun = false;
    let outcome: DialOutcome;
    try {
      outcome = await this.dial(peer);
    } catch {
      outcome = 'retry';
    }
    entry.dialing = false;
    if (!this.active || this.entries.get(peer) !== entry) return;
    if (outcome === 'connected') {
      this.entries.delete(peer);
      return;
    }
    if (entry.rerun) {
      this.schedule(peer, true);
      return;
    }
    if (outcome === 'give-up') {
      this.entries.delete(peer);
      return;
    }
    const delay = entry.delayMs;
    entry.delayMs = Math.min(entry.delayMs * 2, this.maxDelayMs);
    entry.timer = setTimeout(() => void this.attempt(peer), delay);
  }
}
