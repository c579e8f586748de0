import { encode } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { encodeEvidence, makeEvidence, verifyEvidence } from './evidence.js';
import { encodeMessage, signVote, type Vote } from './messages.js';
import { errorCodeOf, testSigners, testValidatorSet } from './test-support.js';

const signers = testSigners(4);
const validators = testValidatorSet(signers);
const hash = new Uint8Array(32).fill(3);

function vote(signer = 0, blockHash: Uint8Array | null = null, round = 0): Vote {
  return signVote(signers[signer]!, 'c', { type: 'prevote', height: 2, round, blockHash });
}

function evidenceOf(a: Vote, b: Vote): Uint8Array {
  return encodeEvidence(makeEvidence(encodeMessage(a), encodeMessage(b), a));
}

describe('evidence of equivocation', () => {
  it('verifies two different signed votes by one validator at one position', () => {
    const evidence = verifyEvidence(evidenceOf(vote(1, null), vote(1, hash)), 'c', validators);
    expect(evidence).toMatchObject({ validator: signers[1]!.publicKey, height: 2, round: 0, step: 'prevote' });
  });

  it('is refused when it does not prove equivocation', () => {
    expect(errorCodeOf(() => verifyEvidence(evidenceOf(vote(1, null), vote(2, hash)), 'c', validators))).toBe('NOT_EQUIVOCATION');
    expect(errorCodeOf(() => verifyEvidence(evidenceOf(vote(1, null), vote(1, hash, 1)), 'c', validators))).toBe('NOT_EQUIVOCATION');
    const same = signVote(signers[1]!, 'c', { type: 'precommit', height: 2, round: 0, blockHash: null });
    expect(errorCodeOf(() => verifyEvidence(evidenceOf(vote(1, null), same), 'c', validators))).toBe('NOT_EQUIVOCATION');
    expect(errorCodeOf(() => verifyEvidence(evidenceOf(vote(1, null), vote(1, hash)), 'c', testValidatorSet(signers.slice(2))))).toBe('UNKNOWN_VALIDATOR');
    const forged = { ...vote(1, hash), signature: new Uint8Array(64) };
    expect(errorCodeOf(() => verifyEvidence(evidenceOf(vote(1, null), forged), 'c', validators))).toBe('BAD_SIGNATURE');
    const [x, y] = [encodeMessage(vote(1, null)), encodeMessage(vote(1, hash))].sort(Buffer.compare);
    expect(errorCodeOf(() => verifyEvidence(encode([y!, x!]), 'c', validators))).toBe('MALFORMED');
    expect(errorCodeOf(() => verifyEvidence(Uint8Array.of(1), 'c', validators))).toBe('MALFORMED');
  });

  it('is refused by count when it is a frame of many nils', () => {
    const nils = encode(new Array(8000).fill(null));
    expect(errorCodeOf(() => verifyEvidence(nils, 'c', validators))).toBe('MALFORMED');
    expect(() => verifyEvidence(nils, 'c', validators)).toThrow('input holds more than 3 values');
  });
});
