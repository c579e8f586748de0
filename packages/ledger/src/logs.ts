import { CompactMerkleLog, appendedState, type CompactMerkleLogState } from '@certledger/merkle';

/** Append-only logs in the state (anchors, revocations) keep only their RFC 9162 frontier. */
export type CompactLogState = CompactMerkleLogState;

export const EMPTY_LOG: CompactLogState = new CompactMerkleLog().toState();

/** Ledger states are values nobody changes, so the new log shares the hashes it keeps with the old. */
export function appendToLog(log: CompactLogState, leafHash: Uint8Array): CompactLogState {
  return appendedState(log, leafHash);
}

export function logRoot(log: CompactLogState): Uint8Array {
  return CompactMerkleLog.fromState(log).root;
}
