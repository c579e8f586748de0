import { toHex } from '@certledger/codec';
import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { committedBlock, heldTransaction, txIdOf } from '../block-reader.js';
import { HttpError } from '../errors.js';
import { blockListSchema, blockTransactionsSchema } from '../read-schemas.js';
import { blockSchema, DEFAULT_PAGE_SIZE } from '../schemas.js';
import { base64 } from '../views.js';

export function blockRoutes(app: FastifyInstance, node: NodeHandle): void {
  const requireBlock = async (heightText: string) => {
    const height = Number(heightText);
    const found = await committedBlock(node.store, height);
    if (!found) throw new HttpError(404, 'NOT_FOUND', `block ${height} is not committed on this node`);
    return found;
  };

  app.get('/v1/blocks', { schema: blockListSchema }, async (request) => {
    const { before, limit } = request.query as { before?: string; limit?: string };
    const size = Number(limit ?? DEFAULT_PAGE_SIZE);
    const top = Math.min(before === undefined ? Number.MAX_SAFE_INTEGER : Number(before) - 1, node.store.height);
    const heights = Array.from({ length: Math.max(0, Math.min(size, top)) }, (_, i) => top - i);
    const found = await Promise.all(heights.map((height) => committedBlock(node.store, height)));
    const blocks = found.flatMap((entry) => {
      if (!entry) return [];
      const { header, hash } = entry.block;
      return [{ height: header.height, hash: toHex(hash), time: header.time, txCount: header.txCount, proposer: toHex(header.proposer) }];
    });
    const last = heights.at(-1);
    return { blocks, next: last !== undefined && last > 1 ? `/v1/blocks?before=${last}&limit=${size}` : null };
  });

  app.get('/v1/blocks/:height', { schema: blockSchema }, async (request) => {
    const { block, commit } = await requireBlock((request.params as { height: string }).height);
    const { header, hash, txs } = block;
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

  app.get('/v1/blocks/:height/transactions', { schema: blockTransactionsSchema }, async (request) => {
    const { block } = await requireBlock((request.params as { height: string }).height);
    const transactions = block.txs.map((bytes, index) => {
      const { id, body } = heldTransaction(bytes);
      return { index, id: toHex(id), kind: body.action.kind, sender: toHex(body.sender), seq: body.seq };
    });
    return { height: block.header.height, transactions };
  });
}
