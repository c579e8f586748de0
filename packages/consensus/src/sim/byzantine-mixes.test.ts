import { describe, expect, it } from 'vitest';
import { expectNoViolations } from './sim-test-support.js';

const SEEDS = 200;
/** Each mix takes 4-15 s here on an idle machine and took up to 91 s on a busy one: only a guard against a hang. */
const TIMEOUT_MS = 240_000;

describe('simulated Byzantine validators, 4 validators, 200 seeds each', () => {
  for (const mix of ['equivocating-proposer', 'double-voter', 'silent', 'invalid-block', 'twins', 'mixed'] as const) {
    it(`keeps agreement, validity and liveness with "${mix}"`, () => {
      expect(expectNoViolations(mix, 4, SEEDS)).toBeGreaterThan(SEEDS * 3);
    }, TIMEOUT_MS);
  }
});
