export { ValidatorSet, type Validator } from './validator-set.js';
export { ConsensusError, type ConsensusErrorCode } from './errors.js';
export {
  MAX_ROUND,
  Step,
  decodeMessage,
  encodeMessage,
  proposalBody,
  proposalDigest,
  signProposal,
  signVote,
  voteBody,
  voteDigest,
  type ConsensusMessage,
  type Decision,
  type Proposal,
  type Vote,
  type VoteType,
} from './messages.js';
export { decodeCommit, encodeCommit, verifyCommit, type Commit, type CommitExpectation, type CommitSignature, type VerifyFn } from './commit.js';
export { encodeEvidence, verifyEvidence, type Evidence } from './evidence.js';
export { checkSignPosition, decodeSignRecord, encodeSignRecord, type SignDecision, type SignRecord, type SignRecordStore } from './sign-guard.js';
export { ConsensusEngine, ROUND_WINDOW } from './engine.js';
export { decodeLockRecord, encodeLockRecord, type LockRecord } from './lock-record.js';
export {
  DEFAULT_TIMEOUTS,
  type EngineConfig,
  type EngineInput,
  type EngineOutput,
  type EngineStatus,
  type RoundStep,
  type Timer,
  type TimerKind,
  type TimeoutConfig,
} from './engine-types.js';
