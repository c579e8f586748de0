import { encode, sha256, toHex } from '@certledger/codec';
import { buildBlock } from '@certledger/ledger';
import { makeTx, testNetwork } from '@certledger/ledger/testing';
import { describe, expect, it } from 'vitest';
import { Mempool } from './mempool.js';

const net = testNetwork();
const chainId = net.genesis.chainId;
const transport = net.issuers.get('transport')!;
const health = net.issuers.get('health')!;
const maxTxBytes = net.state.params.maxTxBytes;

function anchor(issuer = transport, issuerId = 'transport', typeId = 'driving-licence', seq = 0, n = seq) {
  const fields = { issuerId, typeId, typeVersion: 1, root: sha256(encode([issuerId, n])), leafCount: 1 };
  return makeTx(chainId, issuer, seq, { kind: 'anchor', ...fields });
}

describe('Mempool', () => {
  it('orders each sender by sequence and waits for gaps to fill', () => {
    const pool = new Mempool();
    expect(pool.add(anchor(transport, 'transport', 'driving-licence', 2), net.state).ok).toBe(true);
    expect(pool.add(anchor(health, 'health', 'nurse-licence', 0), net.state).ok).toBe(true);
    expect(pool.candidates(net.state)).toHaveLength(1);
    expect(pool.add(anchor(transport, 'transport', 'driving-licence', 0), net.state).ok).toBe(true);
    expect(pool.add(anchor(transport, 'transport', 'driving-licence', 1), net.state).ok).toBe(true);
    const candidates = pool.candidates(net.state);
    expect(candidates).toHaveLength(4);
    const built = buildBlock(net.state, candidates, { time: net.state.lastBlockTime + 1, proposer: net.validators[0]!.publicKey });
    expect(built.rejected).toEqual([]);
    pool.afterCommit(built.state);
    expect(pool.size).toBe(0);
    expect(pool.bytes).toBe(0);
  });

  it('finds the decoding of a waiting transaction by its exact bytes, and drops it by them', () => {
    const pool = new Mempool();
    const tx = anchor();
    const added = pool.add(tx, net.state);
    expect(pool.decodedForBlock(Uint8Array.from(tx), maxTxBytes)).toBe(added.ok && added.tx);
    expect(pool.candidates(net.state)).toEqual([added.ok && added.tx]);
    const altered = Uint8Array.from(tx);
    altered[altered.length - 5] = (altered[altered.length - 5] as number) ^ 1;
    expect(toHex(pool.decodedForBlock(altered, maxTxBytes)!.bytes)).toBe(toHex(altered));
    pool.removeBytes(Uint8Array.from(tx));
    expect(pool.size).toBe(0);
    expect(pool.decodedForBlock(tx, maxTxBytes)).not.toBe(added.ok && added.tx);
  });

  it('keeps the decoding of a transaction first met in a block, for its arrival, until the next commit', () => {
    const pool = new Mempool();
    const tx = anchor();
    const fromBlock = pool.decodedForBlock(Uint8Array.from(tx), maxTxBytes);
    expect(fromBlock).toBeDefined();
    expect(pool.decodedForBlock(Uint8Array.from(tx), maxTxBytes)).toBe(fromBlock);
    const arrived = pool.add(Uint8Array.from(tx), net.state);
    expect(arrived.ok && arrived.tx).toBe(fromBlock);
    const later = anchor(transport, 'transport', 'driving-licence', 1);
    const laterFromBlock = pool.decodedForBlock(later, maxTxBytes);
    pool.afterCommit(net.state);
    expect(pool.decodedForBlock(later, maxTxBytes)).not.toBe(laterFromBlock);
    expect(pool.decodedForBlock(new Uint8Array([1, 2, 3]), maxTxBytes)).toBeUndefined();
  });

  it('holds a decoding met in a block to the size limit of the state it is added under', () => {
    const pool = new Mempool();
    const tx = anchor();
    pool.decodedForBlock(tx, maxTxBytes);
    const small = { ...net.state, params: { ...net.state.params, maxTxBytes: 64 } };
    const added = pool.add(Uint8Array.from(tx), small);
    expect(added.ok ? 'accepted' : added.error.code).toBe('TX_TOO_LARGE');
  });

  it('refuses duplicates, replays, forgeries, far-future sequences and a full pool, with reasons', () => {
    const pool = new Mempool({ maxTxs: 3, maxSeqAhead: 4 });
    const tx = anchor();
    expect(pool.add(tx, net.state).ok).toBe(true);
    const codeOf = (bytes: Uint8Array, p = pool) => {
      const r = p.add(bytes, net.state);
      return r.ok ? 'accepted' : r.error.code;
    };
    expect(codeOf(tx)).toBe('DUPLICATE_TX');
    expect(codeOf(anchor(transport, 'transport', 'driving-licence', 9))).toBe('BAD_SEQUENCE');
    expect(codeOf(anchor(health, 'transport', 'driving-licence', 0))).toBe('NOT_AUTHORISED');
    const forged = Uint8Array.from(anchor(transport, 'transport', 'driving-licence', 3));
    forged[forged.length - 5] = (forged[forged.length - 5] as number) ^ 1;
    expect(codeOf(forged)).toBe('BAD_SIGNATURE');
    expect(codeOf(anchor(transport, 'transport', 'driving-licence', 1))).toBe('accepted');
    expect(codeOf(anchor(transport, 'transport', 'driving-licence', 2))).toBe('accepted');
    expect(codeOf(anchor(transport, 'transport', 'driving-licence', 3))).toBe('MEMPOOL_FULL');
    expect(codeOf(new Uint8Array([1, 2, 3]))).toBe('MALFORMED_TX');
    expect(pool.has(toHex(sha256(new Uint8Array())))).toBe(false);
  });
});
