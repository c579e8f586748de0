/**
 * What one validator spends per transaction without the network: two validators' ledgers in
 * this process, a proposer and a follower, each with its own mempool and LevelDB store, take
 * the same pre-signed anchors as gossip would bring them, then the proposer builds blocks, the
 * follower judges their bytes, and both store them. Read against one native Ed25519 verify
 * measured in the same run: every validator must verify every transaction once, so
 * "verifies per tx" above 1 is overhead.
 *
 * Both validators share this process's module state, so a memory of verified signatures kept
 * per process would let the follower skip checks the proposer made and understate the figures
 * (when the state transition checked signatures through crypto's memory of verified ones, this
 * bench saw only half the verifies). Node code keeps its verdicts per decoded transaction, and
 * each validator here decodes its own copies.
 *
 *   pnpm bench:validator [-- --txs 20000]
 *
 * CPU time is the whole process's (garbage-collector helper threads and LevelDB's compaction
 * included) and, on Linux, the main thread's alone, split by phase; the machine's other load
 * moves it far less than wall time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sha256 } from '@certledger/codec';
import { makeTx, testNetwork, testSigner } from '@certledger/ledger/testing';
import { LedgerApp, Mempool } from '@certledger/node';
import { LedgerStore } from '@certledger/store';
import { measureVerifySpeed } from './verify-speed.js';

const SENDERS = 100;
const BLOCK_TXS = 2000;

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { txs: { type: 'string', default: '20000' } } });
const totalTxs = Number(values.txs);
if (!Number.isInteger(totalTxs) || totalTxs < BLOCK_TXS) throw new Error(`--txs must be an integer of at least ${BLOCK_TXS}, got ${values.txs}`);

/** CPU time of the whole process: the main thread, the garbage collector's helpers and LevelDB's threads. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * CPU time of the calling (main) thread alone, where Linux tells it (nanoseconds in
 * /proc/thread-self/schedstat); NaN elsewhere. Background threads work whenever they like, so
 * only this splits cleanly by phase.
 */
function mainThreadMicros(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1000;
  } catch {
    return Number.NaN;
  }
}

function anchors(chainId: string, count: number): Uint8Array[] {
  const senders = Array.from({ length: SENDERS }, (_, i) => ({ issuerId: `dept-${i}`, signer: testSigner(`issuer-dept-${i}`), seq: 0 }));
  return Array.from({ length: count }, (_, i) => {
    const sender = senders[i % SENDERS]!;
    const root = sha256(new TextEncoder().encode(`bench ${i}`));
    return makeTx(chainId, sender.signer, sender.seq++, { kind: 'anchor', issuerId: sender.issuerId, typeId: 'bench-licence', typeVersion: 1, root, leafCount: 1 });
  });
}

interface Validator {
  readonly app: LedgerApp;
  readonly mempool: Mempool;
  readonly store: LedgerStore;
}

async function openValidator(dir: string, name: string, network: ReturnType<typeof testNetwork>): Promise<Validator> {
  const store = await LedgerStore.open(join(dir, name), network.genesis);
  const mempool = new Mempool();
  return { app: new LedgerApp(network.state, store, mempool, BLOCK_TXS), mempool, store };
}

/** Per phase: CPU µs of the process and of its main thread. */
const phases = new Map<string, { process: number; main: number }>();
async function timed<T>(phase: string, work: () => T | Promise<T>): Promise<T> {
  const started = { process: cpuMicros(), main: mainThreadMicros() };
  const result = await work();
  const sum = phases.get(phase) ?? { process: 0, main: 0 };
  phases.set(phase, { process: sum.process + cpuMicros() - started.process, main: sum.main + mainThreadMicros() - started.main });
  return result;
}

