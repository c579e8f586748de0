import { expect } from 'vitest';
import type { FaultMix } from './scenario.js';
import { scenarioFor } from './scenario.js';
import { runSimulation } from './simulation.js';

/** Runs a mix over consecutive seeds and expects no violation, naming the first failing seed. */
export function expectNoViolations(mix: FaultMix, validators: number, seeds: number, from = 1): number {
  let heights = 0;
  for (let seed = from; seed < from + seeds; seed++) {
    const result = runSimulation(scenarioFor(mix, seed, validators));
    const first = result.violations[0];
    expect(first, `${mix} seed ${seed} with ${validators} validators: ${first?.kind}: ${first?.detail}`).toBeUndefined();
    heights += result.heightsDecided;
  }
  return heights;
}
