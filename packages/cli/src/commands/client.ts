import type { Command } from 'commander';
import { call, DEFAULT_API, describeSubmission, errorLine, submitTransaction } from '../api-client.js';
import { parseApiUrl, parseInteger } from '../options.js';
import { describeStatus, parseStatusAnswer } from '../status-summary.js';
import { readTransactionFile } from '../tx-file.js';

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
      const submitted = await submitTransaction(options.api, bytes, options.wait);
      process.stdout.write(`${describeSubmission(submitted, options.api)}\n`);
    });
}
