import { sha256 } from '@certledger/codec';
import { decodeTransaction, MAX_REVOCATIONS_PER_TX, type RevocationEntry, type Revoke } from '@certledger/ledger';
import { testSigner } from '@certledger/ledger/testing';
import { describe, expect, it } from 'vitest';
import { revokeTransactions } from './revocations.js';

const signer = testSigner('issuer-transport');
const entries = (count: number, reason = 'withdrawn'): RevocationEntry[] =>
  Array.from({ length: count }, (_, i) => ({ root: sha256(Uint8Array.of(1)), leaf: sha256(Uint8Array.of(i >> 8, i & 255)), reason }));
const decoded = (bytes: Uint8Array) => {
  const tx = decodeTransaction(bytes, 1 << 20);
  if (!tx.ok) throw new Error(tx.error.message);
  return { seq: tx.value.body.seq, action: tx.value.body.action as Revoke };
};

describe('revoke transactions', () => {
  it('puts a few revocations into one signed transaction with the next seq', () => {
    const [tx, ...rest] = revokeTransactions({ chainId: 'c', issuerId: 'transport', signer, seq: 7, entries: entries(3) });
    expect(rest).toEqual([]);
    const { seq, action } = decoded(tx!.bytes);
    expect(seq).toBe(7);
    expect(action).toMatchObject({ kind: 'revoke', issuerId: 'transport' });
    expect(action.revocations).toEqual(entries(3));
    expect(tx!.entries).toEqual(entries(3));
  });

  it('splits many into transactions of at most MAX_REVOCATIONS_PER_TX, each within the byte limit, seqs in order', () => {
    const all = entries(2 * MAX_REVOCATIONS_PER_TX + 1, 'r'.repeat(200));
    const txs = revokeTransactions({ chainId: 'c', issuerId: 'transport', signer, seq: 0, entries: all, maxTxBytes: 64 * 1024 });
    expect(txs.length).toBeGreaterThan(3);
    for (const tx of txs) {
      expect(tx.bytes.length).toBeLessThanOrEqual(64 * 1024);
      expect(tx.entries.length).toBeLessThanOrEqual(MAX_REVOCATIONS_PER_TX);
    }
    expect(txs.map((tx) => decoded(tx.bytes).seq)).toEqual(txs.map((_, i) => i));
    expect(txs.flatMap((tx) => decoded(tx.bytes).action.revocations)).toEqual(all);
  });

  it('refuses a single revocation larger than the chain takes', () => {
    expect(() => revokeTransactions({ chainId: 'c', issuerId: 'transport', signer, seq: 0, entries: entries(1), maxTxBytes: 100 })).toThrow(/more than the 100 the chain takes/);
  });
});
