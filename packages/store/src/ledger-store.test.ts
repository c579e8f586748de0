import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, sha256, toHex } from '@certledger/codec';
import { buildBlock, decodeTransaction, stateRoot, type State } from '@certledger/ledger';
import { makeTx, testNetwork } from '@certledger/ledger/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerStore, StoreError } from './ledger-store.js';

const net = testNetwork();
const chainId = net.genesis.chainId;
const transport = net.issuers.get('transport')!;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certledger-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function anchorTx(seq: number) {
  const fields = { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root: sha256(encode(['root', seq])), leafCount: 5 };
  return makeTx(chainId, transport, seq, { kind: 'anchor', ...fields });
}

async function appendBlocks(store: LedgerStore, state: State, count: number, firstSeq: number): Promise<State> {
  let current = state;
  for (let i = 0; i < count; i++) {
    const built = buildBlock(current, [anchorTx(firstSeq + i)], { time: current.lastBlockTime + 1000, proposer: net.validators[0]!.publicKey });
    await store.commitBlock(built.block, encode(['commit', built.block.header.height]), built.state);
    current = built.state;
  }
  return current;
}

describe('LedgerStore', () => {
  it('reopens at the same head and state root, with every index', async () => {
    let store = await LedgerStore.open(dir, net.genesis);
    expect(store.height).toBe(0);
    const state = await appendBlocks(store, await store.loadState(net.genesis), 3, 0);
    const revoke = makeTx(chainId, transport, 3, { kind: 'revoke', issuerId: 'transport', revocations: [{ root: sha256(encode(['root', 1])), leaf: null, reason: 'recalled' }] });
    const built = buildBlock(state, [revoke], { time: state.lastBlockTime + 1000, proposer: net.validators[0]!.publicKey });
    await store.commitBlock(built.block, encode('c4'), built.state);
    await store.close();

    store = await LedgerStore.open(dir, net.genesis);
    expect(store.height).toBe(4);
    expect(toHex(store.headHash)).toBe(toHex(built.block.hash));
    const restored = await store.loadState(net.genesis);
    expect(toHex(stateRoot(restored))).toBe(toHex(stateRoot(built.state)));
    const rootHex = toHex(sha256(encode(['root', 1])));
    expect((await store.getAnchor(rootHex))?.height).toBe(2);
    expect((await store.anchorsByIssuer('transport', 10)).map((a) => a.height)).toEqual([3, 2, 1]);
    expect((await store.anchorsByIssuer('transport', 10, 3)).map((a) => a.height)).toEqual([2, 1]);
    expect((await store.getRevocation(rootHex, null))?.reason).toBe('recalled');
    expect(await store.getRevocation(rootHex, 'ab'.repeat(32))).toBeUndefined();
    const decoded = decodeTransaction(built.block.txs[0]!);
    const located = await store.getTx(decoded.ok ? toHex(decoded.value.id) : '');
    expect(located?.height).toBe(4);
    expect(await store.heightOfBlock(toHex(built.block.hash))).toBe(4);
    const synced = [];
    for await (const item of store.blocksFrom(2, 99)) synced.push(item.height);
    expect(synced).toEqual([2, 3, 4]);
    await store.close();
  });

  it('refuses a block out of order and a store of another chain', async () => {
    const store = await LedgerStore.open(dir, net.genesis);
    const state = await store.loadState(net.genesis);
    const built = buildBlock(state, [], { time: state.lastBlockTime + 1, proposer: net.validators[0]!.publicKey });
    const second = buildBlock(built.state, [], { time: built.state.lastBlockTime + 1, proposer: net.validators[0]!.publicKey });
    await expect(store.commitBlock(second.block, encode(1), second.state)).rejects.toThrow(StoreError);
    await store.close();
    const other = testNetwork(4, 'other-chain');
    await expect(LedgerStore.open(dir, other.genesis)).rejects.toThrow(/another chain/);
  });

  it('indexes from the decoded transactions it is given, and refuses ones of another block', async () => {
    const store = await LedgerStore.open(dir, net.genesis);
    const state = await store.loadState(net.genesis);
    const built = buildBlock(state, [anchorTx(0)], { time: state.lastBlockTime + 1000, proposer: net.validators[0]!.publicKey });
    const otherTx = makeTx(chainId, transport, 0, { kind: 'anchor', issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root: sha256(encode(['other'])), leafCount: 1 });
    const other = buildBlock(state, [otherTx], { time: state.lastBlockTime + 1000, proposer: net.validators[0]!.publicKey });
    await expect(store.commitBlock(built.block, encode(1), built.state, other.txs)).rejects.toThrow(/not those of block 1/);
    await expect(store.commitBlock(built.block, encode(1), built.state, [])).rejects.toThrow(StoreError);
    await store.commitBlock(built.block, encode(1), built.state, built.txs);
    expect((await store.getTx(toHex(built.txs[0]!.id)))?.height).toBe(1);
    expect(await store.getTx(toHex(other.txs[0]!.id))).toBeUndefined();
    await store.close();
  });

  it('keeps the sign record across reopening', async () => {
    let store = await LedgerStore.open(dir, net.genesis);
    expect(await store.readSignRecord()).toBeUndefined();
    await store.writeSignRecord(new Uint8Array([1, 2, 3]));
    await store.close();
    store = await LedgerStore.open(dir, net.genesis);
    expect(Array.from((await store.readSignRecord())!)).toEqual([1, 2, 3]);
    await store.close();
  });

  it('keeps the lock record and each piece of evidence once across reopening', async () => {
    let store = await LedgerStore.open(dir, net.genesis);
    expect(await store.readLockRecord()).toBeUndefined();
    await store.writeLockRecord(new Uint8Array([4, 5]));
    await store.recordEvidence(new Uint8Array([9]));
    await store.recordEvidence(new Uint8Array([9]));
    await store.recordEvidence(new Uint8Array([8]));
    await store.close();
    store = await LedgerStore.open(dir, net.genesis);
    expect(Array.from((await store.readLockRecord())!)).toEqual([4, 5]);
    expect((await store.listEvidence()).map((e) => Array.from(e)).sort()).toEqual([[8], [9]]);
    await store.close();
  });
});
