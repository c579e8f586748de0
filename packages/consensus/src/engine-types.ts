import type { Signer } from '@certledger/crypto';
import type { Commit, VerifyFn } from './commit.js';
import type { ConsensusErrorCode } from './errors.js';
import type { Evidence } from './evidence.js';
import type { LockRecord } from './lock-record.js';
import type { SignRecord } from './sign-guard.js';

export interface TimeoutConfig {
  readonly proposeMs: number;
  readonly prevoteMs: number;
  readonly precommitMs: number;
  /** Added to every timeout per round, so that rounds eventually outlast any message delay. */
  readonly roundIncreaseMs: number;
  /** How often a node re-sends its own messages of the current round, to recover from loss. */
  readonly rebroadcastMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutConfig = {
  proposeMs: 1000,
  prevoteMs: 500,
  precommitMs: 500,
  roundIncreaseMs: 500,
  rebroadcastMs: 1000,
};

export interface EngineConfig {
  readonly chainId: string;
  /** The validator's key; null for a follower, which tracks and decides but never signs. */
  readonly signer: Signer | null;
  /** The id consensus agrees on for a block, or null when the bytes are not a block at all. */
  readonly hashBlock: (block: Uint8Array) => Uint8Array | null;
  readonly maxBlockBytes: number;
  readonly timeouts: TimeoutConfig;
  /** The last records this validator persisted, read back at start. */
  readonly signRecord?: SignRecord | null;
  readonly lockRecord?: LockRecord | null;
  readonly verify?: VerifyFn;
  /**
   * Drops Tendermint's locking rule. Never set in a node: it exists so tests can show that the
   * simulator finds the safety violation a broken engine causes.
   */
  readonly unsafeIgnoreLock?: boolean;
}

export type TimerKind = 'propose' | 'prevote' | 'precommit' | 'round' | 'rebroadcast';

export interface Timer {
  readonly kind: TimerKind;
  readonly height: number;
  readonly round: number;
}

export type EngineInput =
  /** `from` names the peer the bytes came from (any stable string); it is only echoed back. */
  | { readonly type: 'message'; readonly bytes: Uint8Array; readonly from: string }
  | { readonly type: 'timeout'; readonly timer: Timer }
  | { readonly type: 'validity'; readonly height: number; readonly blockHash: Uint8Array; readonly valid: boolean }
  | { readonly type: 'proposal-block'; readonly height: number; readonly round: number; readonly block: Uint8Array };

export type EngineOutput =
  | { readonly type: 'broadcast'; readonly message: Uint8Array }
  /** Both records must be durably stored before any later output of the same batch is acted on. */
  | { readonly type: 'persist-sign-record'; readonly record: SignRecord; readonly bytes: Uint8Array }
  | { readonly type: 'persist-lock-record'; readonly record: LockRecord; readonly bytes: Uint8Array }
  | { readonly type: 'schedule'; readonly timer: Timer; readonly delayMs: number }
  /** Answer with a 'validity' input. */
  | { readonly type: 'validate'; readonly height: number; readonly blockHash: Uint8Array; readonly block: Uint8Array }
  /** This node proposes: answer with a 'proposal-block' input. */
  | { readonly type: 'need-proposal'; readonly height: number; readonly round: number }
  /** The engine then waits for `startHeight(height + 1, ...)`. */
  | {
      readonly type: 'decided';
      readonly height: number;
      readonly round: number;
      readonly blockHash: Uint8Array;
      readonly block: Uint8Array;
      readonly commit: Commit;
      readonly commitBytes: Uint8Array;
    }
  | { readonly type: 'evidence'; readonly evidence: Evidence; readonly bytes: Uint8Array }
  /** A peer still works on a height this node has decided: send it that decision. */
  | { readonly type: 'peer-behind'; readonly peer: string; readonly height: number }
  /** A peer works on a later height than this node: it should sync blocks. */
  | { readonly type: 'peer-ahead'; readonly peer: string; readonly height: number }
  | { readonly type: 'rejected'; readonly from: string; readonly code: ConsensusErrorCode; readonly reason: string };

export type RoundStep = 'propose' | 'prevote' | 'precommit';

export interface EngineStatus {
  readonly height: number;
  readonly round: number;
  readonly step: RoundStep;
  /** False between a decision and the next `startHeight`. */
  readonly running: boolean;
  readonly lockedRound: number;
  readonly validRound: number;
}
