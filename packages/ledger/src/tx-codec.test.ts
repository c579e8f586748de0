import { encode } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { MAX_REVOCATIONS_PER_TX, MAX_TX_MAP_KEYS } from './action-codec.js';
import { makeTx, testNetwork, testSigner } from './testing.js';
import { decodeTransaction } from './tx-codec.js';

const { genesis } = testNetwork();
const nils = (count: number) => encode(new Array(count).fill(null));
/** The bound both decodings of a transaction take: twice the values of the largest body. */
const maxValues = 2 * (11 + 7 * MAX_REVOCATIONS_PER_TX);

describe('decodeTransaction bounds the values it builds', () => {
  it('takes the largest transaction, a revocation of MAX_REVOCATIONS_PER_TX entries', () => {
    const revocations = Array.from({ length: MAX_REVOCATIONS_PER_TX }, (_, i) => ({ root: new Uint8Array(32).fill(i & 0xff), leaf: new Uint8Array(32), reason: 'r'.repeat(200) }));
    const bytes = makeTx(genesis.chainId, testSigner('issuer-transport'), 0, { kind: 'revoke', issuerId: 'transport', revocations });
    const decoded = decodeTransaction(bytes, 1 << 20);
    expect(decoded.ok && decoded.value.body.action).toMatchObject({ kind: 'revoke', revocations: { length: MAX_REVOCATIONS_PER_TX } });
  });

  it('refuses a frame of many nils by its count, before building them, as the transaction or as its body', () => {
    expect(decodeTransaction(nils(1 << 19), 1 << 20)).toEqual({ ok: false, error: { code: 'MALFORMED_TX', message: `input holds more than ${maxValues} values` } });
    const nilBody = encode([nils(1 << 19), new Uint8Array(64), []]);
    expect(decodeTransaction(nilBody, 1 << 20)).toEqual({ ok: false, error: { code: 'MALFORMED_TX', message: `input holds more than ${maxValues} values` } });
  });

  it('refuses a map with more keys than any map of a transaction holds, before building its keys', () => {
    // Within the value bound, yet each key costs a text and an ordering check: thousands of them cost milliseconds.
    const bigMap = Object.fromEntries(Array.from({ length: 7000 }, (_, i) => [`k${String(i).padStart(5, '0')}`, null]));
    const body = encode([1, genesis.chainId, 'anchor', new Uint8Array(32), 0, bigMap]);
    const expected = { ok: false, error: { code: 'MALFORMED_TX', message: `a map holds 7000 keys; at most ${MAX_TX_MAP_KEYS} are accepted` } };
    expect(decodeTransaction(encode([body, new Uint8Array(64), []]), 1 << 20)).toEqual(expected);
    expect(decodeTransaction(encode([bigMap, new Uint8Array(64), []]), 1 << 20)).toEqual(expected);
  });
});
