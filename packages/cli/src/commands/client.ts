import type { Command } from 'commander';
import { parseApiUrl, parseInteger } from '../options.js';
import { describeStatus, parseStatusAnswer } from '../status-summary.js';
import { readTransactionFile } from '../tx-file.js';

const DEFAULT_API = 'http://127.0.0.1:8080';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

async function call(api: string, path: string, timeoutMs: number, init?: RequestInit): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(new URL(path, api), { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as Error).cause;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : cause instanceof Error ? cause.message : (error as Error).message;
    throw new Error(`cannot reach the node at ${api}: ${reason}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Error(`${api}${path} answered ${response.status} with something that is not JSON`);
  }
}

/** The API's `{ error: { code, message } }` as one line, or the raw body when it is not that. */
function errorLine(answer: Answer): string {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string' ? `${error.code}: ${error.message}` : JSON.stringify(answer.body).slice(0, 300);
}

export function registerClientCommands(program: Command): void {
  program
    .command('status')
    .description("show a node's height, last block, consensus round, peers and mempool")
    .option('--api <url>', 'the node HTTP API', parseApiUrl, DEFAULT_API)
    .option('--json', 'print the raw JSON')
    .action(async (options: { api: string; json?: boolean }) => {
      const answer = await call(options.api, '/v1/status', 10_000);
      if (answer.status !== 200) throw new Error(`the node answered ${answer.status}: ${errorLine(answer)}`);
      const text = options.json ? JSON.stringify(answer.body, null, 2) : describeStatus(parseStatusAnswer(answer.body, options.api), Date.now());
      process.stdout.write(`${text}\n`);
    });

  const tx = program.command('tx').description('Submit signed transactions');
  tx.command('submit')
    .description('submit a signed transaction from a file (raw bytes, hex or base64); exit 0 once committed or pending, 1 if refused')
    .argument('<file>', 'the transaction file')
    .option('--api <url>', 'the node HTTP API', parseApiUrl, DEFAULT_API)
    .option('--wait <seconds>', 'wait this long for the commit, 0 to 60', parseInteger(0, 60), 20)
    .action(async (file: string, options: { api: string; wait: number }) => {
      const { bytes } = readTransactionFile(file);
      const answer = await call(options.api, '/v1/transactions', (options.wait + 30) * 1000, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tx: Buffer.from(bytes).toString('base64'), wait: options.wait }),
      });
      const body = answer.body as { id?: string; height?: number; statusUrl?: string };
      if (answer.status === 201) process.stdout.write(`${body.id}  committed at height ${body.height}\n`);
      else if (answer.status === 202) process.stdout.write(`${body.id}  pending; follow it at ${options.api}${body.statusUrl}\n`);
      else throw new Error(`the node refused the transaction (${answer.status}) ${errorLine(answer)}`);
    });
}
