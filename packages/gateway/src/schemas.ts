/**
 * JSON Schemas of every route: requests are validated against them (no coercion, no unknown
 * fields) and answers serialised through them, so the API is what these say it is. The same
 * schemas, with each route's summary and tags, make the OpenAPI document at /docs/json.
 */

export const MAX_WAIT_SECONDS = 60;

export const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const hex = { type: 'string', pattern: '^(?:[0-9a-f]{2})*$' } as const;
export const base64Text = (description: string) => ({ type: 'string', description: `${description}, standard base64` }) as const;
/** Heights in paths and queries are digit strings: coercion is off, so "1e3" or "01" never pass as numbers. */
export const heightText = (description: string) => ({ type: 'string', pattern: '^[1-9][0-9]{0,14}$', description }) as const;
export const nullable = <T extends { type: string }>(schema: T) => ({ ...schema, type: [schema.type, 'null'] }) as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  description: 'every error: a stable code and a sentence saying what is wrong',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export const errors = { '4xx': errorSchema, '5xx': errorSchema } as const;

export function object<P extends Record<string, unknown>>(properties: P, extra: Record<string, unknown> = {}) {
  return { type: 'object', required: Object.keys(properties), additionalProperties: false, properties, ...extra } as const;
}

/** A query string whose every field is optional and no other field is allowed. */
export function query<P extends Record<string, unknown>>(properties: P) {
  return { type: 'object', additionalProperties: false, properties } as const;
}

/** The query of a route that takes none: any field is refused, as an unknown field is anywhere else. */
export const noQuery = query({});

export const DEFAULT_PAGE_SIZE = 20;
export const pageLimit = { type: 'string', pattern: '^(?:100|[1-9][0-9]?)$', description: `page size, 1 to 100 (default ${DEFAULT_PAGE_SIZE})` } as const;
export const nextPage = nullable({ type: 'string', description: 'the URL of the next (older) page; null on the last' });

export const healthSchema = {
  summary: 'Liveness: the process serves requests',
  tags: ['node'],
  response: { 200: object({ status: { type: 'string', const: 'ok' } }), ...errors },
} as const;

export const readySchema = {
  summary: 'Readiness: not catching up, and a connected peer (or the only validator)',
  tags: ['node'],
  response: { 200: object({ status: { type: 'string', const: 'ready' }, height: { type: 'integer' } }), ...errors },
} as const;

export const metricsSchema = {
  summary: 'Prometheus metrics',
  tags: ['node'],
  response: { 200: { type: 'string', description: 'Prometheus text exposition format' }, ...errors },
} as const;

const peerStatus = object({ name: { type: 'string' }, publicKey: hex64, connected: { type: 'boolean' } });
const validatorStatus = object({ name: { type: 'string' }, publicKey: hex64, power: { type: 'integer' } });

export const statusSchema = {
  summary: "The node's status",
  tags: ['node'],
  querystring: noQuery,
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

const submitted = {
  committed: object({ id: hex64, status: { type: 'string', const: 'committed' }, height: { type: 'integer' } }),
  pending: object({ id: hex64, status: { type: 'string', const: 'pending' }, statusUrl: { type: 'string' } }),
};

/** One outcome of a batch: committed (id, height), pending (id, statusUrl) or refused (error). */
const batchOutcome = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['committed', 'pending', 'refused'] },
    id: hex64,
    height: { type: 'integer' },
    statusUrl: { type: 'string' },
    error: errorSchema.properties.error,
  },
} as const;

export const submitSchema = {
  summary: 'Submit a signed transaction',
  description: '201 once it is in a committed block, 202 with a status URL while it waits in the mempool, 422 when refused.',
  tags: ['transactions'],
  querystring: noQuery,
  body: {
    type: 'object',
    required: ['tx'],
    additionalProperties: false,
    properties: {
      tx: { type: 'string', minLength: 1, description: 'the signed transaction bytes, standard base64 with padding (RFC 4648 section 4)' },
      wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS, description: 'seconds to wait for the commit before answering 202' },
    },
  },
  response: { 201: submitted.committed, 202: submitted.pending, ...errors },
} as const;

/** Transactions in one batch submission at most: one request stays a bounded amount of work. */
export const MAX_BATCH_TXS = 1000;

export const submitBatchSchema = {
  summary: 'Submit many signed transactions in one request',
  description:
    'Each transaction is taken or refused on its own, in order; the answer lists an outcome per transaction, in the same order. ' +
    '202 when at least one is pending, 201 when every one taken is committed, 422 when every one was refused.',
  tags: ['transactions'],
  querystring: noQuery,
  body: {
    type: 'object',
    required: ['txs'],
    additionalProperties: false,
    properties: {
      txs: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_BATCH_TXS,
        items: { type: 'string', minLength: 1 },
        description: 'signed transaction bytes, each standard base64 with padding (RFC 4648 section 4)',
      },
    },
  },
  response: {
    ...Object.fromEntries([201, 202, 422].map((code) => [code, object({ results: { type: 'array', items: batchOutcome } })])),
    ...errors,
  },
} as const;

export const txLookupSchema = {
  summary: 'A committed transaction',
  tags: ['transactions'],
  params: object({ id: { ...hex64, description: 'transaction id, 64 lowercase hex digits' } }),
  querystring: noQuery,
  response: {
    200: object({
      id: hex64,
      status: { type: 'string', const: 'committed' },
      height: { type: 'integer' },
      index: { type: 'integer', description: 'position in the block' },
      tx: base64Text('the transaction bytes'),
    }),
    ...errors,
  },
} as const;

export const blockHeightParams = object({ height: heightText('block height, 1 or more') });

export const blockSchema = {
  summary: 'A block: header, transaction ids and commit certificate',
  tags: ['blocks'],
  params: blockHeightParams,
  querystring: noQuery,
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
      commit: base64Text('the commit certificate (2f+1 precommits)'),
    }),
    ...errors,
  },
} as const;
