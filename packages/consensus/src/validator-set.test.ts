import { toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { testSigners, testValidatorSet } from './test-support.js';
import { ValidatorSet } from './validator-set.js';

describe('ValidatorSet', () => {
  const signers = testSigners(4);

  it('needs more than two thirds of the power for a quorum and more than a third for a weak one', () => {
    const equal = testValidatorSet(signers);
    expect([equal.totalPower, equal.quorum, equal.weakQuorum]).toEqual([4, 3, 2]);
    const weighted = testValidatorSet(signers, [3, 1, 1, 1]);
    expect([weighted.totalPower, weighted.quorum, weighted.weakQuorum]).toEqual([6, 5, 3]);
    const seven = testValidatorSet(testSigners(7));
    expect([seven.quorum, seven.weakQuorum]).toEqual([5, 3]);
  });

  it('gives each validator proposer slots in proportion to its power, spread so none holds more than two in a row', () => {
    const set = testValidatorSet(signers, [3, 2, 2, 1]);
    const counts = new Map<string, number>();
    let longestRun = 0;
    let run = 0;
    let previous = '';
    for (let round = 0; round < 80; round++) {
      const key = toHex(set.proposer(7, round).publicKey);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      run = key === previous ? run + 1 : 1;
      longestRun = Math.max(longestRun, run);
      previous = key;
    }
    expect([...set.validators].map((v) => counts.get(toHex(v.publicKey)))).toEqual(set.validators.map((v) => v.power * 10));
    expect(longestRun).toBeLessThanOrEqual(2);
  });

  it('rotates with height as well as round', () => {
    const set = testValidatorSet(signers);
    const firsts = new Set([1, 2, 3, 4].map((height) => toHex(set.proposer(height, 0).publicKey)));
    expect(firsts.size).toBe(4);
  });

  it('knows members and their power, and nobody else', () => {
    const set = testValidatorSet(signers.slice(0, 3), [1, 2, 3]);
    expect(set.powerOf(signers[3]!.publicKey)).toBe(0);
    expect(set.has(signers[3]!.publicKey)).toBe(false);
    expect(set.validators.map((v) => set.powerOf(v.publicKey)).sort()).toEqual([1, 2, 3]);
  });

  it('refuses empty sets, duplicates, zero or fractional power and bad keys', () => {
    const key = signers[0]!.publicKey;
    expect(() => new ValidatorSet([])).toThrow(/at least one/);
    expect(() => new ValidatorSet([{ publicKey: key, power: 1 }, { publicKey: key, power: 2 }])).toThrow(/twice/);
    expect(() => new ValidatorSet([{ publicKey: key, power: 0 }])).toThrow(/positive integer/);
    expect(() => new ValidatorSet([{ publicKey: key, power: 1.5 }])).toThrow(/positive integer/);
    expect(() => new ValidatorSet([{ publicKey: key.subarray(1), power: 1 }])).toThrow(/32 bytes/);
  });
});
