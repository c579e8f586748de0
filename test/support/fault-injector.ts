import { sleep, type DevnetProcesses, type NodeStatusJson } from './devnet-processes.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * - `kill`: kill -9 at a random moment.
 * - `kill-after-commit`: kill -9 as soon as the victim's height moves (or a little after), to
 *   hit it while it writes the next height's sign and lock records.
 * - `kill-at-precommit`: kill -9 once the victim has precommitted, to hit it while it decides
 *   and stores the block.
 * - `kill-while-syncing`: kill -9, restart after blocks have piled up, and kill -9 again while
 *   it fetches them by block sync.
 * - `pause`: SIGSTOP, then SIGCONT: a validator cut off and back, its sockets still open.
 */
export type FaultKind = 'kill' | 'kill-after-commit' | 'kill-at-precommit' | 'kill-while-syncing' | 'pause';

const FAULT_WEIGHTS: readonly [FaultKind, number][] = [
  ['kill', 0.25],
  ['kill-after-commit', 0.3],
  ['kill-at-precommit', 0.15],
  ['kill-while-syncing', 0.15],
  ['pause', 0.15],
];

/** A validator not back in step with the others within this long counts as never catching up. */
const CATCH_UP_LIMIT_MS = 120_000;
/** How long to watch a victim for the moment to kill it at before killing it anyway. */
const WATCH_LIMIT_MS = 5_000;
const WATCH_POLL_MS = 5;

export interface FaultInjectorOptions {
  readonly devnet: DevnetProcesses;
  readonly random: SeededRandom;
  /** Stop after this many kill -9s... */
  readonly kills: number;
  /** ...or at this time (Date.now()), whichever comes first. */
  readonly deadline: number;
  readonly log: (line: string) => void;
}

/**
 * Takes one validator down at a time (f = 1 of 4, so the other three keep committing), brings
 * it back, and waits until it is in step again before the next fault. Every choice (victim,
 * kind, pauses) comes from the seeded generator, so a seed replays the same schedule.
 */
export class FaultInjector {
  kills = 0;
  restarts = 0;
  pauses = 0;
  readonly restartCatchUpMs: number[] = [];
  readonly resumeCatchUpMs: number[] = [];
  /** Set when a validator did not recover; the injector stops there. */
  failure: string | undefined;
  readonly #o: FaultInjectorOptions;

  constructor(options: FaultInjectorOptions) {
    this.#o = options;
  }

  async run(): Promise<void> {
    const { random, devnet } = this.#o;
    for (let fault = 1; this.kills < this.#o.kills && Date.now() < this.#o.deadline && !this.failure; fault++) {
      await sleep(random.int(50, 1000));
      const victim = random.int(0, devnet.size - 1);
      const kind = this.#pickKind();
      this.#o.log(`fault ${fault}: ${kind} validator ${victim}`);
      if (kind === 'pause') await this.#pause(victim, random.int(300, 3000));
      else if (kind === 'kill-while-syncing') await this.#killWhileSyncing(victim);
      else {
        if (kind === 'kill-after-commit') await this.#awaitCommit(victim);
        if (kind === 'kill-at-precommit') await this.#watch(victim, (status) => status.consensus.step === 'precommit');
        await this.#kill(victim);
        await sleep(random.int(50, 1000));
        await this.#restart(victim);
      }
    }
  }

