/**
 * Runs a local devnet: 4 validators as separate processes plus their HTTP APIs, data kept
 * under .devnet/ (created with fresh keys on the first run, reused afterwards).
 * Stop with Ctrl+C; the nodes shut down gracefully and keep their data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
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
/** How long a node may take to stop gracefully before it is killed. */
const STOP_GRACE_MS = 15_000;


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
    // Each node writes its own log file and runs in a process group of its own: Ctrl+C reaches
    // only this script, which stops each node with one SIGTERM (a node takes a second signal as
    // "exit at once"), and a node never depends on this process staying alive to log or stop.
    const log = openSync(join(dir, 'logs', `${node.name}.log`), 'a');
    const child = spawn(process.execPath, [cli, 'node', 'start', '--config', join(dir, node.configFile), ...(i === 0 ? issuingArgs : [])], { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
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
  let stopping = false;
  const stop = () => {
    // Ctrl+C can arrive twice (from the terminal and relayed by tsx): the first one counts.
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    console.log(`\nstopping nodes (each finishes the block in hand; any still running in ${STOP_GRACE_MS / 1000} s is killed)…`);
    setTimeout(() => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // After Ctrl+C, pnpm may be gone before this script's last lines: they are not worth a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  await Promise.all(children.map((child) => new Promise((done) => child.once('exit', done))));
}

main().catch((err: unknown) => {
  console.error(`devnet: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
