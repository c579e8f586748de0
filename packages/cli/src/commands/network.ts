import type { Command } from 'commander';
import { initNetwork } from '../init-network.js';
import { parseInteger } from '../options.js';

export function registerNetworkCommands(program: Command): void {
  program
    .command('init')
    .description('create a new network: keys, genesis.json and one node.json per validator')
    .requiredOption('--out <dir>', 'an empty folder to write the network into')
    .option('--validators <n>', 'number of validators', parseInteger(1, 100), 4)
    .option('--chain-id <id>', 'chain identifier', 'certledger-devnet')
    .option('--host <address>', 'address the nodes listen on', '127.0.0.1')
    .option('--p2p-port <port>', 'first p2p port (node i uses port + i)', parseInteger(1, 65000), 26600)
    .option('--api-port <port>', 'first HTTP API port (node i uses port + i)', parseInteger(1, 65000), 8080)
    .action((options: { out: string; validators: number; chainId: string; host: string; p2pPort: number; apiPort: number }) => {
      const { nodes } = initNetwork({
        out: options.out,
        validators: options.validators,
        chainId: options.chainId,
        host: options.host,
        basePort: options.p2pPort,
        apiBasePort: options.apiPort,
        genesisTime: Date.now(),
      });
      process.stdout.write(`network ${options.chainId} written to ${options.out}\n`);
      for (const node of nodes) process.stdout.write(`  ${node.name}  ${node.configFile}  p2p ${node.p2p}  api ${node.api}\n`);
    });
}
