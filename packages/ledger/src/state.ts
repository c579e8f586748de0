import { Map as ImmutableMap } from 'immutable';
import type { CompactLogState } from './logs.js';

/** Changes to the validator set made in block h apply from block h + VALIDATOR_SET_DELAY. */
export const VALIDATOR_SET_DELAY = 2;

export interface ValidatorRecord {
  readonly publicKey: Uint8Array;
  readonly power: number;
  readonly name: string;
}

export interface IssuerKeyRecord {
  readonly publicKey: Uint8Array;
  readonly addedAtHeight: number;
  /** Height of the rotation that replaced this key; null while it is the current key. */
  readonly retiredAtHeight: number | null;
  /** Anchors this key signed at or after this height are void: the key leaked. */
  readonly compromisedFromHeight: number | null;
}

export interface IssuerRecord {
  readonly issuerId: string;
  readonly displayName: string;
  /** Oldest first; the last is the current key. */
  readonly keys: readonly IssuerKeyRecord[];
  readonly registeredAtHeight: number;
  readonly suspension: { readonly atHeight: number; readonly reason: string } | null;
}

export interface CertTypeRecord {
  readonly typeId: string;
  readonly version: number;
  readonly displayName: string;
  readonly schemaHash: Uint8Array;
  /** Sorted issuer ids allowed to anchor certificates of this type. */
  readonly issuers: readonly string[];
  readonly registeredAtHeight: number;
  readonly updatedAtHeight: number;
}

export interface AnchorRecord {
  readonly root: Uint8Array;
  readonly issuerId: string;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly leafCount: number;
  readonly signerKey: Uint8Array;
  readonly height: number;
  readonly txId: Uint8Array;
  /** Position in the anchor log, so a state proof can point at it. */
  readonly logIndex: number;
}

export interface RevocationRecord {
  readonly root: Uint8Array;
  readonly leaf: Uint8Array | null;
  readonly issuerId: string;
  readonly reason: string;
  readonly height: number;
  readonly txId: Uint8Array;
  readonly logIndex: number;
}

export interface PendingValidatorSet {
  readonly effectiveHeight: number;
  readonly validators: readonly ValidatorRecord[];
}

export interface LedgerParams {
  readonly maxTxBytes: number;
  readonly maxBlockTxs: number;
  readonly maxBlockBytes: number;
}

/**
 * The whole ledger state after `height` blocks. Immutable: the transition returns a new
 * State sharing unchanged parts (persistent maps), so keeping the previous one costs little.
 */
export interface State {
  readonly chainId: string;
  readonly params: LedgerParams;
  readonly height: number;
  readonly lastBlockHash: Uint8Array;
  readonly lastBlockTime: number;
  /** Sorted by public key: the set that signs block height + 1. */
  readonly validators: readonly ValidatorRecord[];
  readonly pendingValidatorSets: readonly PendingValidatorSet[];
  readonly issuers: ImmutableMap<string, IssuerRecord>;
  /** Every key an issuer ever used (hex) → issuer id, so no key serves two departments. */
  readonly issuerKeys: ImmutableMap<string, string>;
  /** `typeId@version` → record. */
  readonly certTypes: ImmutableMap<string, CertTypeRecord>;
  /** Sender key (hex) → next sequence number. */
  readonly nonces: ImmutableMap<string, number>;
  /** Batch root (hex) → anchor. */
  readonly anchors: ImmutableMap<string, AnchorRecord>;
  /** `rootHex:leafHex` or `rootHex:*` for a whole batch → revocation. */
  readonly revocations: ImmutableMap<string, RevocationRecord>;
  readonly anchorLog: CompactLogState;
  readonly revocationLog: CompactLogState;
}

export function certTypeKey(typeId: string, version: number): string {
  return `${typeId}@${version}`;
}

export const WHOLE_BATCH = '*';

export function revocationKey(rootHex: string, leafHex: string | null): string {
  return `${rootHex}:${leafHex ?? WHOLE_BATCH}`;
}
