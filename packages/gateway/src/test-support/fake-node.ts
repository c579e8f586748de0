import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@certledger/codec';
import { buildBlock, type Block, type State } from '@certledger/ledger';
import type { TestNetwork } from '@certledger/ledger/testing';
import { createNodeMetrics, type NodeHandle, type NodeStatus, type SubmitResult } from '@certledger/node';
import { LedgerStore } from '@certledger/store';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { createGateway } from '../gateway.js';
import type { GatewayOptions } from '../options.js';

/** A node whose answers each test sets, over a real store. */
export class FakeNode implements NodeHandle {
  readonly name = 'fake';
  readonly publicKey = new Uint8Array(32);
  readonly metricsRegistry = createNodeMetrics().registry;
  /** Never settles: a fake node's store writes do not fail. */
  readonly failed = new Promise<Error>(() => undefined);
  currentStatus: NodeStatus;
  submitAnswer: (bytes: Uint8Array) => SubmitResult = () => ({ ok: false, error: { code: 'MEMPOOL_FULL', message: 'no answer was set for this test' } });
  commitAnswer: { height: number } | undefined;
  waits: { txId: string; timeoutMs: number }[] = [];
  submitted: Uint8Array[] = [];

  constructor(
    readonly store: LedgerStore,
    readonly state: State,
  ) {
    this.currentStatus = {
      name: 'fake',
      mode: 'validator',
      chainId: state.chainId,
      publicKey: '00'.repeat(32),
      height: state.height,
      lastBlockHash: 'ab'.repeat(32),
      lastBlockTime: state.lastBlockTime,
      consensus: { height: state.height + 1, round: 0, step: 'propose' },
      syncing: false,
      peers: [{ name: 'other', publicKey: '11'.repeat(32), connected: true }],
      mempool: { txs: 0, bytes: 0 },
      validators: [
        { name: 'fake', publicKey: '00'.repeat(32), power: 10 },
        { name: 'other', publicKey: '11'.repeat(32), power: 10 },
      ],
    };
  }

  status(): NodeStatus {
    return this.currentStatus;
  }

  submitTransaction(bytes: Uint8Array): SubmitResult {
    this.submitted.push(bytes);
    return this.submitAnswer(bytes);
  }

  async waitForCommit(txId: string, timeoutMs: number) {
    this.waits.push({ txId, timeoutMs });
    return this.commitAnswer;
  }

  async stop() {}
}

export interface StoredChain {
  readonly store: LedgerStore;
  readonly blocks: readonly Block[];
  readonly state: State;
}

/**
 * Opens a store under `path` and commits one block per entry of `blockTxs` (a stand-in commit
 * certificate each); a transaction the ledger refuses is a mistake in the test, so it throws.
 */
export async function storeChain(path: string, network: TestNetwork, blockTxs: readonly (readonly Uint8Array[])[]): Promise<StoredChain> {
  const store = await LedgerStore.open(path, network.genesis);
  let state = network.state;
  const blocks: Block[] = [];
  for (const txs of blockTxs) {
    const built = buildBlock(state, txs, { time: state.lastBlockTime + 1000, proposer: network.validators[0]!.publicKey });
    const [refused] = built.rejected;
    if (refused) throw new Error(`test chain block ${state.height + 1}: ${refused.error.code} ${refused.error.message}`);
    await store.commitBlock(built.block, fakeCommit(built.block.header.height), built.state);
    blocks.push(built.block);
    state = built.state;
  }
  return { store, blocks, state };
}

/**
 * For tests about something else: load shedding has its own test, and an event-loop stall on a
 * busy test machine (schema compilation at the first request) must not turn answers into 503s.
 */
export const NO_SHEDDING = { loadShedding: false } as const;

export interface FakeGateway extends StoredChain {
  readonly node: FakeNode;
  readonly app: FastifyInstance;
  /** Closes the gateway and the store, and removes the store's folder. */
  close(): Promise<void>;
}

/** A gateway (without load shedding) over a fake node whose store holds `blockTxs` in a temporary folder. */
export async function fakeGateway(network: TestNetwork, blockTxs: readonly (readonly Uint8Array[])[], options: GatewayOptions = {}): Promise<FakeGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'certledger-gateway-test-'));
  const chain = await storeChain(join(dir, 'store'), network, blockTxs);
  const node = new FakeNode(chain.store, chain.state);
  const app = await createGateway(node, { logger: false, ...NO_SHEDDING, ...options });
  const close = async () => {
    await app.close();
    await chain.store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { ...chain, node, app, close };
}

export const fakeCommit = (height: number) => encode(['commit', height]);

/** What every error answer must be: the status, the one shape with the code, a sentence, no internals. */
export function expectError(response: { statusCode: number; json(): unknown; body: string }, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toEqual({ error: { code, message: expect.stringMatching(/^\S.{8,}/) } });
  expect(response.body).not.toMatch(/\n\s+at |node_modules|FST_/);
}
