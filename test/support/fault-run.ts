import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePortBlock, testNetworkPortCount } from '@certledger/node/testing';
import { AnchorLoad } from './anchor-load.js';
import { DevnetProcesses, until } from './devnet-processes.js';
import { awaitHeight, checkStores, scanLogs } from './fault-checks.js';
import { FaultInjector } from './fault-injector.js';
import { SeededRandom } from './seeded-random.js';

export interface FaultRunOptions {
  /** The run stops after this many kill -9s... */
  readonly kills: number;
  /** ...or after this many seconds of faults, whichever comes first. */
  readonly seconds: number;
  readonly seed: number;
  /** Anchors in flight at once (one per sending department). */
  readonly lanes: number;
  readonly basePort: number;
  /** Keep the devnet's folder (logs, stores) even after a run that passed. */
  readonly keep?: boolean;
  readonly log: (line: string) => void;
}

export interface Spread {
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface FaultRunReport {
  readonly options: FaultRunOptions;
  readonly kills: number;
  readonly restarts: number;
  readonly pauses: number;
  readonly anchorsAcknowledged: number;
  readonly anchorsOnEveryNode: number;
  readonly unacknowledgedAnswers: number;
  readonly abandoned: number;
  readonly commonHeight: number;
  readonly forks: number;
  /** Evidence of a validator signing conflicting messages, in the stores or the logs. */
  readonly doubleSigns: number;
  readonly restartCatchUpMs: Spread;
  readonly resumeCatchUpMs: Spread;
  readonly settleMs: number;
  readonly errorLogLines: number;
  readonly durationMs: number;
  /** Empty when every check passed. */
  readonly failures: readonly string[];
  /** The devnet's folder (logs, stores); removed after a run that passed unless `keep`. */
  readonly dir: string;
}

const STARTUP_LIMIT_MS = 120_000;
/** After the faults stop, every validator must reach the top height within this long... */
const SETTLE_LIMIT_MS = 60_000;
/** ...and then commit LIVENESS_BLOCKS more blocks within this long. */
const LIVENESS_LIMIT_MS = 30_000;
const LIVENESS_BLOCKS = 3;
const SHOWN_LOG_LINES = 5;

const FAULT_RUN_VALIDATORS = 4;

/** The first of the free ports a fault run's devnet (four validators) takes. */
export function faultRunBasePort(): Promise<number> {
  return freePortBlock(testNetworkPortCount(FAULT_RUN_VALIDATORS));
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, min: sorted[0] ?? Number.NaN, median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

export function replayCommand(o: FaultRunOptions): string {
  return `npx tsx scripts/fault-run.ts --kills ${o.kills} --seconds ${o.seconds} --lanes ${o.lanes} --seed ${o.seed}`;
}

/**
 * A 4-validator devnet of separate processes on 127.0.0.1 under steady anchoring, with one
 * validator at a time killed -9 (and restarted) or frozen (and continued) at seeded random
 * moments; then every check a department would ask for: no acknowledged anchor lost, one
 * chain (no fork), no double sign, every validator live. Fault lines also go to
 * `<dir>/faults.log`.
 */
export async function runFaultInjection(options: FaultRunOptions): Promise<FaultRunReport> {
  const started = Date.now();
  const devnet = new DevnetProcesses({ validators: FAULT_RUN_VALIDATORS, basePort: options.basePort, extraIssuers: options.lanes });
  const log = (line: string) => {
    appendFileSync(join(devnet.dir, 'faults.log'), `${new Date().toISOString()} ${line}\n`);
    options.log(line);
  };
  log(`seed ${options.seed}, devnet in ${devnet.dir}; replay: ${replayCommand(options)}`);
  const all = [...Array(devnet.size).keys()];
  const load = new AnchorLoad(devnet, new SeededRandom(options.seed ^ 0x5bd1e995));
  const injector = new FaultInjector({ devnet, random: new SeededRandom(options.seed), kills: options.kills, deadline: started + options.seconds * 1000, log });
  const failures: string[] = [];
  let passed = false;
  try {
    devnet.startAll();
    await until(async () => {
      const exited = all.find((i) => !devnet.isRunning(i));
      if (exited !== undefined) throw new Error(`validator ${exited} exited while starting (see ${devnet.logFile(exited)})`);
      return (await devnet.heights(all)).every((h) => h >= 2);
    }, 'all validators to commit two blocks', STARTUP_LIMIT_MS);
    load.start(options.lanes);
    await injector.run();
    if (injector.failure) failures.push(injector.failure);
    log('faults over; stopping the load and letting every validator catch up');
    await load.stop();

    const settleStarted = Date.now();
    const top = Math.max(...(await devnet.heights(all)));
    failures.push(...(await awaitHeight(devnet, top, SETTLE_LIMIT_MS)));
    const settleMs = Date.now() - settleStarted;
    const live = Math.max(...(await devnet.heights(all))) + LIVENESS_BLOCKS;
    failures.push(...(await awaitHeight(devnet, live, LIVENESS_LIMIT_MS)).map((p) => `not live after the last fault: ${p}`));

    await devnet.shutdown();
    const stores = await checkStores(devnet, load.acknowledged);
    failures.push(...stores.problems);
    const logs = scanLogs(devnet);
    // A crash's trace or an error a node logged (a failed consensus step) fails the run too.
    for (const lines of [logs.evidence, logs.errors]) {
      failures.push(...lines.slice(0, SHOWN_LOG_LINES));
      if (lines.length > SHOWN_LOG_LINES) failures.push(`...and ${lines.length - SHOWN_LOG_LINES} more such log lines`);
    }
    passed = failures.length === 0;

    return {
      options,
      kills: injector.kills,
      restarts: injector.restarts,
      pauses: injector.pauses,
      anchorsAcknowledged: load.acknowledged.length,
      anchorsOnEveryNode: stores.anchorsOnEveryNode,
      unacknowledgedAnswers: load.unacknowledgedAnswers,
      abandoned: load.abandoned,
      commonHeight: stores.commonHeight,
      forks: stores.forks,
      // A node logs a line for each evidence record it keeps: the larger count covers both.
      doubleSigns: Math.max(stores.evidence, logs.evidence.length),
      restartCatchUpMs: spread(injector.restartCatchUpMs),
      resumeCatchUpMs: spread(injector.resumeCatchUpMs),
      settleMs,
      errorLogLines: logs.errors.length,
      durationMs: Date.now() - started,
      failures,
      dir: devnet.dir,
    };
  } finally {
    await load.stop();
    await devnet.shutdown();
    if (passed && !options.keep) devnet.remove();
  }
}

function formatSpread(s: Spread): string {
  return s.count === 0 ? 'none' : `min ${s.min} ms, median ${s.median} ms, max ${s.max} ms (${s.count})`;
}

export function formatReport(r: FaultRunReport): string {
  const rows: [string, string | number][] = [
    ['seed', `${r.options.seed} (replay: ${replayCommand(r.options)})`],
    ['kills (kill -9)', r.kills],
    ['restarts', r.restarts],
    ['pauses (SIGSTOP/SIGCONT)', r.pauses],
    ['anchors acknowledged (201)', r.anchorsAcknowledged],
    ['anchors found on every node', r.anchorsOnEveryNode],
    ['answers without a promise', `${r.unacknowledgedAnswers} (202s, refusals, timeouts; resubmitted), ${r.abandoned} unacknowledged at the stop`],
    ['common height', r.commonHeight],
    ['forks', r.forks],
    ['double signs', r.doubleSigns],
    ['catch-up after restart', formatSpread(r.restartCatchUpMs)],
    ['catch-up after pause', formatSpread(r.resumeCatchUpMs)],
    ['settle after the last fault', `${r.settleMs} ms`],
    ['error lines in node logs', r.errorLogLines],
    ['duration', `${(r.durationMs / 1000).toFixed(1)} s`],
    ['result', r.failures.length === 0 ? 'PASS' : 'FAIL'],
    ...(r.failures.length > 0 || r.options.keep ? [['devnet folder (logs, stores)', r.dir] as [string, string]] : []),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`), ...r.failures.map((f) => `  failure: ${f}`)].join('\n');
}
