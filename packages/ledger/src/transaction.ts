/** Governance actions take effect only with approvals from more than two thirds of the validators' power. */
export const GOVERNANCE_KINDS = [
  'register-issuer',
  'suspend-issuer',
  'reinstate-issuer',
  'rotate-issuer-key',
  'register-cert-type',
  'set-type-issuers',
  'add-validator',
  'remove-validator',
  'set-validator-power',
] as const;

/** Actions an issuing department signs with its own current key. */
export const ISSUER_KINDS = ['anchor', 'revoke'] as const;

export type GovernanceKind = (typeof GOVERNANCE_KINDS)[number];
export type IssuerKind = (typeof ISSUER_KINDS)[number];
export type TxKind = GovernanceKind | IssuerKind;
export const TX_KINDS: readonly TxKind[] = [...GOVERNANCE_KINDS, ...ISSUER_KINDS];

export interface RegisterIssuer {
  readonly kind: 'register-issuer';
  readonly issuerId: string;
  readonly displayName: string;
  readonly publicKey: Uint8Array;
}
export interface SuspendIssuer {
  readonly kind: 'suspend-issuer';
  readonly issuerId: string;
  readonly reason: string;
}
export interface ReinstateIssuer {
  readonly kind: 'reinstate-issuer';
  readonly issuerId: string;
}
export interface RotateIssuerKey {
  readonly kind: 'rotate-issuer-key';
  readonly issuerId: string;
  readonly newPublicKey: Uint8Array;
  /** When the old key leaked: anchors it signed at or after this height stop being valid. */
  readonly compromisedFromHeight: number | null;
}
export interface RegisterCertType {
  readonly kind: 'register-cert-type';
  readonly typeId: string;
  readonly version: number;
  readonly displayName: string;
  readonly schemaHash: Uint8Array;
  readonly issuers: readonly string[];
}
export interface SetTypeIssuers {
  readonly kind: 'set-type-issuers';
  readonly typeId: string;
  readonly version: number;
  readonly issuers: readonly string[];
}
export interface AddValidator {
  readonly kind: 'add-validator';
  readonly publicKey: Uint8Array;
  readonly power: number;
  readonly name: string;
}
export interface RemoveValidator {
  readonly kind: 'remove-validator';
  readonly publicKey: Uint8Array;
}
export interface SetValidatorPower {
  readonly kind: 'set-validator-power';
  readonly publicKey: Uint8Array;
  readonly power: number;
}
export interface Anchor {
  readonly kind: 'anchor';
  readonly issuerId: string;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly root: Uint8Array;
  readonly leafCount: number;
}
export interface RevocationEntry {
  readonly root: Uint8Array;
  /** One certificate's leaf hash, or null to revoke the whole batch. */
  readonly leaf: Uint8Array | null;
  readonly reason: string;
}
export interface Revoke {
  readonly kind: 'revoke';
  readonly issuerId: string;
  readonly revocations: readonly RevocationEntry[];
}

export type GovernanceAction =
  | RegisterIssuer
  | SuspendIssuer
  | ReinstateIssuer
  | RotateIssuerKey
  | RegisterCertType
  | SetTypeIssuers
  | AddValidator
  | RemoveValidator
  | SetValidatorPower;
export type Action = GovernanceAction | Anchor | Revoke;

/** What the sender signs. `seq` is the sender's next sequence number: each value is usable once. */
export interface TxBody {
  readonly chainId: string;
  readonly sender: Uint8Array;
  readonly seq: number;
  readonly action: Action;
}

export interface Approval {
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

/** A decoded transaction, holding the exact bytes that were signed and hashed. */
export interface Transaction {
  readonly body: TxBody;
  readonly bodyBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly approvals: readonly Approval[];
  /** taggedHash('tx', bodyBytes): the same body always has the same id, however it was signed. */
  readonly id: Uint8Array;
  readonly bytes: Uint8Array;
}

export function isGovernanceKind(kind: TxKind): kind is GovernanceKind {
  return (GOVERNANCE_KINDS as readonly string[]).includes(kind);
}

export function isGovernanceAction(action: Action): action is GovernanceAction {
  return isGovernanceKind(action.kind);
}
