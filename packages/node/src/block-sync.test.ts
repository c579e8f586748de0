import { encode } from '@certledger/codec';
import type { LedgerStore } from '@certledger/store';
import { describe, expect, it } from 'vitest';
import { SYNC_BATCH_BLOCKS, answerSyncRequest, decodeSyncAnswer } from './block-sync.js';

const nils = (count: number) => encode(new Array(count).fill(null));

describe('sync messages from a peer', () => {
  it('takes a full answer and refuses a frame of many nils by its count, before building them', () => {
    const full = encode(Array.from({ length: SYNC_BATCH_BLOCKS }, () => [Uint8Array.of(1), Uint8Array.of(2)]));
    expect(decodeSyncAnswer(full, 1 << 20)).toHaveLength(SYNC_BATCH_BLOCKS);
    expect(() => decodeSyncAnswer(nils(1 << 20), 2 << 20)).toThrow(`peer sent a malformed sync answer: input holds more than ${1 + 3 * SYNC_BATCH_BLOCKS} values`);
  });

  it('refuses a request of many nils by its count, before reading the store', async () => {
    const untouchable = new Proxy({}, { get: () => expect.unreachable('the store was read') }) as LedgerStore;
    await expect(answerSyncRequest(untouchable, nils(60), 1 << 20)).rejects.toThrow('input holds more than 3 values');
  });
});
