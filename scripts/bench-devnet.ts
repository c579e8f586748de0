/**
 * Throughput and latency of a 4-validator devnet (separate processes on this machine), read
 * against the machine's own signature-verification ceiling measured in the same run.
 *
 *   pnpm bench:devnet [-- --txs 20000 --warmup-txs 10000 --seconds 10 --block-interval-ms 50]
 *
 * Anchors go in batches through POST /v1/transactions/batch, as a department submitting many
 * would send them. A warm-up of `--warmup-txs` goes first, unmeasured: it takes the hot code
 * through the JIT compiler and grows the heaps to working size, one-off costs of a validator
 * that then runs for months. Phase 1 offers `--txs` anchors as fast as the validators take them
 * and reports committed txs/s and commit latency. Phase 2 offers half that rate for a fixed time
 * and reports the latency there.
 * Ceiling: native Ed25519 verifies/s on one core × cores ÷ validators, since every validator
 * verifies every transaction once; measured before and after the load, the faster of the two
 * counting, because other work on the machine only ever slows it (a slowed measurement would
 * lower the ceiling and flatter the share).
 *
 * Where Linux's /proc is there, phase 1 also reports the CPU time the validators and this load
 * client spent per committed transaction, in verifies: a figure other work on the machine
 * barely moves, and the share of the ceiling that CPU cost allows.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sha256 } from '@certledger/codec';
import { makeTx, testSigner } from '@certledger/ledger/testing';
import { freePortBlock, testNetworkPortCount } from '@certledger/node/testing';
import { DevnetProcesses, until } from '../test/support/devnet-processes.js';
import { cpuMicrosOf } from './proc-cpu.js';
import { fasterOf, measureVerifySpeed, shareCpuAllows } from './verify-speed.js';

/** Transactions per submission request (POST /v1/transactions/batch), and such requests open at once at most. */
const BATCH_TXS = 200;
const MAX_BATCHES_IN_FLIGHT = 8;
/** A submission shed for load (429, 503) or left unanswered is offered again, to the next validator, after this long. */
const RETRY_AFTER_MS = 250;
const MAX_ATTEMPTS = 20;

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { txs: { type: 'string', default: '20000' }, 'warmup-txs': { type: 'string', default: '10000' }, seconds: { type: 'string', default: '10' }, 'block-interval-ms': { type: 'string', default: '50' } } });
const totalTxs = Number(values.txs);
const halfLoadSeconds = Number(values.seconds);
const warmupTxs = Number(values['warmup-txs']);
const blockIntervalMs = Number(values['block-interval-ms']);
if (!Number.isInteger(totalTxs) || totalTxs < 100) throw new Error(`--txs must be an integer of at least 100, got ${values.txs}`);
if (!Number.isInteger(warmupTxs) || warmupTxs < 0) throw new Error(`--warmup-txs must be a whole number, got ${values['warmup-txs']}`);
if (!Number.isInteger(blockIntervalMs) || blockIntervalMs < 0) throw new Error(`--block-interval-ms must be a whole number of milliseconds, got ${values['block-interval-ms']}`);
if (!Number.isInteger(halfLoadSeconds) || halfLoadSeconds < 2) throw new Error(`--seconds must be an integer of at least 2, got ${values.seconds}`);

/**
 * Departments sending the load. A mempool holds a sender's transactions at most 256 sequence
 * numbers ahead of its last committed one, and a burst arrives faster than blocks commit it, so
 * each sender gets at most 200 of a burst.
 */
const SENDERS = Math.max(100, Math.ceil(Math.max(totalTxs, warmupTxs) / 200));

/**
 * CPU time (µs) used so far by the processes whose command line names `dir` (the devnet's
 * validators): in all, and on their main threads alone (the rest is V8's GC and compiler
 * threads, libuv's pool with LevelDB's writes, and worker threads).
 */
function devnetCpuMicros(dir: string): { total: number; main: number } | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  let total = 0;
  let main = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(dir)) continue;
      total += cpuMicrosOf(`/proc/${pid}/stat`);
      main += cpuMicrosOf(`/proc/${pid}/task/${pid}/stat`);
    } catch {
      // The process ended while being read.
    }
  }
  return { total, main };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

