import { toHex } from '@certledger/codec';
import { decodeTransaction } from '@certledger/ledger';
import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { decodeBase64Strict } from '../base64.js';
import { txIdOf } from '../block-reader.js';
import { HttpError } from '../errors.js';
import { proofSchema } from '../read-schemas.js';
import { submitBatchSchema, submitSchema, txLookupSchema } from '../schemas.js';
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
    const outcome = await submitOne(node, tx, wait);
    if (outcome.status === 'refused') throw new HttpError(outcome.error.code === 'BAD_ENCODING' ? 400 : 422, outcome.error.code, outcome.error.message);
    return reply.status(outcome.status === 'committed' ? 201 : 202).send(outcome);
  });

  app.post('/v1/transactions/batch', { schema: submitBatchSchema, config: writeLimit && { rateLimit: writeLimit } }, async (request, reply) => {
    const { txs } = request.body as { txs: string[] };
    const results: SubmitOutcome[] = [];
    for (const tx of txs) results.push(await submitOne(node, tx, 0));
    const status = results.some((r) => r.status === 'pending') ? 202 : results.every((r) => r.status === 'refused') ? 422 : 201;
    return reply.status(status).send({ results });
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

type SubmitOutcome =
  | { readonly status: 'committed'; readonly id: string; readonly height: number }
  | { readonly status: 'pending'; readonly id: string; readonly statusUrl: string }
  | { readonly status: 'refused'; readonly error: { readonly code: string; readonly message: string } };

/**
 * One submission, single or in a batch. A transaction the mempool just took cannot be in a
 * block yet (the mempool refuses used sequence numbers), so only waiting asks the store.
 */
async function submitOne(node: NodeHandle, tx: string, waitSeconds: number): Promise<SubmitOutcome> {
  const bytes = decodeBase64Strict(tx);
  if (!bytes) return { status: 'refused', error: { code: 'BAD_ENCODING', message: 'tx must be standard base64 with padding (A-Z, a-z, 0-9, +, /, =), without spaces' } };
  const submitted = node.submitTransaction(bytes);
  let id: string;
  if (submitted.ok) id = submitted.id;
  else if (submitted.error.code === 'DUPLICATE_TX') id = txIdOf(bytes);
  else {
    // A client retrying after a lost answer resubmits what is already on chain: that is a success.
    const known = decodeTransaction(bytes, Number.MAX_SAFE_INTEGER);
    const committed = known.ok ? await node.store.getTx(toHex(known.value.id)) : undefined;
    if (known.ok && committed) return { status: 'committed', id: toHex(known.value.id), height: committed.height };
    return { status: 'refused', error: { code: submitted.error.code, message: submitted.error.message } };
  }
  // A commit may land between the wait's end and this answer: ask the store last.
  const committed = waitSeconds > 0 ? ((await node.waitForCommit(id, waitSeconds * 1000)) ?? (await node.store.getTx(id))) : submitted.ok ? undefined : await node.store.getTx(id);
  if (committed) return { status: 'committed', id, height: committed.height };
  return { status: 'pending', id, statusUrl: `/v1/transactions/${id}` };
}
