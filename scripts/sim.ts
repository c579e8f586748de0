/**
 * Runs the deterministic consensus simulator over many seeds and fault mixes and prints, per
 * mix, seeds run, heights decided, violations found and decided heights per second of wall
 * time. A failing seed is printed with the exact command that replays it.
 *
 *   pnpm sim -- --seeds 200 --from 1 --validators 4 --mix all
 */
import { parseArgs } from 'node:util';
import { FAULT_MIXES, maxFaulty, runSimulation, scenarioFor, type FaultMix } from '@certledger/consensus/sim';

const usage = 'usage: pnpm sim -- [--seeds N] [--from S] [--validators n] [--byzantine f] [--mix all|name,...] [--broken-lock] [--forgetful-guard]';

function fail(message: string): never {
  console.error(`sim: ${message}\n${usage}\nmixes: ${FAULT_MIXES.join(', ')}`);
  process.exit(2);
}

function positiveInteger(text: string | undefined, name: string, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) fail(`--${name} must be an integer of at least ${min}, got "${text}"`);
  return value;
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      seeds: { type: 'string' },
      from: { type: 'string' },
      validators: { type: 'string' },
      byzantine: { type: 'string' },
      mix: { type: 'string' },
      'broken-lock': { type: 'boolean' },
      'forgetful-guard': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values } = parsed;
if (values.help) {
  console.log(`${usage}\nmixes: ${FAULT_MIXES.join(', ')}`);
  process.exit(0);
}
const seeds = positiveInteger(values.seeds, 'seeds', 50);
const from = positiveInteger(values.from, 'from', 1, 0);
const validators = positiveInteger(values.validators, 'validators', 4);
const byzantine = positiveInteger(values.byzantine, 'byzantine', maxFaulty(validators), 0);
if (byzantine > maxFaulty(validators)) console.warn(`sim: ${byzantine} faulty of ${validators} exceeds the f = ${maxFaulty(validators)} the protocol tolerates; violations are expected`);
const mixes = values.mix === undefined || values.mix === 'all' ? FAULT_MIXES : values.mix.split(',');
for (const mix of mixes) if (!FAULT_MIXES.includes(mix as FaultMix)) fail(`unknown mix "${mix}"`);
const switches = { brokenLock: values['broken-lock'] === true, forgetfulGuard: values['forgetful-guard'] === true };

function replayCommand(mix: string, seed: number): string {
  const flags = [switches.brokenLock ? ' --broken-lock' : '', switches.forgetfulGuard ? ' --forgetful-guard' : ''].join('');
  return `pnpm sim -- --seeds 1 --from ${seed} --validators ${validators} --byzantine ${byzantine} --mix ${mix}${flags}`;
}

console.log(`validators ${validators}, faulty ${byzantine}, seeds ${from}..${from + seeds - 1}${switches.brokenLock ? ', LOCK RULE DISABLED' : ''}${switches.forgetfulGuard ? ', SIGN RECORD FORGOTTEN' : ''}`);
console.log('mix                    seeds  heights  violations  wall s  heights/s');
let totalViolations = 0;
const failures: string[] = [];
for (const mix of mixes as FaultMix[]) {
  const started = performance.now();
  let heights = 0;
  let violations = 0;
  for (let seed = from; seed < from + seeds; seed++) {
    const result = runSimulation({ ...scenarioFor(mix, seed, validators, byzantine), ...switches });
    heights += result.heightsDecided;
    violations += result.violations.length;
    if (result.violations.length > 0) {
      const kinds = [...new Set(result.violations.map((v) => v.kind))].join(', ');
      failures.push(`${mix} seed ${seed}: ${kinds}\n  first: ${result.violations[0]!.detail}\n  replay: ${replayCommand(mix, seed)}`);
      if (seeds === 1) failures.push(`  final state:\n    ${result.finalStatus.join('\n    ')}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  totalViolations += violations;
  console.log(
    `${mix.padEnd(22)} ${String(seeds).padStart(5)} ${String(heights).padStart(8)} ${String(violations).padStart(11)} ${seconds.toFixed(1).padStart(7)} ${(heights / seconds).toFixed(0).padStart(10)}`,
  );
}
if (failures.length > 0) console.log(`\nfailing seeds (${failures.length}):\n${failures.slice(0, 20).join('\n')}`);
console.log(`\n${totalViolations === 0 ? 'no violations' : `${totalViolations} violations`}`);
process.exitCode = totalViolations === 0 ? 0 : 1;
