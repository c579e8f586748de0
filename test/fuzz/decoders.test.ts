import { describe, it } from 'vitest';
import { decoderFamily } from './decoder-targets.js';
import { expectNoCrashes } from './bounded.js';

/** Many cheap inputs: decoders are pure, so each run is a few microseconds of work. */
const RUNS = 3000;

describe('decoders under random and mutated bytes', () => {
  for (const target of decoderFamily().targets) {
    it(`${target.name}: refuses with its own error or decodes to bytes it re-encodes exactly`, () => expectNoCrashes(target.name, target.start, RUNS));
  }
});
