/**
 * Throughput and latency of a 4-validator devnet (separate processes on this machine), read
 * against the machine's own signature-verification ceiling measured in the same run.
 *
 *   pnpm bench:devnet [-- --txs 6000 --seconds 10]
 *
 * Phase 1 offers anchors as fast as the validators take them and reports committed txs/s and
 * commit latency. Phase 2 offers half that rate for a fixed time and reports the latency there.
 * Ceiling: native Ed25519 verifies/s on one core × cores ÷ validators, since every validator
 * verifies every transaction once.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { sha256, taggedHash } from '@certledger/codec';
import { keyPairFromSeed } from '@certledger/crypto';
import { signNative, verifyNative } from '@certledger/crypto/native';
import { testAnchorTx } from '@certledger/ledger/testing';
import { DevnetProcesses, until } from '../test/support/devnet-processes.js';

const SENDERS = 40;
const MAX_IN_FLIGHT = 256;

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { txs: { type: 'string', default: '6000' }, seconds: { type: 'string', default: '10' } } });
const totalTxs = Number(values.txs);
const halfLoadSeconds = Number(values.seconds);
if (!Number.isInteger(totalTxs) || totalTxs < 100) throw new Error(`--txs must be an integer of at least 100, got ${values.txs}`);
if (!Number.isInteger(halfLoadSeconds) || halfLoadSeconds < 2) throw new Error(`--seconds must be an integer of at least 2, got ${values.seconds}`);

function measureVerifiesPerSecond(): number {
  const pair = keyPairFromSeed(new Uint8Array(32).fill(3));
  const messages = Array.from({ length: 512 }, (_, i) => taggedHash('tx-signing', Uint8Array.of(i >> 8, i & 255)));
  const signatures = messages.map((m) => signNative(m, pair.secretKey));
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < 2000) {
    for (let i = 0; i < messages.length; i++) if (verifyNative(signatures[i]!, messages[i]!, pair.publicKey)) count++;
  }
  return count / ((performance.now() - started) / 1000);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

class Load {
  readonly #seqs = new Map<string, number>();
  #next = 0;

  constructor(private readonly chainId: string) {}

  /** Pre-signed anchors spread over the senders, so no sender's sequence queue limits the rate. */
  make(count: number): Uint8Array[] {
    return Array.from({ length: count }, () => {
      const sender = `dept-${this.#next % SENDERS}`;
      const seq = this.#seqs.get(sender) ?? 0;
      this.#seqs.set(sender, seq + 1);
      return testAnchorTx(this.chainId, seq, sha256(new TextEncoder().encode(`bench ${this.#next++}`)), sender, 'bench-licence');
    });
  }
}

/** Follows validator 0's chain and notes when each transaction id was first seen committed. */
class CommitWatcher {
  readonly committedAt = new Map<string, number>();
  #height = 0;
  #stopped = false;

  constructor(private readonly devnet: DevnetProcesses) {}

  async run(): Promise<void> {
    while (!this.#stopped) {
      const height = await this.devnet.height(0);
      for (let h = this.#height + 1; h <= height; h++) {
        const block = await this.devnet.block(0, h);
        if (!block) break;
        const now = performance.now();
        for (const id of block.txs) if (!this.committedAt.has(id)) this.committedAt.set(id, now);
        this.#height = h;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  stop(): void {
    this.#stopped = true;
  }
}

/**
 * Offers transactions (at most MAX_IN_FLIGHT submissions open at once, at `ratePerSecond` if
 * given) without waiting on each; latency is from submission to the watcher seeing the commit.
 */
async function offer(devnet: DevnetProcesses, watcher: CommitWatcher, txs: readonly Uint8Array[], ratePerSecond: number | undefined) {
  const submittedAt = new Map<string, number>();
  let refused = 0;
  let inFlight = 0;
  const started = performance.now();
  for (let index = 0; index < txs.length; index++) {
    while (inFlight >= MAX_IN_FLIGHT || (ratePerSecond !== undefined && index >= ((performance.now() - started) / 1000) * ratePerSecond)) {
      await new Promise((r) => setTimeout(r, 2));
    }
    inFlight++;
    const sent = performance.now();
    void devnet
      .submit(index % devnet.size, txs[index]!, 0)
      .then(({ status, body }) => (status === 201 || status === 202 ? submittedAt.set(body.id!, sent) : refused++))
      .catch(() => refused++)
      .finally(() => inFlight--);
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  const deadline = performance.now() + 60_000;
  while ([...submittedAt.keys()].some((id) => !watcher.committedAt.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const committed = [...submittedAt].filter(([id]) => watcher.committedAt.has(id));
  const lastCommit = Math.max(...committed.map(([id]) => watcher.committedAt.get(id)!));
  const latencies = committed.map(([id, sent]) => watcher.committedAt.get(id)! - sent).sort((a, b) => a - b);
  return { latencies, refused, lost: submittedAt.size - committed.length, seconds: (lastCommit - started) / 1000 };
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  console.log(`measuring native Ed25519 verify on one core...`);
  const verifiesPerSecond = measureVerifiesPerSecond();
  const validators = 4;
  const ceiling = (verifiesPerSecond * cores) / validators;
  console.log(`verify: ${verifiesPerSecond.toFixed(0)}/s per core, ${cores} cores, ${validators} validators -> ceiling ${ceiling.toFixed(0)} tx/s`);

  const devnet = new DevnetProcesses({ basePort: 36000, extraIssuers: SENDERS, logLevel: 'info', timings: { blockIntervalMs: 50, timeoutProposeMs: 1000, timeoutPrevoteMs: 500, timeoutPrecommitMs: 500, timeoutDeltaMs: 500 } });
  try {
    devnet.startAll();
    await until(async () => (await devnet.heights([0, 1, 2, 3])).every((h) => h >= 2), 'the devnet to commit its first blocks', 60_000);
    const load = new Load(devnet.network.chainId);

    const watcher = new CommitWatcher(devnet);
    const watching = watcher.run();
    const burst = load.make(totalTxs);
    const full = await offer(devnet, watcher, burst, undefined);
    const throughput = full.latencies.length / full.seconds;
    console.log(`\nfull load: ${full.latencies.length} committed of ${totalTxs} in ${full.seconds.toFixed(1)} s (${full.refused} refused, ${full.lost} not committed)`);
    console.log(`  committed throughput ${throughput.toFixed(0)} tx/s = ${((throughput / ceiling) * 100).toFixed(1)}% of the verification ceiling (target >= 60%)`);
    console.log(`  commit latency p50 ${percentile(full.latencies, 50).toFixed(0)} ms, p99 ${percentile(full.latencies, 99).toFixed(0)} ms`);

    const halfRate = Math.max(1, Math.floor(throughput / 2));
    const steady = load.make(halfRate * halfLoadSeconds);
    const half = await offer(devnet, watcher, steady, halfRate);
    watcher.stop();
    await watching;
    console.log(`\nhalf load: ${halfRate} tx/s offered for ${halfLoadSeconds} s, ${half.latencies.length} committed (${half.refused} refused, ${half.lost} not committed)`);
    console.log(`  commit latency p50 ${percentile(half.latencies, 50).toFixed(0)} ms, p99 ${percentile(half.latencies, 99).toFixed(0)} ms (target p99 <= 1000 ms)`);
  } finally {
    await devnet.shutdown();
    devnet.remove();
  }
}

main().catch((error: unknown) => {
  console.error(`bench-devnet: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