class Load {
  readonly #senders = Array.from({ length: SENDERS }, (_, i) => ({ issuerId: `dept-${i}`, signer: testSigner(`issuer-dept-${i}`), seq: 0 }));
  #next = 0;

  constructor(private readonly chainId: string) {}

  /** Pre-signed anchors spread over the senders, so no sender's sequence queue limits the rate. */
  make(count: number): Uint8Array[] {
    return Array.from({ length: count }, () => {
      const sender = this.#senders[this.#next % SENDERS]!;
      const root = sha256(new TextEncoder().encode(`bench ${this.#next++}`));
      return makeTx(this.chainId, sender.signer, sender.seq++, { kind: 'anchor', issuerId: sender.issuerId, typeId: 'bench-licence', typeVersion: 1, root, leafCount: 1 });
    });
  }
}

/** Follows validator 0's chain and notes when each transaction id was first seen committed. */
class CommitWatcher {
  readonly committedAt = new Map<string, number>();
  /** Accepted transactions not yet seen committed: the load waits on its size, not on a rescan. */
  readonly #awaited = new Set<string>();
  #height = 0;
  #stopped = false;

  constructor(private readonly devnet: DevnetProcesses) {}

  /** Notes that `id` was accepted, so {@link awaitedCount} counts it until it is seen committed. */
  expect(id: string): void {
    if (!this.committedAt.has(id)) this.#awaited.add(id);
  }

  get awaitedCount(): number {
    return this.#awaited.size;
  }

  /** A new phase waits only for its own transactions: one lost in an earlier phase is already reported. */
  forgetAwaited(): void {
    this.#awaited.clear();
  }

  /** The last height whose transactions have been noted. */
  get height(): number {
    return this.#height;
  }

  async run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.#follow();
      } catch {
        // A request the loaded validator did not answer in time: ask again on the next round.
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Asks for the next block until there is none yet: one request a turn, and none for status. */
  async #follow(): Promise<void> {
    for (;;) {
      const block = await this.devnet.block(0, this.#height + 1);
      if (!block) return;
      const now = performance.now();
      for (const id of block.txs) {
        if (this.committedAt.has(id)) continue;
        this.committedAt.set(id, now);
        this.#awaited.delete(id);
      }
      this.#height++;
    }
  }

  stop(): void {
    this.#stopped = true;
  }
}

/** Submissions offered again after shedding, and why the ones given up on were refused. */
interface Tally {
  /** Submissions offered again, by the reason the earlier offer was not taken. */
  readonly retried: Map<string, number>;
  readonly refusals: Map<string, number>;
}

