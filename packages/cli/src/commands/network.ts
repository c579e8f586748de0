import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseInteger } from '../options.js';

/** The repository's sample network, used when it is there and no --template is given. */
const SAMPLE_TEMPLATE = resolve(import.meta.dirname, '../../../../network-config/devnet.json');

interface InitOptions {
  out: string;
  template?: string;
  validators?: number;
  chainId?: string;
  host?: string;
  p2pPort?: number;
  apiPort?: number;
}

export function registerNetworkCommands(program: Command): void {
  program
    .command('init')
    .description('create a new network from a template: fresh keys, genesis.json and one node.json per validator')
    .requiredOption('--out <dir>', 'an empty folder to write the network into')
    .option('--template <file>', 'network template (default: network-config/devnet.json)')
    .option('--validators <n>', 'number of validators (overrides the template)', parseInteger(1, 100))
    .option('--chain-id <id>', 'chain identifier (overrides the template)')
    .option('--host <address>', 'address the nodes listen on (overrides the template)')
    .option('--p2p-port <port>', 'first p2p port, node i uses port + i (overrides the template)', parseInteger(1, 65000))
    .option('--api-port <port>', 'first HTTP API port, node i uses port + i (overrides the template)', parseInteger(1, 65000))
    .action(async (options: InitOptions) => {
      // Loaded here: templates read the node package's timings, which load libp2p, slow for every other command.
      const [{ initNetwork }, { chooseTemplate }] = await Promise.all([import('../init-network.js'), import('../network-template.js')]);
      const { template, source } = chooseTemplate(options.template, SAMPLE_TEMPLATE, {
        validators: options.validators,
        chainId: options.chainId,
        host: options.host,
        p2pBasePort: options.p2pPort,
        apiBasePort: options.apiPort,
      });
      const { nodes } = initNetwork({ out: options.out, template, templateName: source ?? 'the built-in template', genesisTime: Date.now() });
      process.stdout.write(`network ${template.chainId} written to ${options.out}${source ? ` from ${source}` : ' from the built-in template'}\n`);
      for (const node of nodes) process.stdout.write(`  ${node.name}  ${node.configFile}  p2p ${node.p2p}  api ${node.api}\n`);
      process.stdout.write(`secret keys are in ${options.out} (files 0600): keep them out of version control\n`);
    });
}
