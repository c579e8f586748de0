import { expect, it } from 'vitest';
import { faultRunBasePort, formatReport, runFaultInjection } from './support/fault-run.js';
import { freshSeed } from './support/seeded-random.js';

/**
 * The fault-injection run of `pnpm fault-run`, CI-sized: at least 50 kill -9s of validators
 * under anchoring load, bounded by time too. CERTLEDGER_FAULT_SEED replays a printed seed.
 */
const KILLS = 50;
/** A bound for a busy machine: on 2 idle cores the 50 kills end the run in about 3 to 4 minutes. */
const FAULT_SECONDS = 900;

function seedFromEnvironment(): number {
  const raw = process.env.CERTLEDGER_FAULT_SEED;
  if (raw === undefined) return freshSeed();
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) >= 2 ** 31) throw new Error(`CERTLEDGER_FAULT_SEED must be an integer from 1 to 2^31 - 1, got "${raw}"`);
  return Number(raw);
}

it(`loses no acknowledged anchor, forks nowhere and double-signs never through ${KILLS} kill -9s`, async () => {
  const report = await runFaultInjection({ kills: KILLS, seconds: FAULT_SECONDS, seed: seedFromEnvironment(), lanes: 4, basePort: await faultRunBasePort(), log: () => undefined });
  console.log(`fault-injection run\n${formatReport(report)}`);
  expect(report.failures).toEqual([]);
  expect(report.kills).toBeGreaterThanOrEqual(KILLS);
  expect(report.anchorsAcknowledged).toBeGreaterThan(0);
  expect(report.anchorsOnEveryNode).toBe(report.anchorsAcknowledged);
  expect(report.forks).toBe(0);
  expect(report.doubleSigns).toBe(0);
}, (FAULT_SECONDS + 300) * 1000);
