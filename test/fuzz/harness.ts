import fc from 'fast-check';

/**
 * A fuzz target: inputs from `arbitrary`, each tried by `run`, which names what happened to it
 * ("400 INVALID_REQUEST", "MALFORMED_TX") and throws when a property broke. Targets are plain
 * objects so the bounded CI tests and `scripts/fuzz.ts` drive the same code.
 */
export interface FuzzTarget<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  // A method, not a property, so a FuzzTarget<Input> is a FuzzTarget<unknown> to the runner.
  run(input: T): Promise<string> | string;
  /** Properties of the whole run (liveness, agreement), checked after the last input; throws a sentence. */
  readonly check?: () => Promise<void>;
  /** What the system under test reported while handling the inputs (refusals by code), added to the outcomes. */
  readonly observed?: () => ReadonlyMap<string, number>;
  readonly close?: () => Promise<void>;
  /**
   * False for a target whose inputs build on each other (one live network): a failing input is
   * then replayed with the inputs before it (`--runs`), not shrunk or replayed alone (`--path`).
   */
  readonly shrink?: boolean;
}

export type TargetFactory = () => Promise<FuzzTarget<unknown>>;

/** A family of targets selected together by name (`http`, `p2p`, `decoders`, `certs`). */
export interface TargetFamily {
  readonly name: string;
  readonly targets: readonly { readonly name: string; readonly start: TargetFactory }[];
}

export interface FuzzBudget {
  readonly seed: number;
  /** Inputs to try, in one batch under `seed` (the CI bound); or */
  readonly runs?: number;
  /** seconds to keep trying, in batches of inputs each replayable by its own seed; or */
  readonly seconds?: number;
  /** replays one counterexample found under `seed` (fast-check's counterexample path). */
  readonly path?: string;
}

export interface FuzzCrash {
  /** Batches that failed the same way (messages equal up to numbers and hex); the first one's seed and path are kept. */
  times: number;
  readonly seed: number;
  readonly path: string | null;
  readonly input: string;
  readonly error: string;
  readonly replay: string;
}

export interface FuzzReport {
  readonly target: string;
  readonly inputs: number;
  readonly outcomes: ReadonlyMap<string, number>;
  readonly crashes: readonly FuzzCrash[];
  readonly seconds: number;
}

/** A long run reports at most this many different crashes. */
const MAX_CRASHES = 10;

/** The same failure found again under another seed: its message differs only in numbers and bytes. */
function sameFailure(a: string, b: string): boolean {
  const shape = (error: string) => (error.split('\n')[0] ?? '').replace(/[0-9a-f]{8,}/g, 'H').replace(/\d+/g, 'N');
  return shape(a) === shape(b);
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fff_ffff);
}

/** CERTLEDGER_FUZZ_SEED replays a run a failing test printed; otherwise a fresh seed. */
export function seedFromEnvironment(): number {
  const raw = process.env.CERTLEDGER_FUZZ_SEED;
  if (raw === undefined || raw === '') return randomSeed();
  if (!/^-?\d+$/.test(raw)) throw new Error(`CERTLEDGER_FUZZ_SEED must be an integer, got "${raw}"`);
  return Number(raw);
}

/** The seed of batch `index` of a timed run: batch 0 uses the run's seed, so `--seed` replays it. */
function batchSeed(seed: number, index: number): number {
  return index === 0 ? seed : (Math.imul(seed ^ index, 0x9e37_79b1) ^ index) & 0x7fff_ffff;
}

