import { encode } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { TxGossip, decodeTxBatch } from './tx-gossip.js';

describe('transaction gossip', () => {
  it('batches what arrives together and sends a full batch at once', async () => {
    const sent: Uint8Array[][] = [];
    const gossip = new TxGossip((payload) => sent.push(decodeTxBatch(payload, 100)), 64);
    gossip.add(Uint8Array.of(1));
    gossip.add(Uint8Array.of(2));
    expect(sent).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
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
});
