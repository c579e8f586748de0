import { toHex } from '@certledger/codec';
import { decodeBlock, decodeTransaction } from '@certledger/ledger';
import type { NodeHandle } from '@certledger/node';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { errorBody, errorSchema, handleError, HttpError } from './errors.js';

export interface GatewayOptions {
  readonly logger?: Logger | false;
  /** Largest request body accepted (default 1 MiB). */
  readonly bodyLimitBytes?: number;
}

const MAX_WAIT_SECONDS = 60;
const base64Pattern = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
const hex64Pattern = '^[0-9a-f]{64}$';

const submitSchema = {
  body: {
    type: 'object',
    required: ['tx'],
    additionalProperties: false,
    properties: {
      tx: { type: 'string', minLength: 4, pattern: base64Pattern, description: 'the signed transaction, base64' },
      wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS, description: 'seconds to wait for the commit' },
    },
  },
  response: {
    201: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, height: { type: 'integer' } } },
    202: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, statusUrl: { type: 'string' } } },
    '4xx': errorSchema,
  },
} as const;

function pending(id: string) {
  return { id, status: 'pending', statusUrl: `/v1/transactions/${id}` };
}

/**
 * The node's HTTP API. Every route validates its input with a JSON Schema; errors come as
 * `{ error: { code, message } }`; a write is answered 201 only once it is in a committed block.
 */
export async function createGateway(node: NodeHandle, options: GatewayOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: options.bodyLimitBytes ?? 1 << 20,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url}`)));

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    const status = node.status();
    const connected = status.peers.some((p) => p.connected);
    const alone = status.validators.length === 1;
    if (status.syncing || (!connected && !alone)) {
      return reply.status(503).send(errorBody('NOT_READY', status.syncing ? 'the node is catching up with its peers' : 'the node has no connected peer'));
    }
    return { status: 'ready', height: status.height };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(node.metricsRegistry.contentType);
    return node.metricsRegistry.metrics();
  });

  app.get('/v1/status', async () => node.status());

  app.post('/v1/transactions', { schema: submitSchema }, async (request, reply) => {
    const { tx, wait = 0 } = request.body as { tx: string; wait?: number };
    const bytes = Uint8Array.from(Buffer.from(tx, 'base64'));
    const submitted = node.submitTransaction(bytes);
    let id: string;
    if (submitted.ok) id = submitted.id;
    else if (submitted.error.code === 'DUPLICATE_TX') id = txIdOf(bytes);
    else throw new HttpError(422, submitted.error.code, submitted.error.message);
    const committed = wait > 0 ? await node.waitForCommit(id, wait * 1000) : await committedNow(node, id);
    if (committed) return reply.status(201).send({ id, status: 'committed', height: committed.height });
    return reply.status(202).send(pending(id));
  });

  app.get('/v1/transactions/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', pattern: hex64Pattern } } } } }, async (request) => {
    const { id } = request.params as { id: string };
    const stored = await node.store.getTx(id);
    if (!stored) throw new HttpError(404, 'NOT_FOUND', `transaction ${id} is not in a committed block on this node`);
    return { id, status: 'committed', height: stored.height, index: stored.index, tx: Buffer.from(stored.bytes).toString('base64') };
  });

  app.get('/v1/blocks/:height', { schema: { params: { type: 'object', properties: { height: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } } } } }, async (request) => {
    const height = Number((request.params as { height: string }).height);
    const [bytes, commit] = await Promise.all([node.store.getBlock(height), node.store.getCommit(height)]);
    if (!bytes || !commit) throw new HttpError(404, 'NOT_FOUND', `block ${height} is not committed on this node`);
    const decoded = decodeBlock(bytes, Number.MAX_SAFE_INTEGER);
    if (!decoded.ok) throw new Error(`stored block ${height} does not decode: ${decoded.error.message}`);
    const { header, hash, txs } = decoded.value;
    return {
      height: header.height,
      hash: toHex(hash),
      time: header.time,
      previousHash: toHex(header.previousHash),
      txRoot: toHex(header.txRoot),
      stateRoot: toHex(header.stateRoot),
      proposer: toHex(header.proposer),
      txs: txs.map(txIdOf),
      commit: Buffer.from(commit).toString('base64'),
    };
  });

  return app;
}

function txIdOf(bytes: Uint8Array): string {
  const decoded = decodeTransaction(bytes, Number.MAX_SAFE_INTEGER);
  if (!decoded.ok) throw new HttpError(400, decoded.error.code, decoded.error.message);
  return toHex(decoded.value.id);
}

async function committedNow(node: NodeHandle, id: string): Promise<{ height: number } | undefined> {
  const stored = await node.store.getTx(id);
  return stored && { height: stored.height };
}
