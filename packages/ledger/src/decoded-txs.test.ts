import { sha256, toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { applyBlock, buildBlock, executeBlock } from './chain.js';
import { stateRoot } from './state-root.js';
import { makeTx, testNetwork } from './testing.js';
import type { Transaction } from './transaction.js';
import { applyTransaction } from './transition.js';
import { decodeTransaction } from './tx-codec.js';

const net = testNetwork();
const transport = net.issuers.get('transport')!;
const proposer = net.validators[0]!.publicKey;
const time = net.state.lastBlockTime + 1000;

function anchorTx(seq: number): Uint8Array {
  return makeTx(net.genesis.chainId, transport, seq, { kind: 'anchor', issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root: sha256(Uint8Array.of(seq, 7)), leafCount: 2 });
}

function decoded(bytes: Uint8Array): Transaction {
  const result = decodeTransaction(bytes);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('transactions decoded once, on arrival', () => {
  const bytes = [anchorTx(0), anchorTx(1), anchorTx(2)];
  const earlier = bytes.map((b) => decoded(Uint8Array.from(b)));

  it('build the same block from decodings as from bytes, and hand the decodings on', () => {
    const fromBytes = buildBlock(net.state, bytes, { time, proposer });
    const fromDecoded = buildBlock(net.state, earlier, { time, proposer });
    expect(toHex(fromDecoded.block.bytes)).toBe(toHex(fromBytes.block.bytes));
    expect(fromDecoded.txs).toEqual(earlier);
    expect(fromBytes.txs.map((tx) => toHex(tx.id))).toEqual(earlier.map((tx) => toHex(tx.id)));
  });

  it('execute a block with the decodings made earlier, to the state applyBlock reaches', () => {
    const { block } = buildBlock(net.state, bytes, { time, proposer });
    const byBytes = new Map(earlier.map((tx) => [toHex(tx.bytes), tx]));
    const executed = executeBlock(net.state, block, (tx) => byBytes.get(toHex(tx)));
    const applied = applyBlock(net.state, block);
    if (!executed.ok || !applied.ok) throw new Error('the block should be valid');
    expect(toHex(stateRoot(executed.value.state))).toBe(toHex(stateRoot(applied.value)));
    expect(executed.value.txs).toEqual(earlier);
    expect(executed.value.txs[0]).toBe(earlier[0]);
  });

  it('ignore a decoding of other bytes and judge the block by its own bytes', () => {
    const { block } = buildBlock(net.state, bytes, { time, proposer });
    const impostor = decoded(anchorTx(5));
    const executed = executeBlock(net.state, block, () => impostor);
    expect(executed.ok).toBe(true);
    if (executed.ok) expect(executed.value.txs.map((tx) => toHex(tx.bytes))).toEqual(bytes.map((b) => toHex(b)));
  });

  it('hold a decoding to the size limit its bytes would meet', () => {
    const small = { ...net.state, params: { ...net.state.params, maxTxBytes: 64 } };
    const result = applyTransaction(small, earlier[0]!, { height: 1, time });
    expect(result.ok ? 'accepted' : result.error.code).toBe('TX_TOO_LARGE');
    expect(applyTransaction(small, bytes[0]!, { height: 1, time }).ok).toBe(false);
  });
});
