/**
 * Every benchmark of the project in one go, written up as one report.
 *
 *   pnpm bench [-- --quick] [-- --out scripts/report]
 *
 * Runs each benchmark script as its own process (so one's memory and JIT state never colour
 * another's), keeps its whole output, picks out the lines that carry a same-run baseline or a
 * target (ratios, shares, p99s), and writes `<out>/BENCHMARKS.md` with those headlines, a chart
 * of the ratios against their targets (`<out>/ratios.svg`), and every benchmark's full output.
 * `--quick` runs smaller sizes: for checking the script, not for quoting figures.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: 'scripts/report' } },
});
const quick = values.quick;
const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, values.out);

interface Benchmark {
  readonly title: string;
  readonly what: string;
  readonly args: readonly string[];
  readonly timeoutMinutes: number;
  /** Figures to chart: a label, the pattern whose first group is the ratio, and the target ratio. */
  readonly ratios: readonly { readonly label: string; readonly pattern: RegExp; readonly target: number; readonly percent?: boolean }[];
}

const BENCHMARKS: readonly Benchmark[] = [
  {
    title: 'Core: codec, hashing, Ed25519, Merkle, state transition',
    what: 'baselines: JSON.stringify, plain SHA-256, @noble/curves Ed25519, one hash per leaf, native verifies/s',
    args: ['scripts/bench-core.ts'],
    timeoutMinutes: 5,
    ratios: [{ label: 'Ed25519 verify, native / noble', pattern: /native \/ noble: verify ([\d.]+)x/, target: 1 }],
  },
  {
    title: 'Codec: canonical MessagePack',
    what: 'baseline: the msgpackr path the codec replaced (unpack, re-encode, compare), same inputs',
    args: ['scripts/bench-codec.ts'],
    timeoutMinutes: 5,
    ratios: [
      { label: 'decode transaction, codec / msgpackr path', pattern: /decode transaction .*?([\d.]+)x/, target: 1 },
      { label: 'decode block, codec / msgpackr path', pattern: /decode block .*?([\d.]+)x/, target: 1 },
    ],
  },
  ...[4, 7, 16].map((n) => ({
    title: `Consensus simulator, ${n} validators`,
    what: 'decided heights per second of wall time, no faults and with the mixed fault mix',
    args: ['scripts/sim.ts', '--seeds', quick ? '1' : '3', '--validators', String(n), '--mix', 'none,mixed'],
    timeoutMinutes: 10,
    ratios: [],
  })),
  {
    title: 'Certificates: issuance and verification',
    what: 'baseline: @govtechsg/open-attestation wrapDocuments on the same records; raw Ed25519 verifies/s',
    args: ['scripts/bench-certs.ts', '--records', quick ? '10000' : '100000'],
    timeoutMinutes: 20,
    ratios: [{ label: 'issuance, certledger / OpenAttestation', pattern: /issuance ratio on the same [\d,]+ records, CPU time\s+([\d.]+)×/, target: 10 }],
  },
  {
    title: 'Gateway under overload: POST /v1/verify',
    what: 'baseline: a bare fastify route with the same body, measured in the same run',
    args: ['scripts/load-gateway.ts', '--verify', '--seconds', quick ? '3' : '10'],
    timeoutMinutes: 10,
    ratios: [{ label: 'POST /v1/verify / bare fastify', pattern: /ratio gateway\/bare under overload: ([\d.]+)/, target: 0.5 }],
  },
  {
    title: 'Devnet: 4 validator processes',
    what: 'baseline: native Ed25519 verifies/s per core × cores ÷ validators, measured in the same run',
    args: ['scripts/bench-devnet.ts', ...(quick ? ['--txs', '1500', '--warmup-txs', '1000', '--seconds', '4'] : [])],
    timeoutMinutes: 15,
    ratios: [{ label: 'committed tx/s / verification ceiling', pattern: /= ([\d.]+)% of the verification ceiling/, target: 0.6, percent: true }],
  },
  {
    title: 'Bare pipeline: the devnet stripped to the minimum',
    what: 'the best share of the same ceiling any validator of this design reaches here (libp2p, native verify, LevelDB indexes)',
    args: ['scripts/bench-bare-pipeline.ts', ...(quick ? ['--txs', '2000', '--warmup-txs', '1000'] : [])],
    timeoutMinutes: 10,
    ratios: [{ label: 'bare pipeline tx/s / verification ceiling', pattern: /= ([\d.]+)% of the verification ceiling/, target: 0.6, percent: true }],
  },
  {
    title: 'Fault injection: kills, pauses, catch-up (sync) times',
    what: 'kill -9 and SIGSTOP under anchoring load; time for a restarted validator to catch up',
    args: ['scripts/fault-run.ts', '--kills', quick ? '5' : '30', '--seconds', quick ? '90' : '300'],
    timeoutMinutes: 10,
    ratios: [],
  },
];

interface Outcome {
  readonly benchmark: Benchmark;
  readonly output: string;
  readonly exitCode: number | null;
  readonly seconds: number;
}

