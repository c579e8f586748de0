import type { AnchorLocation } from '@certledger/certs';
import { leafHash, MerkleTree } from '@certledger/merkle';
import type { LedgerStore } from '@certledger/store';
import { committedBlock } from './block-reader.js';

export interface TransactionProof extends AnchorLocation {
  readonly tx: Uint8Array;
}

/**
 * Where a committed transaction sits, with what proves it offline: the block header, its
 * commit certificate and the transaction's RFC 9162 path to the header's txRoot (whose leaves
 * are the transactions' exact bytes). Undefined when this node has not committed it.
 */
export async function transactionProof(store: LedgerStore, txIdHex: string): Promise<TransactionProof | undefined> {
  const stored = await store.getTx(txIdHex);
  const found = stored && (await committedBlock(store, stored.height));
  if (!stored || !found) return undefined;
  const { block, commit } = found;
  const tree = new MerkleTree(block.txs.map((tx) => leafHash(tx)));
  return {
    height: stored.height,
    blockHash: block.hash,
    header: block.headerBytes,
    commit,
    txIndex: stored.index,
    txCount: block.header.txCount,
    txInclusionPath: tree.inclusionProof(stored.index),
    tx: stored.bytes,
  };
}
