import type { SimRandom } from './random.js';
import type { NetworkFaults } from './scenario.js';

interface Partition {
  readonly fromMs: number;
  readonly untilMs: number;
  /** Endpoints on side A; everyone else is on side B. */
  readonly sideA: ReadonlySet<number>;
}

/** Calm delivery once faults stop: no loss, short delays. */
const CALM_MAX_DELAY_MS = 20;

/**
 * Decides the fate of each message: lost, delayed (so messages reorder), duplicated, or cut
 * by a partition. All faults stop at `faultyUntilMs`, when every partition has healed.
 */
export class SimNetwork {
  readonly #partitions: Partition[] = [];

  constructor(
    private readonly random: SimRandom,
    private readonly faults: NetworkFaults,
    private readonly faultyUntilMs: number,
    endpoints: number,
  ) {
    let time = 0;
    for (let i = 0; i < faults.partitions && endpoints > 1; i++) {
      const fromMs = time + random.int(200, 2000);
      const untilMs = Math.min(fromMs + random.int(500, 4000), faultyUntilMs);
      if (fromMs >= untilMs) break;
      const order = random.shuffle(Array.from({ length: endpoints }, (_, e) => e));
      const cut = random.int(1, endpoints - 1);
      this.#partitions.push({ fromMs, untilMs, sideA: new Set(order.slice(0, cut)) });
      time = untilMs;
    }
  }

  get partitionCount(): number {
    return this.#partitions.length;
  }

  /** Cuts one endpoint off from everyone for a while (an adversary's choice of whom and when). */
  isolate(endpoint: number, fromMs: number, forMs: number): void {
    const untilMs = Math.min(fromMs + forMs, this.faultyUntilMs);
    if (fromMs < untilMs) this.#partitions.push({ fromMs, untilMs, sideA: new Set([endpoint]) });
  }

  /** Delivery delays for one message from one endpoint to another: none if it is lost. */
  deliveries(from: number, to: number, nowMs: number): number[] {
    if (nowMs >= this.faultyUntilMs) return [this.random.int(1, CALM_MAX_DELAY_MS)];
    if (this.#partitioned(from, to, nowMs) || this.random.chance(this.faults.loss)) return [];
    const delay = () => this.random.int(this.faults.minDelayMs, this.faults.maxDelayMs);
    return this.random.chance(this.faults.duplicate) ? [delay(), delay()] : [delay()];
  }

  #partitioned(from: number, to: number, nowMs: number): boolean {
    return this.#partitions.some((p) => nowMs >= p.fromMs && nowMs < p.untilMs && p.sideA.has(from) !== p.sideA.has(to));
  }
}
