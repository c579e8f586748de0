/**
 * Every reason the ledger refuses a transaction or a block. Codes are stable for machines
 * (gateways map them to HTTP answers, tests assert them); messages are for people.
 */
export type LedgerErrorCode =
  | 'MALFORMED_TX'
  | 'TX_TOO_LARGE'
  | 'WRONG_CHAIN'
  | 'BAD_SIGNATURE'
  | 'BAD_SEQUENCE'
  | 'NOT_AUTHORISED'
  | 'NOT_GOVERNANCE'
  | 'BAD_APPROVALS'
  | 'INSUFFICIENT_APPROVALS'
  | 'UNKNOWN_ISSUER'
  | 'ISSUER_EXISTS'
  | 'ISSUER_SUSPENDED'
  | 'ISSUER_NOT_SUSPENDED'
  | 'KEY_IN_USE'
  | 'BAD_COMPROMISE_HEIGHT'
  | 'UNKNOWN_CERT_TYPE'
  | 'CERT_TYPE_EXISTS'
  | 'NOT_AUTHORISED_FOR_TYPE'
  | 'DUPLICATE_ANCHOR'
  | 'UNKNOWN_ANCHOR'
  | 'NOT_ANCHOR_OWNER'
  | 'ALREADY_REVOKED'
  | 'VALIDATOR_EXISTS'
  | 'UNKNOWN_VALIDATOR'
  | 'VALIDATOR_SET_INVALID'
  | 'MALFORMED_BLOCK'
  | 'BLOCK_TOO_LARGE'
  | 'BAD_HEIGHT'
  | 'BAD_PREVIOUS_HASH'
  | 'BAD_TIME'
  | 'BAD_TX_ROOT'
  | 'BAD_STATE_ROOT'
  | 'BAD_VALIDATOR_SET_HASH'
  | 'BAD_PROPOSER'
  | 'TX_REJECTED'
  | 'MALFORMED_GENESIS';

export interface LedgerError {
  readonly code: LedgerErrorCode;
  readonly message: string;
  /** Index of the offending transaction inside a block, when a block was refused for one. */
  readonly txIndex?: number;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: LedgerError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: LedgerErrorCode, message: string, txIndex?: number): Result<T> {
  return { ok: false, error: txIndex === undefined ? { code, message } : { code, message, txIndex } };
}

/** Thrown only inside the ledger to unwind a validation; always caught and turned into a Result. */
export class LedgerRejection extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function reject(code: LedgerErrorCode, message: string): never {
  throw new LedgerRejection(code, message);
}
