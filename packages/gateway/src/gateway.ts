import { toHex } from '@certledger/codec';
import { decodeBlock, decodeTransaction } from '@certledger/ledger';
import type { NodeHandle } from '@certledger/node';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { decodeBase64Strict } from './base64.js';
import { errorBody, handleError, HttpError } from './errors.js';
import { blockSchema, healthSchema, metricsSchema, readySchema, statusSchema, submitSchema, txLookupSchema } from './schemas.js';

export interface GatewayOptions {
  readonly logger?: Logger | false;
  /** Largest request body accepted (default 1 MiB). */
  readonly bodyLimitBytes?: number;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1 << 20;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * The node's HTTP API, not yet listening. Every route validates its input with a JSON Schema;
 * errors come as `{ error: { code, message } }`; a write is answered 201 only once it is in a
 * committed block, 202 with a status URL before.
 */
export async function createGateway(node: NodeHandle, options: GatewayOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  app.setErrorHandler(handleError);
  // JSON only: a text body would otherwise reach the schema as a string and fail less clearly.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('NOT_FOUND', `there is no route ${request.method} ${request.url.split('?')[0]}`)));

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

  app.get('/v1/status', { schema: statusSchema }, async () => node.status());

  app.post('/v1/transactions', { schema: submitSchema }, async (request, reply) => {
    const { tx, wait = 0 } = request.body as { tx: string; wait?: number };
    const bytes = decodeBase64Strict(tx);
    if (!bytes) throw new HttpError(400, 'BAD_ENCODING', 'tx must be standard base64 with padding (A-Z, a-z, 0-9, +, /, =), without spaces');
    const submitted = node.submitTransaction(bytes);
    let id: string;
    if (submitted.ok) id = submitted.id;
    else if (submitted.error.code === 'DUPLICATE_TX') id = txIdOf(bytes);
    else {
      // A client retrying after a lost answer resubmits what is already on chain: that is a success.
      const known = decodeTransaction(bytes, Number.MAX_SAFE_INTEGER);
      const committed = known.ok ? await committedHeight(node, toHex(known.value.id)) : undefined;
      if (known.ok && committed) return reply.status(201).send({ id: toHex(known.value.id), status: 'committed', height: committed.height });
      throw new HttpError(422, submitted.error.code, submitted.error.message);
    }
    // A commit may land between the wait's end and this answer: ask the store last.
    const committed = (wait > 0 ? await node.waitForCommit(id, wait * 1000) : undefined) ?? (await committedHeight(node, id));
    if (committed) return reply.status(201).send({ id, status: 'committed', height: committed.height });
    return reply.status(202).send({ id, status: 'pending', statusUrl: `/v1/transactions/${id}` });
  });

  app.get('/v1/transactions/:id', { schema: txLookupSchema }, async (request) => {
    const { id } = request.params as { id: string };
    const stored = await node.store.getTx(id);
    if (!stored) throw new HttpError(404, 'NOT_FOUND', `transaction ${id} is not in a committed block on this node`);
    return { id, status: 'committed', height: stored.height, index: stored.index, tx: base64(stored.bytes) };
  });

  app.get('/v1/blocks/:height', { schema: blockSchema }, async (request) => {
    const height = Number((request.params as { height: string }).height);
    const [bytes, commit] = await Promise.all([node.store.getBlock(height), node.store.getCommit(height)]);
    if (!bytes || !commit) throw new HttpError(404, 'NOT_FOUND', `block ${height} is not committed on this node`);
    const decoded = decodeBlock(bytes, Number.MAX_SAFE_INTEGER);
    if (!decoded.ok) throw new Error(`stored block ${height} does not decode: ${decoded.error.message}`);
    const { header, hash, txs } = decoded.value;
    return {
      chainId: header.chainId,
      height: header.height,
      hash: toHex(hash),
      time: header.time,
      previousHash: toHex(header.previousHash),
      txRoot: toHex(header.txRoot),
      txCount: header.txCount,
      stateRoot: toHex(header.stateRoot),
      validatorSetHash: toHex(header.validatorSetHash),
      nextValidatorSetHash: toHex(header.nextValidatorSetHash),
      proposer: toHex(header.proposer),
      txs: txs.map(txIdOf),
      commit: base64(commit),
    };
  });

  return app;
}

/** The id of bytes the node already holds (so they decode); an internal failure otherwise. */
function txIdOf(bytes: Uint8Array): string {
  const decoded = decodeTransaction(bytes, Number.MAX_SAFE_INTEGER);
  if (!decoded.ok) throw new Error(`a transaction the node holds does not decode: ${decoded.error.message}`);
  return toHex(decoded.value.id);
}

async function committedHeight(node: NodeHandle, id: string): Promise<{ height: number } | undefined> {
  const stored = await node.store.getTx(id);
  return stored && { height: stored.height };
}