async function main(): Promise<void> {
  const network = testNetwork(4, 'bench-chain', SENDERS);
  console.log(`signing ${totalTxs} anchors from ${SENDERS} senders...`);
  const txs = anchors(network.genesis.chainId, totalTxs);
  // As bench:devnet measures it: in this process, before the work starts.
  const verifyMicros = measureVerifySpeed(3, 1000).cpuMicros;
  const dir = mkdtempSync(join(tmpdir(), 'certledger-bench-validator-'));
  let gcPauseMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauseMs += entry.duration;
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  try {
    const proposer = await openValidator(dir, 'proposer', network);
    const follower = await openValidator(dir, 'follower', network);
    const started = cpuMicros();
    const mainStarted = mainThreadMicros();
    const wallStarted = performance.now();
    // Gossip arrives in lumps; blocks are built from what has arrived.
    for (let offset = 0; offset < totalTxs; offset += BLOCK_TXS) {
      const lump = txs.slice(offset, offset + BLOCK_TXS);
      // Copies, as decodeTxBatch makes of a gossip message: no validator shares bytes with another.
      for (const { mempool, app } of [proposer, follower]) {
        await timed('mempool add', () => {
          for (const tx of lump) {
            const added = mempool.add(tx.slice(), app.state);
            if (!added.ok) throw new Error(`the mempool refused a benchmark transaction: ${added.error.code}: ${added.error.message}`);
          }
        });
      }
      const block = await timed('propose', () => proposer.app.propose(network.genesis.genesisTime + offset + 1, network.validators[0]!.publicKey));
      if (block.txs.length !== lump.length) throw new Error(`the proposal holds ${block.txs.length} transactions, expected ${lump.length}`);
      const received = block.bytes.slice();
      const judged = await timed('validate', () => follower.app.validate(received, Number.POSITIVE_INFINITY));
      if (!judged.ok) throw new Error(`the follower refused the proposal: ${judged.error.code}: ${judged.error.message}`);
      const commit = new Uint8Array(200);
      await timed('commit (proposer)', () => proposer.app.commit(block.bytes, commit));
      await timed('commit (follower)', () => follower.app.commit(received, commit));
    }
    const cpu = cpuMicros() - started;
    const mainCpu = mainThreadMicros() - mainStarted;
    const wallSeconds = (performance.now() - wallStarted) / 1000;
    const perTx = (micros: number) => micros / totalTxs;
    const cell = (micros: number) => `${perTx(micros).toFixed(1).padStart(7)} µs ${(perTx(micros) / verifyMicros).toFixed(2).padStart(5)}`;
    console.log(`one native verify: ${verifyMicros.toFixed(1)} µs of CPU (best of three runs before the work)`);
    console.log(`${totalTxs} anchors through 2 validators in ${wallSeconds.toFixed(1)} s; CPU per tx per validator (µs, and in verifies):`);
    console.log(`  ${''.padEnd(26)} ${'whole process'.padStart(16)}   ${'main thread'.padStart(16)}`);
    const phase = (name: string) => phases.get(name) ?? { process: 0, main: 0 };
    const halfOf = (...names: string[]) => {
      const sums = names.map(phase);
      return { process: sums.reduce((a, p) => a + p.process, 0) / 2, main: sums.reduce((a, p) => a + p.main, 0) / 2 };
    };
    const rows: [string, { process: number; main: number }][] = [
      ['mempool add', halfOf('mempool add')],
      ['propose (proposer only)', phase('propose')],
      ['validate (follower only)', phase('validate')],
      ['commit', halfOf('commit (proposer)', 'commit (follower)')],
      ['total, per validator', { process: cpu / 2, main: mainCpu / 2 }],
    ];
    for (const [name, micros] of rows) console.log(`  ${name.padEnd(26)} ${cell(micros.process)}   ${cell(micros.main)}`);
    console.log(`  main-thread GC pauses: ${((gcPauseMs * 1000) / totalTxs / 2).toFixed(1)} µs per tx per validator`);
    await proposer.store.close();
    await follower.store.close();
  } finally {
    gcObserver.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
