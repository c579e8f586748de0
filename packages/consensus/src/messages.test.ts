import { encode } from '@certledger/codec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, signProposal, signVote, type ConsensusMessage } from './messages.js';
import { errorCodeOf, testSigners } from './test-support.js';

const [signer] = testSigners(1);
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const round = fc.integer({ min: 0, max: 1000 });
const height = fc.integer({ min: 0, max: 2 ** 40 });

const message: fc.Arbitrary<ConsensusMessage> = fc.oneof(
  fc
    .record({ type: fc.constantFrom('prevote' as const, 'precommit' as const), height, round, blockHash: fc.option(hash, { nil: null }) })
    .map((fields) => signVote(signer!, 'chain-a', fields)),
  fc
    .record({ height, round: fc.integer({ min: 1, max: 1000 }), blockHash: hash, block: fc.uint8Array({ maxLength: 200 }) })
    .chain((f) => fc.integer({ min: -1, max: f.round - 1 }).map((polRound) => signProposal(signer!, 'chain-a', { ...f, polRound }))),
  fc.record({ kind: fc.constant('decision' as const), block: fc.uint8Array({ maxLength: 200 }), commit: fc.uint8Array({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('status' as const), height, round }),
);

describe('consensus messages', () => {
  it('decode what they encode, field for field and byte for byte', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeMessage(m);
        const decoded = decodeMessage(bytes, 'chain-a', 1000);
        expect(decoded).toEqual(m);
        expect(encodeMessage(decoded)).toEqual(bytes);
      }),
    );
  });

  it('refuse every truncation of a valid message', () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, cut) => {
        const bytes = encodeMessage(m);
        const truncated = bytes.subarray(0, cut % bytes.length);
        expect(errorCodeOf(() => decodeMessage(truncated, 'chain-a', 1000))).toBe('MALFORMED');
      }),
    );
  });

  it('refuse messages of another chain, unknown kinds, bad vote types and pol rounds not before the round', () => {
    const vote = signVote(signer!, 'chain-b', { type: 'prevote', height: 1, round: 0, blockHash: null });
    expect(errorCodeOf(() => decodeMessage(encodeMessage(vote), 'chain-a', 1000))).toBe('WRONG_CHAIN');
    expect(errorCodeOf(() => decodeMessage(encode([9, 1, 2]), 'chain-a', 1000))).toBe('MALFORMED');
    const badType = encode([1, encode(['chain-a', 1, 0, 3, null]), signer!.publicKey, new Uint8Array(64)]);
    expect(errorCodeOf(() => decodeMessage(badType, 'chain-a', 1000))).toBe('MALFORMED');
    const badPol = encode([0, encode(['chain-a', 1, 2, 2, new Uint8Array(32)]), signer!.publicKey, new Uint8Array(64), new Uint8Array(1)]);
    expect(errorCodeOf(() => decodeMessage(badPol, 'chain-a', 1000))).toBe('MALFORMED');
  });

  it('refuse a frame of many nils by its count, before building them, as a message or as its signed body', () => {
    const nils = encode(new Array(1 << 20).fill(null));
    expect(errorCodeOf(() => decodeMessage(nils, 'chain-a', 1 << 20))).toBe('MALFORMED');
    expect(() => decodeMessage(nils, 'chain-a', 1 << 20)).toThrow('input holds more than 16 values');
    const nilBody = encode([1, encode(new Array(500).fill(null)), signer!.publicKey, new Uint8Array(64)]);
    expect(() => decodeMessage(nilBody, 'chain-a', 1000)).toThrow('input holds more than 16 values');
  });

  it('refuse a proposal whose block exceeds the limit', () => {
    const proposal = signProposal(signer!, 'chain-a', { height: 1, round: 0, polRound: -1, blockHash: new Uint8Array(32), block: new Uint8Array(2000) });
    expect(errorCodeOf(() => decodeMessage(encodeMessage(proposal), 'chain-a', 1000))).toBe('MALFORMED');
  });
});
