import { expect } from 'vitest';
import { formatReport, runTarget, seedFromEnvironment, type TargetFactory } from './harness.js';

/**
 * The CI form of a fuzz target: a fixed number of inputs under a fresh seed (or
 * CERTLEDGER_FUZZ_SEED to replay one); the report is printed, and each crash in it names its
 * seed and the command that replays it.
 */
export async function expectNoCrashes(name: string, start: TargetFactory, runs: number): Promise<void> {
  const report = await runTarget(name, start, { seed: seedFromEnvironment(), runs });
  console.log(formatReport(report, 6));
  expect(report.crashes, formatReport(report, 0)).toEqual([]);
  expect(report.inputs).toBeGreaterThanOrEqual(runs);
}
