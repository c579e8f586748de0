import { toHex } from '@certledger/codec';
import { decodeTransaction } from '@certledger/ledger';
import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { decodeBase64Strict } from '../base64.js';
import { txIdOf } from '../block-reader.js';
import { HttpError } from '../errors.js';
import { proofSchema } from '../read-schemas.js';
import { submitSchema, txLookupSchema } from '../schemas.js';
import { transactionProof } from '../tx-proof.js';
import { base64 } from '../views.js';

const notCommitted = (id: string) => new HttpError(404, 'NOT_FOUND', `transaction ${id} is not in a committed block on this node`);

/**
 * Writes are answered 201 only once in a committed block, 202 with a status URL before.
 * `writeLimit` is the route's own rate-limit budget, apart from the reads'.
 */
export function transactionRoutes(app: FastifyInstance, node: NodeHandle, writeLimit: { max: number; timeWindow: number } | undefined): void {
  app.post('/v1/transactions', { schema: submitSchema, config: writeLimit && { rateLimit: writeLimit } }, async (request, reply) => {
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
      const committed = known.ok ? await node.store.getTx(toHex(known.value.id)) : undefined;
      if (known.ok && committed) return reply.status(201).send({ id: toHex(known.value.id), status: 'committed', height: committed.height });
      throw new HttpError(422, submitted.error.code, submitted.error.message);
    }
    // A commit may land between the wait's end and this answer: ask the store last.
    const committed = (wait > 0 ? await node.waitForCommit(id, wait * 1000) : undefined) ?? (await node.store.getTx(id));
    if (committed) return reply.status(201).send({ id, status: 'committed', height: committed.height });
    return reply.status(202).send({ id, status: 'pending', statusUrl: `/v1/transactions/${id}` });
  });

  app.get('/v1/transactions/:id', { schema: txLookupSchema }, async (request) => {
    const { id } = request.params as { id: string };
    const stored = await node.store.getTx(id);
    if (!stored) throw notCommitted(id);
    return { id, status: 'committed', height: stored.height, index: stored.index, tx: base64(stored.bytes) };
  });

  app.get('/v1/transactions/:id/proof', { schema: proofSchema }, async (request) => {
    const { id } = request.params as { id: string };
    const proof = await transactionProof(node.store, id);
    if (!proof) throw notCommitted(id);
    return {
      height: proof.height,
      blockHash: toHex(proof.blockHash),
      header: base64(proof.header),
      commit: base64(proof.commit),
      txIndex: proof.txIndex,
      txCount: proof.txCount,
      inclusionPath: proof.txInclusionPath.map(toHex),
      tx: base64(proof.tx),
    };
  });
}
