import { toHex } from '@certledger/codec';
import { decodeBlock, decodeTransaction, type Block, type Transaction } from '@certledger/ledger';
import type { LedgerStore } from '@certledger/store';

/**
 * Reading what this node itself stored: a block, or a transaction the node holds, that fails
 * to decode is an internal fault (a 500), never the client's.
 */
export async function committedBlock(store: LedgerStore, height: number): Promise<{ block: Block; commit: Uint8Array } | undefined> {
  const [bytes, commit] = await Promise.all([store.getBlock(height), store.getCommit(height)]);
  if (!bytes || !commit) return undefined;
  const decoded = decodeBlock(bytes, Number.MAX_SAFE_INTEGER);
  if (!decoded.ok) throw new Error(`stored block ${height} does not decode: ${decoded.error.message}`);
  return { block: decoded.value, commit };
}

export function heldTransaction(bytes: Uint8Array): Transaction {
  const decoded = decodeTransaction(bytes, Number.MAX_SAFE_INTEGER);
  if (!decoded.ok) throw new Error(`a transaction the node holds does not decode: ${decoded.error.message}`);
  return decoded.value;
}

export const txIdOf = (bytes: Uint8Array): string => toHex(heldTransaction(bytes).id);
