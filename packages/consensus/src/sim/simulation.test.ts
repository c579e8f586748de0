import { describe, expect, it } from 'vitest';
import { FAULT_MIXES, scenarioFor } from './scenario.js';
import { expectNoViolations } from './sim-test-support.js';
import { runSimulation } from './simulation.js';

describe('the simulator', () => {
  it('replays a seed exactly', () => {
    const options = scenarioFor('mixed', 42, 4);
    const [first, second] = [runSimulation(options), runSimulation(options)];
    expect(second).toEqual(first);
    expect(runSimulation(scenarioFor('mixed', 43, 4)).events).not.toBe(first.events);
  });

  it('runs 7 validators with 2 faulty through every mix', () => {
    for (const mix of FAULT_MIXES) expectNoViolations(mix, 7, 6);
  });

  it('finds the double signing of validators whose sign record is forgotten on restart', () => {
    const found = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((seed) => runSimulation({ ...scenarioFor('crash', seed, 4), forgetfulGuard: true }).violations);
    expect(found.filter((v) => v.kind === 'double-sign').length).toBeGreaterThan(0);
  });

  it('reports lost liveness when more validators are faulty than the protocol tolerates', () => {
    const result = runSimulation({ ...scenarioFor('silent', 3, 4), byzantine: 2 });
    expect(result.violations.map((v) => v.kind)).toContain('liveness');
    expect(result.heightsDecided).toBe(0);
  });
});
