import type { NodeHandle } from '@certledger/node';
import type { Command } from 'commander';

/** Room in a request body for the largest transaction the chain takes, base64, plus the JSON around it. */
function bodyLimitFor(node: NodeHandle): number {
  return Math.ceil(node.state.params.maxTxBytes / 3) * 4 + 4096;
}

/** `certledger node start`: a validator or follower with its HTTP API, until SIGINT or SIGTERM. */
export function registerNodeCommands(program: Command): void {
  const node = program.command('node').description('Run a validator or follower node');
  node
    .command('start')
    .description('start a node from its configuration file; SIGINT or SIGTERM stops it gracefully, a second one at once')
    .requiredOption('--config <file>', 'the node configuration (node.json)')
    .option('--issuing <file>', 'issuing.json: departments whose keys this node holds, for POST /v1/issue')
    .action(async (options: { config: string; issuing?: string }) => {
      // Loaded here, not at the top: libp2p and fastify take seconds to load, and only this command needs them.
      const [{ createGateway }, { createLogger, loadNodeConfig, startNode }] = await Promise.all([import('@certledger/gateway'), import('@certledger/node')]);
      const config = loadNodeConfig(options.config);
      const issuing = options.issuing ? (await import('../issuing-config.js')).loadIssuingOptions(options.issuing) : undefined;
      const log = createLogger(config.name, config.logLevel);
      const running = await startNode(config, { logger: log });
      let gateway: Awaited<ReturnType<typeof createGateway>> | undefined;
      if (config.api) {
        const { host, port } = config.api;
        try {
          gateway = await createGateway(running, { logger: log.child({ component: 'gateway' }), bodyLimitBytes: bodyLimitFor(running), ...(issuing ? { issuing } : {}) });
          // fastify logs "Server listening at <address>" for each address it binds.
          await gateway.listen({ host, port });
        } catch (error) {
          await gateway?.close();
          await running.stop();
          const reason = (error as { code?: string }).code === 'EADDRINUSE' ? 'the port is already in use' : (error as Error).message;
          throw new Error(`cannot serve the HTTP API on ${host}:${port}: ${reason}`);
        }
      } else {
        log.info('no "api" in the configuration: the HTTP API is off');
      }

      let stopping = false;
      const shutDown = (exitCode: number) => {
        stopping = true;
        (async () => {
          await gateway?.close();
          await running.stop();
          log.info('stopped');
          process.exit(exitCode);
        })().catch((error: unknown) => {
          log.error({ err: error }, 'the node did not stop cleanly');
          process.exit(1);
        });
      };
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          log.warn({ signal }, 'second signal: exiting at once');
          process.exit(1);
        }
        log.info({ signal }, 'stopping: closing the HTTP API, then the node');
        shutDown(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      // A node whose disk refused a write neither votes nor commits: exit with an error so a
      // supervisor (or the operator, once the disk is fixed) starts it again from its store.
      void running.failed.then((error) => {
        if (stopping) return;
        log.info({ reason: error.message }, 'stopping after the failed store write; start the node again once the disk is fixed');
        shutDown(1);
      });
    });
}
