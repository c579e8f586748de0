/** Schemas of the read routes over the chain and the ledger state (see schemas.ts for the conventions). */
import { TX_KINDS } from '@certledger/ledger';
import { base64Text, blockHeightParams, errors, heightText, hex64, nextPage, noQuery, nullable, object, pageLimit, query } from './schemas.js';

const height = { type: 'integer', minimum: 0 } as const;
const identifier = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{0,62}$' } as const;

const blockSummary = object({
  height,
  hash: hex64,
  time: { type: 'integer', description: 'ms since the Unix epoch, chosen by the proposer' },
  txCount: { type: 'integer' },
  proposer: hex64,
});

export const blockListSchema = {
  summary: 'Latest blocks first',
  tags: ['blocks'],
  querystring: query({ before: heightText('list blocks below this height (default: from the head)'), limit: pageLimit }),
  response: { 200: object({ blocks: { type: 'array', items: blockSummary }, next: nextPage }), ...errors },
} as const;

export const blockTransactionsSchema = {
  summary: "A block's transactions: kind, sender and id",
  tags: ['blocks'],
  params: blockHeightParams,
  querystring: noQuery,
  response: {
    200: object({
      height,
      transactions: {
        type: 'array',
        items: object({ index: { type: 'integer' }, id: hex64, kind: { type: 'string', enum: TX_KINDS }, sender: hex64, seq: { type: 'integer' } }),
      },
    }),
    ...errors,
  },
} as const;

export const proofSchema = {
  summary: 'What a certificate file needs to check a transaction offline',
  description:
    'The header and commit certificate of the block holding the transaction, and the RFC 9162 inclusion path of the transaction (leaf: the exact tx bytes) in the header\'s txRoot.',
  tags: ['transactions'],
  params: object({ id: { ...hex64, description: 'transaction id, 64 lowercase hex digits' } }),
  querystring: noQuery,
  response: {
    200: object({
      height,
      blockHash: hex64,
      header: base64Text('the encoded block header, exactly as hashed'),
      commit: base64Text('the commit certificate'),
      txIndex: { type: 'integer' },
      txCount: { type: 'integer' },
      inclusionPath: { type: 'array', items: hex64, description: 'sibling hashes from the leaf upwards' },
      tx: base64Text('the full signed transaction'),
    }),
    ...errors,
  },
} as const;

const issuerView = object({
  issuerId: identifier,
  displayName: { type: 'string' },
  registeredAtHeight: height,
  keys: {
    type: 'array',
    description: 'oldest first; the last is the current key',
    items: object({
      publicKey: hex64,
      addedAtHeight: height,
      retiredAtHeight: nullable({ type: 'integer', description: 'the rotation that replaced this key' }),
      compromisedFromHeight: nullable({ type: 'integer', description: 'anchors this key signed from this height on are void' }),
    }),
  },
  suspension: nullable(object({ atHeight: height, reason: { type: 'string' } })),
});

const issuerParams = object({ issuerId: { ...identifier, description: 'issuing department id' } });

export const issuerListSchema = {
  summary: 'Issuing departments',
  tags: ['registry'],
  querystring: noQuery,
  response: { 200: object({ issuers: { type: 'array', items: issuerView } }), ...errors },
} as const;

export const issuerSchema = {
  summary: 'One issuing department: name, keys and suspension',
  tags: ['registry'],
  params: issuerParams,
  querystring: noQuery,
  response: { 200: issuerView, ...errors },
} as const;

const anchorFields = {
  root: hex64,
  issuerId: identifier,
  typeId: identifier,
  typeVersion: { type: 'integer' },
  leafCount: { type: 'integer' },
  signerKey: hex64,
  height,
  txId: hex64,
  logIndex: { type: 'integer', description: 'position in the anchor log' },
} as const;

export const issuerAnchorsSchema = {
  summary: "An issuer's anchored batches, newest first",
  description: 'Pages never split a block: one may hold fewer than `limit` anchors, or more when one block holds more of them.',
  tags: ['anchors'],
  params: issuerParams,
  querystring: query({ before: heightText('list anchors below this height'), limit: pageLimit }),
  response: { 200: object({ issuerId: identifier, anchors: { type: 'array', items: object(anchorFields) }, next: nextPage }), ...errors },
} as const;

export const anchorSchema = {
  summary: 'An anchored batch and the hash of its block',
  tags: ['anchors'],
  params: object({ root: { ...hex64, description: 'batch Merkle root, 64 lowercase hex digits' } }),
  querystring: noQuery,
  response: { 200: object({ ...anchorFields, blockHash: hex64 }), ...errors },
} as const;

export const revocationSchema = {
  summary: 'Whether a certificate, or its whole batch, is revoked',
  description: 'A batch revocation covers every leaf. Without `leaf`, only the batch revocation is looked up.',
  tags: ['anchors'],
  params: object({ root: { ...hex64, description: 'batch Merkle root' } }),
  querystring: query({ leaf: { ...hex64, description: "the certificate's leaf hash" } }),
  response: {
    200: object({
      root: hex64,
      leaf: nullable(hex64),
      revoked: { type: 'boolean' },
      scope: nullable({ type: 'string', enum: ['batch', 'certificate', null], description: 'what the revocation covers' }),
      reason: nullable({ type: 'string' }),
      height: nullable({ type: 'integer' }),
      txId: nullable(hex64),
    }),
    ...errors,
  },
} as const;

export const certTypesSchema = {
  summary: 'Certificate types and who may issue them',
  tags: ['registry'],
  querystring: noQuery,
  response: {
    200: object({
      certTypes: {
        type: 'array',
        items: object({
          typeId: identifier,
          version: { type: 'integer' },
          displayName: { type: 'string' },
          schemaHash: hex64,
          issuers: { type: 'array', items: identifier },
          registeredAtHeight: height,
          updatedAtHeight: height,
        }),
      },
    }),
    ...errors,
  },
} as const;

const validatorView = object({ name: { type: 'string' }, publicKey: hex64, power: { type: 'integer' } });

export const validatorsSchema = {
  summary: 'The validator set, and changes scheduled for later heights',
  tags: ['registry'],
  querystring: noQuery,
  response: {
    200: object({
      height,
      validators: { type: 'array', items: validatorView, description: 'the set that signs the next block' },
      pending: { type: 'array', items: object({ effectiveHeight: height, validators: { type: 'array', items: validatorView } }) },
    }),
    ...errors,
  },
} as const;
