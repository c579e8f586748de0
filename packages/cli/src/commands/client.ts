import type { Command } from 'commander';
import { parseInteger } from '../options.js';
import { readTransactionFile } from '../tx-file.js';

const DEFAULT_API = 'http://127.0.0.1:8080';

interface StatusJson {
  name: string;
  chainId: string;
  mode: string;
  height: number;
  lastBlockHash: string;
  lastBlockTime: number;
  syncing: boolean;
  consensus: { height: number; round: number; step: string };
  peers: { name: string; connected: boolean }[];
  mempool: { txs: number; bytes: number };
  validators: { name: string }[];
}

async function call(api: string, path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(new URL(path, api), { ...init, signal: AbortSignal.timeout(90_000) });
  } catch (error) {
    throw new Error(`cannot reach the node at ${api}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`${api}${path} answered ${response.status} with something that is not JSON`);
  }
}

function describeStatus(s: StatusJson): string {
  const connected = s.peers.filter((p) => p.connected).length;
  const age = s.lastBlockTime > 0 ? `${((Date.now() - s.lastBlockTime) / 1000).toFixed(1)} s ago` : 'none yet';
  return [
    `${s.name} (${s.mode}) on ${s.chainId}${s.syncing ? ', catching up' : ''}`,
    `height        ${s.height}  last block ${age}  ${s.lastBlockHash.slice(0, 16)}…`,
    `consensus     height ${s.consensus.height} round ${s.consensus.round} ${s.consensus.step}`,
    `peers         ${connected} of ${s.peers.length} connected${s.peers.length ? `: ${s.peers.map((p) => `${p.name}${p.connected ? '' : ' (down)'}`).join(', ')}` : ''}`,
    `mempool       ${s.mempool.txs} transactions, ${s.mempool.bytes} bytes`,
    `validators    ${s.validators.length}`,
  ].join('\n');
}

export function registerClientCommands(program: Command): void {
  program
    .command('status')
    .description("show a node's height, consensus round, peers and mempool")
    .option('--api <url>', 'the node HTTP API', DEFAULT_API)
    .option('--json', 'print the raw JSON')
    .action(async (options: { api: string; json?: boolean }) => {
      const { status, body } = await call(options.api, '/v1/status');
      if (status !== 200) throw new Error(`the node answered ${status}: ${JSON.stringify(body)}`);
      process.stdout.write(`${options.json ? JSON.stringify(body, null, 2) : describeStatus(body as StatusJson)}\n`);
    });

  const tx = program.command('tx').description('Submit signed transactions');
  tx.command('submit')
    .description('submit a signed transaction from a file (raw bytes, hex or base64)')
    .argument('<file>', 'the transaction file')
    .option('--api <url>', 'the node HTTP API', DEFAULT_API)
    .option('--wait <seconds>', 'wait this long for the commit (0 to 60)', parseInteger(0, 60), 20)
    .action(async (file: string, options: { api: string; wait: number }) => {
      const bytes = readTransactionFile(file);
      const { status, body } = await call(options.api, '/v1/transactions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tx: Buffer.from(bytes).toString('base64'), wait: options.wait }),
      });
      const answer = body as { id?: string; height?: number; statusUrl?: string; error?: { code: string; message: string } };
      if (status === 201) process.stdout.write(`committed ${answer.id} at height ${answer.height}\n`);
      else if (status === 202) process.stdout.write(`pending ${answer.id}; follow it at ${options.api}${answer.statusUrl}\n`);
      else throw new Error(`refused (${status}) ${answer.error?.code ?? ''}: ${answer.error?.message ?? JSON.stringify(body)}`);
    });
}
