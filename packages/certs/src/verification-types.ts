import type { JsonObject } from './json.js';

export type CheckName = 'format' | 'integrity' | 'signature' | 'dataIntegrity' | 'issuer' | 'authorisation' | 'anchor' | 'revocation' | 'validity';
export const CHECK_ORDER: readonly CheckName[] = ['format', 'integrity', 'signature', 'dataIntegrity', 'issuer', 'authorisation', 'anchor', 'revocation', 'validity'];

export type FailureReason =
  | 'MALFORMED'
  | 'TAMPERED'
  | 'BAD_SIGNATURE'
  | 'WRONG_CHAIN'
  | 'UNKNOWN_ISSUER'
  | 'KEY_COMPROMISED'
  | 'NOT_AUTHORISED'
  | 'NOT_ANCHORED'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID';

export type Check =
  | { readonly name: CheckName; readonly outcome: 'pass' | 'skip'; readonly message: string }
  | { readonly name: CheckName; readonly outcome: 'fail'; readonly reason: FailureReason; readonly message: string };

export interface CredentialSummary {
  readonly id: string;
  readonly issuerId: string;
  /** From the ledger when it was asked; from the file offline. */
  readonly issuerName: string;
  readonly issuerKey: string;
  /** Set when the department is suspended now; certificates it anchored before stay valid. */
  readonly issuerSuspended: { readonly atHeight: number; readonly reason: string } | null;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly typeName: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  /** The subject's fields as the holder chose to show them. */
  readonly fields: JsonObject;
  readonly hiddenFieldCount: number;
  readonly root: string;
  readonly leaf: string | null;
  readonly anchor: { readonly height: number; readonly txId: string; readonly blockHash: string | null } | null;
  readonly revocation: { readonly reason: string; readonly height: number } | null;
}

export interface VerificationResult {
  readonly valid: boolean;
  /** The reason of the first failing check, in {@link CHECK_ORDER}. */
  readonly reason: FailureReason | null;
  readonly checks: readonly Check[];
  readonly summary: CredentialSummary | null;
}

export function pass(name: CheckName, message: string): Check {
  return { name, outcome: 'pass', message };
}
export function skip(name: CheckName, message: string): Check {
  return { name, outcome: 'skip', message };
}
export function failure(name: CheckName, reason: FailureReason, message: string): Check {
  return { name, outcome: 'fail', reason, message };
}

