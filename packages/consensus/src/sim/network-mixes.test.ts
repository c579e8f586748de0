import { describe, expect, it } from 'vitest';
import { expectNoViolations } from './sim-test-support.js';

const SEEDS = 200;

describe('simulated network faults, 4 validators, 200 seeds each', () => {
  for (const mix of ['none', 'lossy', 'partitions', 'crash', 'amnesia'] as const) {
    it(`keeps agreement, validity and liveness under "${mix}"`, () => {
      expect(expectNoViolations(mix, 4, SEEDS)).toBeGreaterThan(SEEDS * 3);
    });
  }
});
