import { errors, MAX_WAIT_SECONDS, noQuery } from './schemas.js';

export const MAX_RECORDS_PER_REQUEST = 1000;

const identifier = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{0,62}$' } as const;
const dateTime = { type: 'string', maxLength: 40, format: 'date-time-stamp', description: 'a date-time with a time zone on a real calendar day, e.g. 2026-01-01T00:00:00Z' } as const;

const answer = {
  type: 'object',
  required: ['status', 'root', 'txId', 'count', 'credentials'],
  additionalProperties: false,
  properties: {
    status: { enum: ['committed', 'pending'] },
    root: { type: 'string' },
    txId: { type: 'string' },
    count: { type: 'integer' },
    height: { type: 'integer' },
    statusUrl: { type: 'string' },
    credentials: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

export const issueSchema = {
  summary: 'Issue a batch of certificates for a department whose key this gateway holds',
  description: `Needs "Authorization: Bearer <department token>"; a token acts only for its own department. Records are checked against the type's schema (which must be the one registered on the ledger), salted, hashed into one Merkle root and anchored with one transaction. 201 with anchored certificates once committed; 202 with unanchored certificates and a status URL before (fetch /v1/transactions/{id}/proof to complete them). At most ${MAX_RECORDS_PER_REQUEST} records per request.`,
  tags: ['certificates'],
  querystring: noQuery,
  headers: { type: 'object', properties: { authorization: { type: 'string', description: 'Bearer <department token>' } } },
  body: {
    type: 'object',
    required: ['issuerId', 'typeId', 'typeVersion', 'records', 'validFrom'],
    additionalProperties: false,
    properties: {
      issuerId: identifier,
      typeId: identifier,
      typeVersion: { type: 'integer', minimum: 1 },
      records: { type: 'array', minItems: 1, maxItems: MAX_RECORDS_PER_REQUEST, items: { type: 'object' } },
      validFrom: dateTime,
      validUntil: dateTime,
      dataIntegrity: { type: 'boolean', description: 'also add a W3C eddsa-jcs-2022 Data Integrity proof to each certificate' },
      wait: { type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS, description: 'seconds to wait for the commit' },
    },
  },
  response: { 201: answer, 202: answer, ...errors },
} as const;
