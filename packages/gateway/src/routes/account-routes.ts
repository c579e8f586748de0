import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { errors, hex64, noQuery, object } from '../schemas.js';

const accountSchema = {
  summary: "A sender's next transaction sequence number",
  description: 'The seq the next transaction signed by this key must carry, from the state after the last committed block (0 for a key that never sent one). Transactions still in the mempool are not counted.',
  tags: ['transactions'],
  params: object({ publicKey: { ...hex64, description: 'the Ed25519 public key, 64 lowercase hex digits' } }),
  querystring: noQuery,
  response: { 200: object({ publicKey: hex64, nextSeq: { type: 'integer', minimum: 0 } }), ...errors },
} as const;

/** What a client needs to sign its next transaction: the sender's next sequence number. */
export function accountRoutes(app: FastifyInstance, node: NodeHandle): void {
  app.get('/v1/accounts/:publicKey', { schema: accountSchema }, async (request) => {
    const { publicKey } = request.params as { publicKey: string };
    return { publicKey, nextSeq: node.state.nonces.get(publicKey) ?? 0 };
  });
}
