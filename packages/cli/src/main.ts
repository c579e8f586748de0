import { Command } from 'commander';
import { registerCertificateCommands } from './commands/certificates.js';
import { registerClientCommands } from './commands/client.js';
import { registerGovernanceCommands } from './commands/governance.js';
import { registerIssueCommands } from './commands/issue.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerNetworkCommands } from './commands/network.js';
import { registerNodeCommands } from './commands/node.js';
import { registerRevokeCommand } from './commands/revoke.js';

const program = new Command()
  .name('certledger')
  .description('Operate a certledger network: keys, networks, nodes, governance, certificates')
  .showHelpAfterError()
  // Argument errors read like every other failure: `certledger: <what is wrong>`.
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'certledger: ')) });

registerNetworkCommands(program);
registerKeyCommands(program);
registerNodeCommands(program);
registerClientCommands(program);
registerGovernanceCommands(program);
registerIssueCommands(program);
registerRevokeCommand(program);
registerCertificateCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`certledger: ${err instanceof Error ? err.message : String(err)}\n`);
  // Exit now: a node that failed half-way through starting may still hold sockets open.
  process.exit(1);
});
