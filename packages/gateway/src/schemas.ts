/**
 * JSON Schemas of every route: requests are validated against them (no coercion, no unknown
 * fields) and answers serialised through them, so the API is what these say it is.
 */

export const MAX_WAIT_SECONDS = 60;

const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const hex = { type: 'string', pattern: '^(?:[0-9a-f]{2})*$' } as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

const errors = { '4xx': errorSchema, '5xx': errorSchema } as const;

function object(properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { type: 'object', required: Object.keys(properties), additionalProperties: false, properties, ...extra } as const;
}

export const healthSchema = {
  response: { 200: object({ status: { type: 'string', const: 'ok' } }), ...errors },
} as const;

export const readySchema = {
  response: { 200: object({ status: { type: 'string', const: 'ready' }, height: { type: 'integer' } }), ...errors },
} as const;

export const metricsSchema = {
  response: { 200: { type: 'string', description: 'Prometheus text exposition format' }, ...errors },
} as const;

const peerStatus = object({ name: { type: 'string' }, publicKey: hex64, connected: { type: 'boolean' } });
const validatorStatus = object({ name: { type: 'string' }, publicKey: hex64, power: { type: 'integer' } });

export const statusSchema = {
  response: {
    200: object(
      {
        name: { type: 'string' },
        mode: { type: 'string', enum: ['validator', 'follower'] },
        chainId: { type: 'string' },
        publicKey: hex64,
        height: { type: 'integer' },
        lastBlockHash: hex,
        lastBlockTime: { type: 'integer', description: 'ms since the Unix epoch; 0 before the first block' },
        consensus: object({ height: { type: 'integer' }, round: { type: 'integer' }, step: { type: 'string' } }),
        syncing: { type: 'boolean' },
        peers: { type: 'array', items: peerStatus },
        mempool: object({ txs: { type: 'integer' }, bytes: { type: 'integer' } }),
        validators: { type: 'array', items: validatorStatus },
      },
      // The node may report more than this first gateway knows; pass it on rather than drop it.
      { additionalProperties: true },
    ),
    ...errors,
  },
} as const;

export const submitSchema = {
  body: {
    type: 'object',
    required: ['tx'],
    additionalProperties: false,
    properties: {
      tx: { type: 'string', minLength: 1, description: 'the signed transaction bytes, standard base64 with padding (RFC 4648 section 4)' },
      wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS, description: 'seconds to wait for the commit before answering 202' },
    },
  },
  response: {
    201: object({ id: hex64, status: { type: 'string', const: 'committed' }, height: { type: 'integer' } }),
    202: object({ id: hex64, status: { type: 'string', const: 'pending' }, statusUrl: { type: 'string' } }),
    ...errors,
  },
} as const;

export const txLookupSchema = {
  params: object({ id: { ...hex64, description: 'transaction id, 64 lowercase hex digits' } }),
  response: {
    200: object({
      id: hex64,
      status: { type: 'string', const: 'committed' },
      height: { type: 'integer' },
      index: { type: 'integer', description: 'position in the block' },
      tx: { type: 'string', description: 'the transaction bytes, base64' },
    }),
    ...errors,
  },
} as const;

export const blockSchema = {
  params: object({ height: { type: 'string', pattern: '^[1-9][0-9]{0,14}$', description: 'block height, 1 or more' } }),
  response: {
    200: object({
      chainId: { type: 'string' },
      height: { type: 'integer' },
      hash: hex64,
      time: { type: 'integer' },
      previousHash: hex64,
      txRoot: hex64,
      txCount: { type: 'integer' },
      stateRoot: hex64,
      validatorSetHash: hex64,
      nextValidatorSetHash: hex64,
      proposer: hex64,
      txs: { type: 'array', items: hex64, description: 'transaction ids in block order' },
      commit: { type: 'string', description: 'the commit certificate (2f+1 precommits), base64' },
    }),
    ...errors,
  },
} as const;
