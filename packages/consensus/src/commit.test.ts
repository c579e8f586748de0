import { encode } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { decodeCommit, encodeCommit, verifyCommit, type Commit } from './commit.js';
import { signVote } from './messages.js';
import { errorCodeOf, testSigners, testValidatorSet } from './test-support.js';

const signers = testSigners(4);
const validators = testValidatorSet(signers, [1, 1, 1, 2]);
const blockHash = new Uint8Array(32).fill(7);

function commitBy(indexes: number[], overrides: Partial<Commit> = {}): Commit {
  const signatures = indexes.map((i) => {
    const vote = signVote(signers[i]!, 'c', { type: 'precommit', height: 5, round: 2, blockHash });
    return { validator: vote.validator, signature: vote.signature };
  });
  return { height: 5, round: 2, blockHash, signatures, ...overrides };
}

describe('commit certificates', () => {
  const expected = { chainId: 'c', validators, height: 5, blockHash };

  it('verify with signers holding a quorum of power, not a quorum of heads', () => {
    expect(verifyCommit(encodeCommit(commitBy([0, 1, 3])), expected).signatures).toHaveLength(3);
    expect(errorCodeOf(() => verifyCommit(commitBy([0, 1, 2]), expected))).toBe('NO_QUORUM');
  });

  it('encode canonically whatever the signature order', () => {
    expect(encodeCommit(commitBy([3, 0, 1]))).toEqual(encodeCommit(commitBy([0, 1, 3])));
    expect(decodeCommit(encodeCommit(commitBy([0, 1, 3])))).toEqual({ ...commitBy([0, 1, 3]), signatures: [...commitBy([0, 1, 3]).signatures].sort((a, b) => (Buffer.compare(a.validator, b.validator))) });
  });

  it('decode with as many signatures as the shape check takes, 1 000, and refuse a frame of many nils by its count', () => {
    const signatures = Array.from({ length: 1000 }, (_, i) => ({ validator: new Uint8Array(32).fill(i >> 8, 0, 1).fill(i & 0xff, 1, 2), signature: new Uint8Array(64) }));
    expect(decodeCommit(encodeCommit({ height: 5, round: 2, blockHash, signatures })).signatures).toHaveLength(1000);
    const nils = encode(new Array(200_000).fill(null));
    expect(errorCodeOf(() => decodeCommit(nils))).toBe('MALFORMED');
    expect(() => decodeCommit(nils)).toThrow('input holds more than 3005 values');
  });

  it('are refused for another chain, height or block, or with a forged, repeated or foreign signer', () => {
    expect(errorCodeOf(() => verifyCommit(commitBy([0, 1, 3]), { ...expected, chainId: 'other' }))).toBe('BAD_SIGNATURE');
    expect(errorCodeOf(() => verifyCommit(commitBy([0, 1, 3]), { ...expected, height: 6 }))).toBe('WRONG_HEIGHT');
    expect(errorCodeOf(() => verifyCommit(commitBy([0, 1, 3]), { ...expected, blockHash: new Uint8Array(32) }))).toBe('BAD_BLOCK_HASH');
    const good = commitBy([0, 1, 3]);
    const forged = { ...good, signatures: [good.signatures[0]!, good.signatures[1]!, { ...good.signatures[2]!, signature: new Uint8Array(64).fill(1) }] };
    expect(errorCodeOf(() => verifyCommit(forged, expected))).toBe('BAD_SIGNATURE');
    expect(errorCodeOf(() => verifyCommit({ ...good, signatures: [good.signatures[0]!, good.signatures[2]!, good.signatures[2]!] }, expected))).toBe('DUPLICATE_SIGNER');
    const outsider = testValidatorSet(testSigners(3));
    expect(errorCodeOf(() => verifyCommit(good, { ...expected, validators: outsider }))).toBe('UNKNOWN_VALIDATOR');
    expect(errorCodeOf(() => verifyCommit(Uint8Array.of(1, 2, 3), expected))).toBe('MALFORMED');
  });
});