  #pickKind(): FaultKind {
    let roll = this.#o.random.next();
    for (const [kind, weight] of FAULT_WEIGHTS) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return FAULT_WEIGHTS[0]![0];
  }

  async #kill(victim: number): Promise<void> {
    await this.#o.devnet.kill(victim);
    this.kills++;
  }

  async #restart(victim: number): Promise<void> {
    this.#o.devnet.start(victim);
    this.restarts++;
    const times = await this.#catchUp(victim, 'restart');
    if (!times) return;
    this.restartCatchUpMs.push(times.inStepMs);
    this.#o.log(`  validator ${victim} answering ${times.answeringMs} ms and in step ${times.inStepMs} ms after its restart`);
  }

  async #pause(victim: number, pauseMs: number): Promise<void> {
    this.#o.devnet.pause(victim);
    this.pauses++;
    await sleep(pauseMs);
    this.#o.devnet.resume(victim);
    const times = await this.#catchUp(victim, 'resume');
    if (!times) return;
    this.resumeCatchUpMs.push(times.inStepMs);
    this.#o.log(`  validator ${victim} in step ${times.inStepMs} ms after ${pauseMs} ms paused`);
  }

  /** Returns once the victim's height moves, half the time a moment later (up to 250 ms). */
  async #awaitCommit(victim: number): Promise<void> {
    const start = await this.#o.devnet.height(victim);
    await this.#watch(victim, (status) => status.height > start);
    if (this.#o.random.chance(0.5)) await sleep(this.#o.random.int(1, 250));
  }

  async #killWhileSyncing(victim: number): Promise<void> {
    const { devnet, random } = this.#o;
    await this.#kill(victim);
    await sleep(random.int(1500, 4000));
    devnet.start(victim);
    this.restarts++;
    const bootHeight = await this.#watchUntilUp(victim);
    if (bootHeight === undefined) return;
    await this.#watch(victim, (status) => status.syncing || status.height > bootHeight);
    if (random.chance(0.5)) await sleep(random.int(1, 50));
    await this.#kill(victim);
    await sleep(random.int(50, 1000));
    await this.#restart(victim);
  }

  /** The victim's height once its API answers after a start, or undefined (and a failure) if it never does. */
  async #watchUntilUp(victim: number): Promise<number | undefined> {
    const deadline = Date.now() + CATCH_UP_LIMIT_MS;
    while (Date.now() < deadline && this.#o.devnet.isRunning(victim)) {
      const status = await this.#o.devnet.status(victim);
      if (status) return status.height;
      await sleep(20);
    }
    this.failure = `validator ${victim} did not come back up after a restart (see ${this.#o.devnet.logFile(victim)})`;
    return undefined;
  }

  /** Polls the victim until `done`; after WATCH_LIMIT_MS it notes that the moment was missed. */
  async #watch(victim: number, done: (status: NodeStatusJson) => boolean): Promise<void> {
    const deadline = Date.now() + WATCH_LIMIT_MS;
    while (Date.now() < deadline) {
      const status = await this.#o.devnet.status(victim);
      if (status && done(status)) return;
      await sleep(WATCH_POLL_MS);
    }
    this.#o.log(`  the moment watched for did not come within ${WATCH_LIMIT_MS} ms; killing anyway`);
  }

  /**
   * Milliseconds from the restart or resume until the victim's API answers (its process has
   * loaded and opened its store), and until it is in step: no more than one block behind the
   * others and then following them to a further block. A victim that exits or stays behind
   * for CATCH_UP_LIMIT_MS is recorded as a failure.
   */
  async #catchUp(victim: number, after: 'restart' | 'resume'): Promise<{ answeringMs: number; inStepMs: number } | undefined> {
    const { devnet } = this.#o;
    const started = Date.now();
    const others = [...Array(devnet.size).keys()].filter((i) => i !== victim);
    let answeringMs: number | undefined;
    let caughtUp: { at: number; height: number } | undefined;
    while (Date.now() - started < CATCH_UP_LIMIT_MS) {
      if (!devnet.isRunning(victim)) {
        this.failure = `validator ${victim} exited by itself after a ${after} (see ${devnet.logFile(victim)})`;
        return undefined;
      }
      const [own, ...rest] = await devnet.heights([victim, ...others]);
      if (own! >= 0) answeringMs ??= Date.now() - started;
      const inStep = own! > 0 && own! >= Math.max(...rest) - 1;
      if (!inStep) caughtUp = undefined;
      else if (!caughtUp) caughtUp = { at: Date.now(), height: own! };
      else if (own! > caughtUp.height) return { answeringMs: answeringMs!, inStepMs: caughtUp.at - started };
      await sleep(50);
    }
    const heights = await devnet.heights([...Array(devnet.size).keys()]);
    const answering = answeringMs === undefined ? 'never answered' : `answering after ${answeringMs} ms`;
    this.failure = `validator ${victim} did not catch up within ${CATCH_UP_LIMIT_MS} ms after a ${after} (${answering}; heights ${heights.join(', ')}; see ${devnet.logFile(victim)})`;
    return undefined;
  }
}
