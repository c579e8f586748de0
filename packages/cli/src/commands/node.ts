import { createGateway } from '@certledger/gateway';
import { createLogger, loadNodeConfig, startNode } from '@certledger/node';
import type { Command } from 'commander';

/** `certledger node start`: a validator or follower with its HTTP API, until SIGINT or SIGTERM. */
export function registerNodeCommands(program: Command): void {
  const node = program.command('node').description('Run a validator or follower node');
  node
    .command('start')
    .description('start a node from its configuration file; Ctrl+C stops it gracefully')
    .requiredOption('--config <file>', 'the node configuration (node.json)')
    .action(async (options: { config: string }) => {
      const config = loadNodeConfig(options.config);
      const log = createLogger(config.name, config.logLevel);
      const running = await startNode(config, { logger: log });
      const gateway = config.api ? await createGateway(running, { logger: log.child({ component: 'gateway' }) }) : undefined;
      if (gateway && config.api) {
        try {
          const address = await gateway.listen({ host: config.api.host, port: config.api.port });
          log.info({ address }, 'HTTP API listening');
        } catch (error) {
          await running.stop();
          throw new Error(`cannot serve the HTTP API on ${config.api.host}:${config.api.port}: ${(error as Error).message}`);
        }
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          log.warn({ signal }, 'second signal: exiting at once');
          process.exit(1);
        }
        stopping = true;
        log.info({ signal }, 'stopping');
        void (async () => {
          await gateway?.close();
          await running.stop();
          process.exit(0);
        })();
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
