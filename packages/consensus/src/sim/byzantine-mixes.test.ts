import { describe, expect, it } from 'vitest';
import { expectNoViolations } from './sim-test-support.js';

const SEEDS = 200;

describe('simulated Byzantine validators, 4 validators, 200 seeds each', () => {
  for (const mix of ['equivocating-proposer', 'double-voter', 'silent', 'invalid-block', 'twins', 'mixed'] as const) {
    it(`keeps agreement, validity and liveness with "${mix}"`, () => {
      expect(expectNoViolations(mix, 4, SEEDS)).toBeGreaterThan(SEEDS * 3);
    });
  }
});
