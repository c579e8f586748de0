/**
 * Runs a local devnet: 4 validators as separate processes plus their HTTP APIs, data kept
 * under .devnet/ (created with fresh keys on the first run, reused afterwards).
 * Stop with Ctrl+C; the nodes shut down gracefully and keep their data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '.devnet' },
    validators: { type: 'string', default: '4' },
    'p2p-port': { type: 'string', default: '26600' },
    'api-port': { type: 'string', default: '8080' },
  },
});
const root = resolve(import.meta.dirname, '..');
const dir = resolve(root, values.dir as string);
const cli = join(root, 'packages/cli/bin/certledger.mjs');


async function main(): Promise<void> {
  if (!existsSync(join(dir, 'network.json'))) {
    console.log(`creating a new devnet in ${dir}`);
    await new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, [cli, 'init', '--out', dir, '--validators', values.validators as string, '--p2p-port', values['p2p-port'] as string, '--api-port', values['api-port'] as string], { stdio: 'inherit' });
      child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`certledger init exited with ${code}`))));
    });
  }
  const network = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as { chainId: string; nodes: { name: string; configFile: string; api: string }[] };
  mkdirSync(join(dir, 'logs'), { recursive: true });
  // The first validator's gateway also issues for the devnet's departments (POST /v1/issue).
  const issuing = join(dir, 'issuing.json');
  const issuingArgs = existsSync(issuing) ? ['--issuing', issuing] : [];
  const children: ChildProcess[] = network.nodes.map((node, i) => {
    const log = createWriteStream(join(dir, 'logs', `${node.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [cli, 'node', 'start', '--config', join(dir, node.configFile), ...(i === 0 ? issuingArgs : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.on('exit', (code, signal) => console.log(`${node.name} exited (${signal ?? code})`));
    return child;
  });
  console.log(`\ndevnet ${network.chainId} running with ${network.nodes.length} validators`);
  for (const node of network.nodes) console.log(`  ${node.name.padEnd(12)} ${node.api}   (status: ${node.api}/v1/status)`);
  const first = network.nodes[0]?.api ?? '';
  console.log(`\nverifier page: ${first}/   explorer: ${first}/explorer   API docs: ${first}/docs`);
  if (issuingArgs.length > 0) console.log(`issuing:       POST ${first}/v1/issue with "Authorization: Bearer $(cat ${join(dir, 'issuers', 'transport.token')})"`);
  console.log(`data and keys: ${dir}\nlogs:          ${join(dir, 'logs')} (JSON lines)\nstatus:        pnpm certledger status --api ${network.nodes[0]?.api ?? ''}\nmetrics:       ${network.nodes[0]?.api ?? ''}/metrics`);
  console.log('Ctrl+C stops the nodes; run this again to continue the same chain.');
  const stop = () => {
    console.log('\nstopping nodes…');
    for (const child of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await Promise.all(children.map((child) => new Promise((done) => child.once('exit', done))));
}

main().catch((err: unknown) => {
  console.error(`devnet: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
