import { CompactMerkleLog, type CompactMerkleLogState } from '@certledger/merkle';

/** Append-only logs in the state (anchors, revocations) keep only their RFC 9162 frontier. */
export type CompactLogState = CompactMerkleLogState;

export const EMPTY_LOG: CompactLogState = new CompactMerkleLog().toState();

export function appendToLog(log: CompactLogState, leafHash: Uint8Array): CompactLogState {
  const next = CompactMerkleLog.fromState(log);
  next.append(leafHash);
  return next.toState();
}

export function logRoot(log: CompactLogState): Uint8Array {
  return CompactMerkleLog.fromState(log).root;
}
