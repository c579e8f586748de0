import { toHex } from '@certledger/codec';
import { certTypeKey, revocationKey, type State } from '@certledger/ledger';

export interface AnchorStatus {
  readonly issuerId: string;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly height: number;
  readonly txId: Uint8Array;
  /** Hash of the block at `height`, when the view knows it. */
  readonly blockHash?: Uint8Array;
}

export interface IssuerKeyStatus {
  readonly publicKey: Uint8Array;
  readonly addedAtHeight: number;
  readonly retiredAtHeight: number | null;
  readonly compromisedFromHeight: number | null;
}

export interface IssuerStatus {
  readonly issuerId: string;
  readonly displayName: string;
  readonly keys: readonly IssuerKeyStatus[];
  readonly suspended: { readonly atHeight: number; readonly reason: string } | null;
}

export interface RevocationStatus {
  readonly reason: string;
  readonly height: number;
  /** True when the whole batch was revoked rather than this one certificate. */
  readonly wholeBatch: boolean;
}

/**
 * What verification asks of the ledger: a node's state in process, a gateway over HTTP, or
 * anything else that answers from committed blocks. No third party is ever asked.
 */
export interface LedgerView {
  readonly chainId: string;
  anchor(root: Uint8Array): Promise<AnchorStatus | null>;
  issuer(issuerId: string): Promise<IssuerStatus | null>;
  certTypeName(typeId: string, version: number): Promise<string | null>;
  revocation(root: Uint8Array, leaf: Uint8Array): Promise<RevocationStatus | null>;
}

/** A view of a committed ledger state held in this process (a node, a test). */
export function ledgerViewFromState(getState: () => State, blockHashAt?: (height: number) => Uint8Array | undefined): LedgerView {
  return {
    get chainId() {
      return getState().chainId;
    },
    async anchor(root) {
      const record = getState().anchors.get(toHex(root));
      if (!record) return null;
      const blockHash = blockHashAt?.(record.height);
      return { issuerId: record.issuerId, typeId: record.typeId, typeVersion: record.typeVersion, height: record.height, txId: record.txId, ...(blockHash ? { blockHash } : {}) };
    },
    async issuer(issuerId) {
      const record = getState().issuers.get(issuerId);
      return record ? { issuerId, displayName: record.displayName, keys: record.keys, suspended: record.suspension } : null;
    },
    async certTypeName(typeId, version) {
      return getState().certTypes.get(certTypeKey(typeId, version))?.displayName ?? null;
    },
    async revocation(root, leaf) {
      const revocations = getState().revocations;
      const rootHex = toHex(root);
      const batch = revocations.get(revocationKey(rootHex, null));
      if (batch) return { reason: batch.reason, height: batch.height, wholeBatch: true };
      const single = revocations.get(revocationKey(rootHex, toHex(leaf)));
      return single ? { reason: single.reason, height: single.height, wholeBatch: false } : null;
    },
  };
}
