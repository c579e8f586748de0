import { encode } from '@certledger/codec';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GOSSIP_DELAY_MS, MAX_TXS_PER_GOSSIP, TxGossip, decodeTxBatch } from './tx-gossip.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('transaction gossip', () => {
  it('batches what arrives together and sends a full batch at once', () => {
    vi.useFakeTimers();
    const sent: Uint8Array[][] = [];
    const gossip = new TxGossip((payload) => sent.push(decodeTxBatch(payload, 100)), 64);
    gossip.add(Uint8Array.of(1));
    gossip.add(Uint8Array.of(2));
    vi.advanceTimersByTime(GOSSIP_DELAY_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[Uint8Array.of(1), Uint8Array.of(2)]]);
    gossip.add(new Uint8Array(30));
    gossip.add(new Uint8Array(30));
    expect(sent).toHaveLength(2);
    gossip.stop();
  });

  it('refuses a gossip message that is not a list of transactions', () => {
    expect(() => decodeTxBatch(Uint8Array.of(0xc1), 100)).toThrow(/malformed transaction gossip/);
    expect(() => decodeTxBatch(encode([1, 2]), 100)).toThrow(/transaction 0/);
    expect(() => decodeTxBatch(encode([new Uint8Array(200)]), 100)).toThrow(/transaction 0/);
  });

  it('takes a full batch and refuses a frame of many nils by its count, before building them', () => {
    expect(decodeTxBatch(encode(Array.from({ length: MAX_TXS_PER_GOSSIP }, () => Uint8Array.of(1))), 100)).toHaveLength(MAX_TXS_PER_GOSSIP);
    const nils = encode(new Array(1 << 20).fill(null));
    expect(() => decodeTxBatch(nils, 100)).toThrow(`malformed transaction gossip: input holds more than ${MAX_TXS_PER_GOSSIP + 1} values`);
  });
});