/** One counterexample by its path; or, for a target whose inputs build on each other, the same inputs again. */
export function replayCommand(target: string, seed: number, replay: { path: string } | { runs: number } | { seconds: number }): string {
  const how = 'path' in replay ? `--path ${replay.path}` : 'runs' in replay ? `--runs ${replay.runs}` : `--seconds ${replay.seconds}`;
  return `npx tsx scripts/fuzz.ts --target ${target} --seed=${seed} ${how}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 6);
  return [`${error.name}: ${error.message}`, ...frames].join('\n');
}

function clip(text: string, limit = 2000): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}

/**
 * Runs a target within its budget: inputs until `runs` or `seconds` is spent, each failure kept
 * with the seed and counterexample path that replay it; then the whole-run check.
 */
export async function runTarget(name: string, start: TargetFactory, budget: FuzzBudget): Promise<FuzzReport> {
  const began = performance.now();
  const deadline = budget.seconds === undefined ? Infinity : began + budget.seconds * 1000;
  const outcomes = new Map<string, number>();
  const crashes: FuzzCrash[] = [];
  let inputs = 0;
  const record = (crash: Omit<FuzzCrash, 'times'>) => {
    const known = crashes.find((seen) => sameFailure(seen.error, crash.error));
    if (known) known.times++;
    else crashes.push({ ...crash, times: 1 });
  };
  const target = await start();
  try {
    const property = fc.asyncProperty(target.arbitrary, async (input) => {
      // Past the deadline the rest of a batch goes untried: inputs can take far longer than the batch's average.
      if (performance.now() >= deadline) return;
      inputs++;
      const outcome = await target.run(input);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    });
    let batchRuns = budget.runs ?? 20;
    for (let batch = 0; crashes.length < MAX_CRASHES; batch++) {
      const seed = batchSeed(budget.seed, batch);
      const batchStart = performance.now();
      const details = await fc.check(property, { seed, numRuns: batchRuns, path: budget.path, endOnFailure: target.shrink === false || budget.path !== undefined });
      if (details.failed) {
        const path = target.shrink === false ? null : details.counterexamplePath;
        const input = details.counterexample === null ? '(none)' : fc.stringify(details.counterexample[0]);
        const replay = replayCommand(name, seed, path === null ? { runs: details.numRuns } : { path });
        record({ seed, path, input: clip(input), error: describeError(details.errorInstance), replay });
      }
      const now = performance.now();
      if (budget.runs !== undefined || budget.path !== undefined || now >= deadline) break;
      // Batches of about two seconds: short enough to stop near the deadline, long enough to matter.
      const perRun = (now - batchStart) / Math.max(1, details.numRuns);
      batchRuns = Math.max(1, Math.min(20_000, Math.floor(Math.min(2000, deadline - now) / Math.max(perRun, 0.001))));
    }
    if (target.check) {
      try {
        await target.check();
      } catch (error) {
        const replay = replayCommand(name, budget.seed, budget.runs !== undefined ? { runs: budget.runs } : { seconds: Math.ceil(budget.seconds ?? 60) });
        record({ seed: budget.seed, path: null, input: '(the whole run)', error: describeError(error), replay });
      }
    }
    for (const [outcome, count] of target.observed?.() ?? []) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + count);
  } finally {
    await target.close?.();
  }
  return { target: name, inputs, outcomes, crashes, seconds: (performance.now() - began) / 1000 };
}

/** What a report says to a person: counts, the most frequent outcomes, and each crash with its replay. */
export function formatReport(report: FuzzReport, maxOutcomes = 12): string {
  const sorted = [...report.outcomes.entries()].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, maxOutcomes).map(([outcome, count]) => `    ${String(count).padStart(8)}  ${outcome}`);
  if (sorted.length > maxOutcomes) shown.push(`    … ${sorted.length - maxOutcomes} more`);
  const lines = [
    `${report.target}: ${report.inputs} inputs in ${report.seconds.toFixed(1)} s, ${report.outcomes.size} distinct outcomes, ${report.crashes.length} crashes`,
    ...shown,
  ];
  for (const crash of report.crashes) {
    lines.push(`  CRASH${crash.times > 1 ? ` (found ${crash.times} times)` : ''}, seed ${crash.seed}${crash.path === null ? '' : `, path ${crash.path}`}`, `    input: ${crash.input}`, ...crash.error.split('\n').map((line) => `    ${line}`), `    replay: ${crash.replay}`);
  }
  return lines.join('\n');
}
