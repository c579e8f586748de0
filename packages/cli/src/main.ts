import { Command } from 'commander';
import { registerClientCommands } from './commands/client.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerNetworkCommands } from './commands/network.js';
import { registerNodeCommands } from './commands/node.js';

const program = new Command()
  .name('certledger')
  .description('Operate a certledger network: keys, networks, nodes, certificates')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerNetworkCommands(program);
registerKeyCommands(program);
registerNodeCommands(program);
registerClientCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`certledger: ${err instanceof Error ? err.message : String(err)}\n`);
  // Exit now: a node that failed half-way through starting may still hold sockets open.
  process.exit(1);
});
