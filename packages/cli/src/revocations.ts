import type { Signer } from '@certledger/crypto';
import { DEFAULT_MAX_TX_BYTES, MAX_REVOCATIONS_PER_TX, prepareTransaction, signTransaction, txId, type RevocationEntry } from '@certledger/ledger';
import { toHex } from '@certledger/codec';

export interface RevokeTransaction {
  readonly bytes: Uint8Array;
  readonly id: string;
  readonly entries: readonly RevocationEntry[];
}

export interface RevokePlan {
  readonly chainId: string;
  readonly issuerId: string;
  readonly signer: Signer;
  /** The signer's next sequence number; each transaction takes the next. */
  readonly seq: number;
  readonly entries: readonly RevocationEntry[];
  /** Largest signed transaction the chain takes (its maxTxBytes). */
  readonly maxTxBytes?: number;
}

/**
 * Signed revoke transactions for all entries, in order: at most MAX_REVOCATIONS_PER_TX entries
 * each, and halved again while a transaction is larger than the chain takes.
 */
export function revokeTransactions(plan: RevokePlan): RevokeTransaction[] {
  const maxBytes = plan.maxTxBytes ?? DEFAULT_MAX_TX_BYTES;
  const out: RevokeTransaction[] = [];
  const sign = (entries: readonly RevocationEntry[]): void => {
    const unsigned = prepareTransaction({
      chainId: plan.chainId,
      sender: plan.signer.publicKey,
      seq: plan.seq + out.length,
      action: { kind: 'revoke', issuerId: plan.issuerId, revocations: entries },
    });
    const bytes = signTransaction(unsigned, plan.signer);
    if (bytes.length <= maxBytes) {
      out.push({ bytes, id: toHex(txId(unsigned.bodyBytes)), entries });
      return;
    }
    if (entries.length === 1) throw new Error(`one revocation makes a transaction of ${bytes.length} bytes, more than the ${maxBytes} the chain takes`);
    const half = Math.ceil(entries.length / 2);
    sign(entries.slice(0, half));
    sign(entries.slice(half));
  };
  for (let start = 0; start < plan.entries.length; start += MAX_REVOCATIONS_PER_TX) sign(plan.entries.slice(start, start + MAX_REVOCATIONS_PER_TX));
  return out;
}
