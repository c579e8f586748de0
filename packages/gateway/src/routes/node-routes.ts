import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import { healthSchema, metricsSchema, readySchema, statusSchema } from '../schemas.js';

/** Probes and metrics: outside the rate limits and load shedding, so orchestrators can always ask. */
export function probeRoutes(app: FastifyInstance, node: NodeHandle): void {
  app.get('/health', { schema: healthSchema }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: readySchema }, async () => {
    const status = node.status();
    if (status.syncing) throw new HttpError(503, 'NOT_READY', 'the node is catching up with its peers');
    // A lone validator decides blocks by itself; anything else is useless without a peer.
    const alone = status.mode === 'validator' && status.validators.length === 1;
    if (!alone && !status.peers.some((peer) => peer.connected)) throw new HttpError(503, 'NOT_READY', 'the node has no connected peer');
    return { status: 'ready', height: status.height };
  });

  app.get('/metrics', { schema: metricsSchema }, async (_request, reply) => {
    reply.type(node.metricsRegistry.contentType);
    return node.metricsRegistry.metrics();
  });
}

export function statusRoute(app: FastifyInstance, node: NodeHandle): void {
  app.get('/v1/status', { schema: statusSchema }, async () => node.status());
}
