/**
 * Fault injection on a 4-validator devnet (separate processes on 127.0.0.1): kill -9 and
 * SIGSTOP one validator at a time at seeded random moments under steady anchoring, then check
 * that no acknowledged anchor was lost, the chains agree, nobody double-signed and every
 * validator is live. Exits 1 if any check fails, keeping the devnet's folder (logs, stores).
 *
 *   pnpm fault-run [-- --kills 200 --seconds 900 --lanes 4 --seed S --base-port P --keep]
 *
 * The run stops after --kills kill -9s or --seconds of faults, whichever comes first; the
 * catch-up and the checks after it take up to another ~2 minutes. --keep keeps the devnet's
 * folder after a run that passed too.
 */
import { parseArgs } from 'node:util';
import { faultRunBasePort, formatReport, runFaultInjection } from '../test/support/fault-run.js';
import { freshSeed } from '../test/support/seeded-random.js';

function integerFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    console.error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { kills: { type: 'string' }, seconds: { type: 'string' }, lanes: { type: 'string' }, seed: { type: 'string' }, 'base-port': { type: 'string' }, keep: { type: 'boolean', default: false } },
});

const report = await runFaultInjection({
  kills: integerFlag('kills', values.kills, 1, 100_000) ?? 200,
  seconds: integerFlag('seconds', values.seconds, 10, 86_400) ?? 900,
  lanes: integerFlag('lanes', values.lanes, 1, 64) ?? 4,
  seed: integerFlag('seed', values.seed, 1, 2 ** 31 - 1) ?? freshSeed(),
  basePort: integerFlag('base-port', values['base-port'], 1024, 65_000) ?? (await faultRunBasePort()),
  keep: values.keep,
  log: (line) => console.log(line),
});
console.log(`\nfault-injection run\n${formatReport(report)}`);
process.exit(report.failures.length === 0 ? 0 : 1);