function count(counts: Map<string, number>, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

function describeCounts(counts: Map<string, number>): string {
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ') || 'none';
}

/**
 * Submits transactions in one batch request like a client that must not leave a gap in a
 * sender's sequence: a batch shed for load (429, 503) or left unanswered, and any transaction
 * refused because the mempool was full, is offered again to the next validator (safe: a
 * transaction already taken is answered with its id). Answers the ids taken.
 */
async function submitBatch(devnet: DevnetProcesses, batchNumber: number, txs: readonly Uint8Array[], tally: Tally): Promise<string[]> {
  const ids: string[] = [];
  let waiting = txs;
  let reason = '';
  for (let attempt = 0; attempt < MAX_ATTEMPTS && waiting.length > 0; attempt++) {
    if (attempt > 0) {
      count(tally.retried, reason, waiting.length);
      await new Promise((r) => setTimeout(r, RETRY_AFTER_MS));
    }
    try {
      const { status, body } = await devnet.submitBatch((batchNumber + attempt) % devnet.size, waiting);
      if (!body.results) {
        reason = `${status} ${body.error?.code ?? ''}`.trim();
        if (status !== 429 && status !== 503) break;
        continue;
      }
      const again: Uint8Array[] = [];
      body.results.forEach((outcome, i) => {
        if (outcome.id !== undefined) ids.push(outcome.id);
        else if (outcome.error?.code === 'MEMPOOL_FULL') again.push(waiting[i]!);
        else count(tally.refusals, outcome.error?.code ?? 'unknown');
      });
      waiting = again;
      reason = 'MEMPOOL_FULL';
    } catch {
      reason = 'no answer';
    }
  }
  if (waiting.length > 0) count(tally.refusals, reason, waiting.length);
  return ids;
}

/**
 * Offers transactions in batches (at most MAX_BATCHES_IN_FLIGHT requests open at once; at
 * `ratePerSecond` if given, each batch holding what has come due) without waiting on each;
 * latency is from a batch's first submission to the watcher seeing each commit.
 */
async function offer(devnet: DevnetProcesses, watcher: CommitWatcher, txs: readonly Uint8Array[], ratePerSecond: number | undefined) {
  const submittedAt = new Map<string, number>();
  const tally: Tally = { retried: new Map(), refusals: new Map() };
  watcher.forgetAwaited();
  let inFlight = 0;
  let batchNumber = 0;
  const started = performance.now();
  for (let next = 0; next < txs.length; ) {
    const due = ratePerSecond === undefined ? txs.length : Math.min(txs.length, Math.floor(((performance.now() - started) / 1000) * ratePerSecond));
    if (inFlight >= MAX_BATCHES_IN_FLIGHT || due <= next) {
      await new Promise((r) => setTimeout(r, ratePerSecond === undefined ? 2 : 10));
      continue;
    }
    const batch = txs.slice(next, Math.min(due, next + BATCH_TXS));
    next += batch.length;
    inFlight++;
    const sent = performance.now();
    void submitBatch(devnet, batchNumber++, batch, tally)
      .then((ids) => {
        for (const id of ids) {
          submittedAt.set(id, sent);
          watcher.expect(id);
        }
      })
      .finally(() => inFlight--);
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  const deadline = performance.now() + 60_000;
  while (watcher.awaitedCount > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const committed = [...submittedAt].filter(([id]) => watcher.committedAt.has(id));
  const lastCommit = Math.max(...committed.map(([id]) => watcher.committedAt.get(id)!));
  const latencies = committed.map(([id, sent]) => watcher.committedAt.get(id)! - sent).sort((a, b) => a - b);
  return { latencies, refused: describeCounts(tally.refusals), retried: describeCounts(tally.retried), lost: submittedAt.size - committed.length, seconds: (lastCommit - started) / 1000 };
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const validators = 4;
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cores} cores; measuring native Ed25519 verify on one core...`);
  const verifyBefore = measureVerifySpeed(4, 500);
  console.log(`verify: ${verifyBefore.perSecond.toFixed(0)}/s per core before the load (measured again after it)`);

  const devnet = new DevnetProcesses({ basePort: await freePortBlock(testNetworkPortCount(4)), extraIssuers: SENDERS, logLevel: 'info', timings: { blockIntervalMs, timeoutProposeMs: 1000, timeoutPrevoteMs: 500, timeoutPrecommitMs: 500, timeoutDeltaMs: 500 } });
  try {
    devnet.startAll();
    await until(async () => (await devnet.heights([0, 1, 2, 3])).every((h) => h >= 2), 'the devnet to commit its first blocks', 60_000);
    const load = new Load(devnet.network.chainId);

    const watcher = new CommitWatcher(devnet);
    const watching = watcher.run();
    // A validator runs for months: measure it warm. The first thousands of transactions take the
    // code paths through the JIT compiler and grow the heap to its working size, at a cost a
    // ten-second run would otherwise charge to throughput.
    console.log(`warming up with ${warmupTxs} transactions...`);
    const warmup = warmupTxs > 0 ? await offer(devnet, watcher, load.make(warmupTxs), undefined) : { latencies: [], refused: 'none' };
    if (warmup.latencies.length < warmupTxs) {
      // A sender's later transactions wait forever behind a lost one: the measurement would be void.
      throw new Error(`only ${warmup.latencies.length} of the ${warmupTxs} warm-up transactions were committed (refused: ${warmup.refused}); try fewer with --warmup-txs`);
    }
    const burst = load.make(totalTxs);
    const heightBefore = watcher.height;
    const nodesCpuBefore = devnetCpuMicros(devnet.dir);
    const clientCpuBefore = process.cpuUsage();
    const full = await offer(devnet, watcher, burst, undefined);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const nodesCpuAfter = devnetCpuMicros(devnet.dir);
    const blocks = watcher.height - heightBefore;
    const verifyAfter = measureVerifySpeed(4, 500);
    const verify = fasterOf(verifyBefore, verifyAfter);
    const ceiling = (verify.perSecond * cores) / validators;
    const throughput = full.latencies.length / full.seconds;
    console.log(`verify: ${verifyAfter.perSecond.toFixed(0)}/s per core after; faster ${verify.perSecond.toFixed(0)}/s × ${cores} cores ÷ ${validators} validators -> ceiling ${ceiling.toFixed(0)} tx/s`);
    console.log(`\nfull load: ${full.latencies.length} committed of ${totalTxs} in ${full.seconds.toFixed(1)} s (refused: ${full.refused}; retried: ${full.retried}; ${full.lost} accepted but not committed)`);
    console.log(`  committed throughput ${throughput.toFixed(0)} tx/s = ${((throughput / ceiling) * 100).toFixed(1)}% of the verification ceiling (target >= 60%)`);
    console.log(`  commit latency p50 ${percentile(full.latencies, 50).toFixed(0)} ms, p99 ${percentile(full.latencies, 99).toFixed(0)} ms`);
    // Each height costs every validator consensus messages, signatures and synced writes whatever it holds.
    console.log(`  ${blocks} blocks, ${(full.latencies.length / blocks).toFixed(0)} txs per block on average`);
    if (nodesCpuBefore !== undefined && nodesCpuAfter !== undefined) {
      const perTx = (micros: number) => micros / full.latencies.length;
      const nodes = perTx(nodesCpuAfter.total - nodesCpuBefore.total);
      const mainThreads = perTx(nodesCpuAfter.main - nodesCpuBefore.main);
      const client = perTx(clientCpu.user + clientCpu.system);
      console.log(`  CPU per committed tx: ${(nodes / validators).toFixed(0)} µs per validator (${(nodes / validators / verify.cpuMicros).toFixed(1)} verifies of ${verify.cpuMicros.toFixed(0)} µs; ${(mainThreads / validators).toFixed(0)} µs on main threads), load client ${client.toFixed(0)} µs`);
      console.log(`  that CPU cost allows at most ${(100 * shareCpuAllows(verify, validators, nodes + client)).toFixed(1)}% of the ceiling with every core on it`);
    }

    const halfRate = Math.max(1, Math.floor(throughput / 2));
    const steady = load.make(halfRate * halfLoadSeconds);
    const halfCpuBefore = devnetCpuMicros(devnet.dir);
    const half = await offer(devnet, watcher, steady, halfRate);
    const halfCpuAfter = devnetCpuMicros(devnet.dir);
    watcher.stop();
    await watching;
    console.log(`\nhalf load: ${halfRate} tx/s offered for ${halfLoadSeconds} s, ${half.latencies.length} committed (refused: ${half.refused}; retried: ${half.retried}; ${half.lost} accepted but not committed)`);
    console.log(`  commit latency p50 ${percentile(half.latencies, 50).toFixed(0)} ms, p99 ${percentile(half.latencies, 99).toFixed(0)} ms (target p99 <= 1000 ms)`);
    if (halfCpuBefore !== undefined && halfCpuAfter !== undefined) {
      const perValidator = (halfCpuAfter.total - halfCpuBefore.total) / half.latencies.length / validators;
      console.log(`  CPU per committed tx: ${perValidator.toFixed(0)} µs per validator (${(perValidator / verify.cpuMicros).toFixed(1)} verifies), with cores to spare`);
    }
  } finally {
    await devnet.shutdown();
    devnet.remove();
  }
}

main().catch((error: unknown) => {
  console.error(`bench-devnet: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
