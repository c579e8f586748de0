import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, sha256 } from '@certledger/codec';
import { ConsensusEngine, DEFAULT_TIMEOUTS, encodeCommit, encodeMessage, voteBody, voteDigest } from '@certledger/consensus';
import { buildBlock, type Block } from '@certledger/ledger';
import { testAnchorTx, testNetwork } from '@certledger/ledger/testing';
import { LedgerStore } from '@certledger/store';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsensusDriver } from './consensus-driver.js';
import { LedgerApp } from './ledger-app.js';
import { createLogger } from './logger.js';
import { Mempool } from './mempool.js';

const network = testNetwork(4);
const { chainId } = network.genesis;
const PEER = 'ab'.repeat(32);

/** A commit certificate from three of the four validators. */
function commitOf(height: number, blockHash: Uint8Array): Uint8Array {
  const digest = voteDigest(voteBody(chainId, 'precommit', height, 0, blockHash));
  const signatures = network.validators.slice(0, 3).map((v) => ({ validator: v.publicKey, signature: v.sign(digest) }));
  return encodeCommit({ height, round: 0, blockHash, signatures });
}

/** Block 1 holding one anchor, with its commit certificate. */
function committedBlockOne(): { block: Block; commit: Uint8Array } {
  const tx = testAnchorTx(chainId, 0, sha256(Uint8Array.of(1)));
  const { block } = buildBlock(network.state, [tx], { time: network.state.lastBlockTime + 1000, proposer: network.validators[0]!.publicKey });
  return { block, commit: commitOf(1, block.hash) };
}

/** The genuine header of `block` (so its hash and commit still hold) with other transactions. */
function withOtherTxs(block: Block, txs: Uint8Array[]): Uint8Array {
  return encode([block.headerBytes, txs]);
}

interface Harness {
  readonly driver: ConsensusDriver;
  readonly app: LedgerApp;
  readonly store: LedgerStore;
  readonly failures: Error[];
  readonly rejected: string[];
  readonly logs: string[];
  readonly sent: Uint8Array[];
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A follower's consensus driver on a fresh store, with its network, events and log recorded. */
async function startFollower(options: { now?: () => number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'certledger-driver-'));
  const store = await LedgerStore.open(dir, network.genesis);
  const state = await store.loadState(network.genesis);
  const app = new LedgerApp(state, store, new Mempool(), 2000);
  const failures: Error[] = [];
  const rejected: string[] = [];
  const logs: string[] = [];
  const sent: Uint8Array[] = [];
  const engine = new ConsensusEngine({ chainId, signer: null, hashBlock: (bytes) => app.blockHash(bytes), maxBlockBytes: state.params.maxBlockBytes, timeouts: DEFAULT_TIMEOUTS });
  const driver = new ConsensusDriver({
    engine,
    app,
    store,
    blockIntervalMs: 10,
    proposerKey: null,
    log: createLogger('test', 'debug', { write: (line: string) => void logs.push(line) }),
    now: options.now,
    network: { broadcast: () => {}, send: (_peer, bytes) => void sent.push(bytes), syncFrom: () => {} },
    events: { committed: () => {}, evidence: () => {}, rejected: (_from, code) => void rejected.push(code), failed: (error) => void failures.push(error) },
  });
  cleanups.push(async () => {
    await driver.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { driver, app, store, failures, rejected, logs, sent };
}

describe('consensus driver, fed by peers', () => {
  it('refuses a synced block whose transactions are not those its committed header names, and goes on', async () => {
    const { driver, app, failures } = await startFollower();
    const { block, commit } = committedBlockOne();
    for (const txs of [[], [...block.txs, ...block.txs]]) {
      await expect(driver.applySyncedBlock(withOtherTxs(block, txs), commit)).rejects.toThrow(/synced block is malformed: the transactions do not match the header/);
    }
    expect(app.state.height).toBe(0);
    expect(failures).toEqual([]);
    await expect(driver.applySyncedBlock(block.bytes, commit)).resolves.toBe(true);
    expect(app.state.height).toBe(1);
  });

  it('skips a synced entry whose commit is for another height without decoding its block', async () => {
    const { driver, app, failures } = await startFollower();
    await expect(driver.applySyncedBlock(Uint8Array.of(0xc1), commitOf(2, new Uint8Array(32)))).resolves.toBe(false);
    expect(app.state.height).toBe(0);
    expect(failures).toEqual([]);
  });

  it('refuses a decision whose transactions are not those of its committed header, and still decides the real block', async () => {
    const { driver, app, failures, rejected } = await startFollower();
    const { block, commit } = committedBlockOne();
    driver.start();
    driver.onMessage(PEER, encodeMessage({ kind: 'decision', block: withOtherTxs(block, []), commit }));
    driver.onMessage(PEER, encodeMessage({ kind: 'decision', block: block.bytes, commit }));
    // A sync of the same block runs after both messages: it finds the height already decided.
    await expect(driver.applySyncedBlock(block.bytes, commit)).resolves.toBe(false);
    expect(app.state.height).toBe(1);
    expect(rejected).toEqual(['BAD_BLOCK_HASH']);
    expect(failures).toEqual([]);
  });

  it('reads one past decision at a time for a peer, however many it asks for', async () => {
    // Every reading of the clock is a second later than the last: no request waits for the resend pause.
    let clock = 1_000_000;
    const { driver, store, app, sent } = await startFollower({ now: () => (clock += 1000) });
    const { block, commit } = committedBlockOne();
    await driver.applySyncedBlock(block.bytes, commit);
    const reads: (() => void)[] = [];
    const getBlock = store.getBlock.bind(store);
    store.getBlock = async (height) => {
      await new Promise<void>((resolve) => reads.push(resolve));
      return getBlock(height);
    };
    // Each status names height 1, which this node decided.
    for (let i = 0; i < 50; i++) driver.onMessage(PEER, encodeMessage({ kind: 'status', height: 1, round: 0 }));
    await expect(driver.applySyncedBlock(block.bytes, commit)).resolves.toBe(false);
    expect(app.state.height).toBe(1);
    expect(reads).toHaveLength(1);
    reads.splice(0).forEach((release) => release());
    await expect.poll(() => sent.length).toBe(1);
  });
});