function run(benchmark: Benchmark): Promise<Outcome> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...benchmark.args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      output += `\n[bench: stopped after ${benchmark.timeoutMinutes} minutes]\n`;
      child.kill('SIGTERM');
    }, benchmark.timeoutMinutes * 60_000);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      done({ benchmark, output, exitCode, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const HEADLINE = /ratio|\/ |×|\d(\.\d+)?x\b|% of|target|p99|heights\/s|violations|verifies\/s|certificates\/s|documents\/s|forks|double signs|catch/i;

/**
 * The lines a reader wants first: those that read a figure against its baseline or target. A
 * matching line without figures is a table's header: its rows, up to a blank line, come too.
 */
function headlines(output: string): string[] {
  const picked: string[] = [];
  let inTable = false;
  for (const line of output.split('\n').map((l) => l.trim())) {
    if (line === '') inTable = false;
    else if (inTable || HEADLINE.test(line)) {
      picked.push(line);
      if (!/\d/.test(line)) inTable = true;
    }
  }
  return picked.slice(0, 24);
}

interface ChartBar {
  readonly label: string;
  readonly value: number;
  readonly target: number;
}

function chartBars(outcomes: readonly Outcome[]): ChartBar[] {
  return outcomes.flatMap(({ benchmark, output }) =>
    benchmark.ratios.flatMap(({ label, pattern, target, percent }) => {
      const match = pattern.exec(output);
      const value = match ? Number(match[1]) / (percent ? 100 : 1) : NaN;
      return Number.isFinite(value) ? [{ label, value, target }] : [];
    }),
  );
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Each ratio as a bar on a log scale (they span 0.1 to 100), with its target as a tick. */
function ratioChart(bars: readonly ChartBar[]): string {
  const width = 760;
  const rowHeight = 34;
  const left = 290;
  const plotWidth = width - left - 60;
  const height = 50 + bars.length * rowHeight;
  const [lo, hi] = [0.05, 200];
  const x = (v: number) => left + (Math.log10(Math.min(Math.max(v, lo), hi) / lo) / Math.log10(hi / lo)) * plotWidth;
  const ticks = [0.1, 0.5, 1, 10, 100];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="10" y="18" font-size="14" font-weight="bold">Ratios against same-run baselines (bar) and targets (red tick), log scale</text>`,
    ...ticks.map((t) => `<line x1="${x(t)}" y1="28" x2="${x(t)}" y2="${height - 8}" stroke="#ddd"/><text x="${x(t) - 8}" y="${height - 2}" fill="#666">${t}</text>`),
  ];
  bars.forEach((bar, i) => {
    const y = 36 + i * rowHeight;
    const met = bar.value >= bar.target;
    parts.push(
      `<text x="10" y="${y + 15}">${escapeXml(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 2}" width="${Math.max(1, x(bar.value) - left)}" height="18" fill="${met ? '#2e7d32' : '#c77700'}"/>`,
      `<line x1="${x(bar.target)}" y1="${y - 2}" x2="${x(bar.target)}" y2="${y + 24}" stroke="#c62828" stroke-width="2"/>`,
      `<text x="${Math.min(x(bar.value), width - 110) + 6}" y="${y + 15}">${bar.value.toFixed(2)} (target ${bar.target})</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function report(outcomes: readonly Outcome[], startedAt: Date, load: readonly number[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# certledger benchmark report',
    '',
    `Written by \`pnpm bench${quick ? ' -- --quick' : ''}\` on ${startedAt.toISOString()}: Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at start ${load.map((l) => l.toFixed(1)).join(' ')}.`,
    'Every figure is read against a baseline measured in the same run on the same machine; absolute rates move with the machine and whatever else runs on it, ratios much less.',
    '',
    '![ratios](ratios.svg)',
    '',
    '| benchmark | what it is read against | result | time |',
    '| --- | --- | --- | --- |',
    ...outcomes.map(({ benchmark, exitCode, seconds }) => `| ${benchmark.title} | ${benchmark.what} | ${exitCode === 0 ? 'ran' : `exit ${exitCode}`} | ${seconds.toFixed(0)} s |`),
    '',
  ];
  for (const { benchmark, output } of outcomes) {
    lines.push(`## ${benchmark.title}`, '', `\`tsx ${benchmark.args.join(' ')}\``, '', '```', ...headlines(output), '```', '', '<details><summary>full output</summary>', '', '```', output.trim(), '```', '', '</details>', '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const load = loadavg();
  const outcomes: Outcome[] = [];
  for (const benchmark of BENCHMARKS) {
    console.log(`\n=== ${benchmark.title} ===`);
    outcomes.push(await run(benchmark));
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'ratios.svg'), ratioChart(chartBars(outcomes)));
  writeFileSync(join(outDir, 'BENCHMARKS.md'), report(outcomes, startedAt, load));
  console.log(`\nreport: ${join(outDir, 'BENCHMARKS.md')}`);
  const failed = outcomes.filter((o) => o.exitCode !== 0);
  if (failed.length > 0) {
    console.log(`failed: ${failed.map((o) => o.benchmark.title).join('; ')}`);
    process.exitCode = 1;
  }
}

await main();
