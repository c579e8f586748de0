import { CHECK_ORDER } from '@certledger/certs';
import { errors } from './schemas.js';

const FAILURE_REASONS = ['MALFORMED', 'TAMPERED', 'BAD_SIGNATURE', 'WRONG_CHAIN', 'UNKNOWN_ISSUER', 'KEY_COMPROMISED', 'NOT_AUTHORISED', 'NOT_ANCHORED', 'REVOKED', 'EXPIRED', 'NOT_YET_VALID'];

const check = {
  type: 'object',
  required: ['name', 'outcome', 'message'],
  additionalProperties: false,
  properties: {
    name: { enum: [...CHECK_ORDER] },
    outcome: { enum: ['pass', 'fail', 'skip'] },
    reason: { enum: FAILURE_REASONS },
    message: { type: 'string' },
  },
} as const;

const anchorSummary = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { height: { type: 'integer' }, txId: { type: 'string' }, blockHash: { type: ['string', 'null'] } },
} as const;

const revocationSummary = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { reason: { type: 'string' }, height: { type: 'integer' } },
} as const;

export const verifySchema = {
  summary: 'Verify a certificate file and get every check with its outcome',
  description:
    'Checks integrity, issuer signature, issuer and type authorisation at the anchor height, anchoring in a finalised block, revocation and validity dates against this node\'s ledger. The verifier page at / does the same in the browser without uploading the certificate.',
  tags: ['certificates'],
  body: {
    type: 'object',
    required: ['certificate'],
    additionalProperties: false,
    properties: {
      certificate: { description: 'the certificate file: its JSON object, or its text', anyOf: [{ type: 'object' }, { type: 'string', maxLength: 1048576 }] },
      at: { type: 'string', format: 'date-time-stamp', description: 'judge validity dates at this moment instead of now: a date-time with a time zone on a real calendar day, e.g. 2026-01-01T00:00:00Z' },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['valid', 'reason', 'checks', 'summary'],
      additionalProperties: false,
      properties: {
        valid: { type: 'boolean' },
        reason: { type: ['string', 'null'], enum: [...FAILURE_REASONS, null] },
        checks: { type: 'array', items: check },
        // Nullable by type rather than anyOf: fast-json-stringify serialises anyOf by validating
        // the value against each branch first, a cost paid on every answer.
        summary: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', description: "the credential's own id" },
            issuerId: { type: 'string' },
            issuerName: { type: 'string' },
            issuerKey: { type: 'string', description: 'the did:key that signed the batch root' },
            issuerSuspended: { type: ['object', 'null'], additionalProperties: false, properties: { atHeight: { type: 'integer' }, reason: { type: 'string' } }, description: 'set when the department is suspended now; certificates it anchored before stay valid' },
            typeId: { type: 'string' },
            typeVersion: { type: 'integer' },
            typeName: { type: 'string' },
            validFrom: { type: 'string' },
            validUntil: { type: ['string', 'null'] },
            fields: { type: 'object', additionalProperties: true },
            hiddenFieldCount: { type: 'integer' },
            root: { type: 'string', description: 'the batch root (hex)' },
            leaf: { type: ['string', 'null'], description: "the certificate's leaf (hex); null when its fields do not lead to the root" },
            anchor: anchorSummary,
            revocation: revocationSummary,
          },
        },
      },
    },
    ...errors,
  },
} as const;
