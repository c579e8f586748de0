/**
 * Longer fuzzing runs than CI's: `tsx scripts/fuzz.ts [--target all|http|p2p|decoders|certs|<family>/<target>]
 * [--seconds N] [--seed S]`. The seconds are the whole run's, shared equally by the families
 * chosen and within a family by its targets. Prints, per target, the inputs tried, the distinct
 * outcomes (status and error codes), and each crash with its seed and the command that replays
 * it: `--path P` replays one counterexample; `--runs N` replays the first N inputs of a seed
 * (targets whose inputs act on one live network, and the CI tests' runs). Exits 1 when anything crashed.
 */
import { parseArgs } from 'node:util';
import { formatReport, randomSeed, runTarget, type FuzzReport } from '../test/fuzz/harness.js';
import { selectTargets } from '../test/fuzz/targets.js';

function wholeNumber(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'all' },
    seconds: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    runs: { type: 'string' },
  },
});
const seconds = wholeNumber(values.seconds, 60, 'seconds');
if (seconds < 1) throw new Error('--seconds must be at least 1');
const seed = wholeNumber(values.seed, randomSeed(), 'seed');
const runs = values.runs === undefined ? undefined : wholeNumber(values.runs, 0, 'runs');
const targets = selectTargets(values.target);

const what = targets.map((target) => target.name).join(', ');
const plan = values.path ? `path ${values.path}` : runs !== undefined ? `${runs} inputs each` : `for ${seconds} s`;
console.log(`fuzzing ${what}, seed ${seed}, ${plan}`);
const reports: FuzzReport[] = [];
for (const target of targets) {
  const budget = values.path ? { path: values.path } : runs !== undefined ? { runs } : { seconds: seconds * target.share };
  const report = await runTarget(target.name, target.start, { seed, ...budget });
  console.log(formatReport(report));
  reports.push(report);
}
const crashes = reports.reduce((sum, report) => sum + report.crashes.length, 0);
console.log(`\n${reports.map((report) => `${report.target} ${report.inputs}`).join(', ')} inputs; ${crashes} crashes`);
process.exit(crashes === 0 ? 0 : 1);
