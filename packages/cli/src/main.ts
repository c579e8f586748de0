import { Command } from 'commander';
import { registerKeyCommands } from './commands/keys.js';
import { registerNetworkCommands } from './commands/network.js';

const program = new Command()
  .name('certledger')
  .description('Operate a certledger network: keys, networks, nodes, certificates')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerNetworkCommands(program);
registerKeyCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`certledger: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
