import { toHex } from '@certledger/codec';
import { verifyCommit, type VerifyFn } from '../commit.js';
import { ConsensusError } from '../errors.js';
import { verifyEvidence } from '../evidence.js';
import type { ConsensusMessage } from '../messages.js';
import type { ValidatorSet } from '../validator-set.js';

export type ViolationKind =
  | 'agreement'
  | 'validity'
  | 'bad-commit'
  | 'double-sign'
  | 'bad-evidence'
  | 'honest-message-rejected'
  | 'liveness'
  | 'exception';

export interface Violation {
  readonly kind: ViolationKind;
  readonly atMs: number;
  readonly detail: string;
}

/**
 * The properties every run must keep, checked as the run goes: agreement, validity, commit
 * certificates, no honest double signing, evidence only against faulty validators.
 */
export class InvariantChecker {
  readonly violations: Violation[] = [];
  readonly #decided = new Map<number, string>();
  readonly #signedPositions = new Map<string, string>();

  constructor(
    private readonly chainId: string,
    private readonly verify: VerifyFn,
  ) {}

  #violation(kind: ViolationKind, atMs: number, detail: string): void {
    this.violations.push({ kind, atMs, detail });
  }

  onDecided(
    atMs: number,
    node: string,
    decision: { height: number; blockHash: Uint8Array; commitBytes: Uint8Array; valid: boolean },
    validators: ValidatorSet,
  ): void {
    const hash = toHex(decision.blockHash);
    const first = this.#decided.get(decision.height);
    if (first === undefined) this.#decided.set(decision.height, hash);
    else if (first !== hash) this.#violation('agreement', atMs, `${node} decided ${hash.slice(0, 12)} at height ${decision.height}, another node ${first.slice(0, 12)}`);
    if (!decision.valid) this.#violation('validity', atMs, `${node} decided an invalid block at height ${decision.height}`);
    try {
      verifyCommit(decision.commitBytes, { chainId: this.chainId, validators, height: decision.height, blockHash: decision.blockHash, verify: this.verify });
    } catch (error) {
      if (!(error instanceof ConsensusError)) throw error;
      this.#violation('bad-commit', atMs, `${node}'s commit for height ${decision.height}: ${error.message}`);
    }
  }

  /** Every message an honest validator signs goes through here before it is sent. */
  onHonestSigned(atMs: number, node: string, message: ConsensusMessage): void {
    if (message.kind !== 'vote' && message.kind !== 'proposal') return;
    const signer = toHex(message.kind === 'vote' ? message.validator : message.proposer);
    const step = message.kind === 'vote' ? message.type : 'proposal';
    const position = `${signer}/${message.height}/${message.round}/${step}`;
    const value = message.blockHash === null ? 'nil' : toHex(message.blockHash);
    const earlier = this.#signedPositions.get(position);
    if (earlier === undefined) this.#signedPositions.set(position, value);
    else if (earlier !== value) {
      this.#violation('double-sign', atMs, `${node} signed two ${step}s at height ${message.height} round ${message.round}`);
    }
  }

  onEvidence(atMs: number, node: string, bytes: Uint8Array, validators: ValidatorSet, faultyKeys: ReadonlySet<string>): void {
    try {
      const evidence = verifyEvidence(bytes, this.chainId, validators, this.verify);
      if (!faultyKeys.has(toHex(evidence.validator))) this.#violation('bad-evidence', atMs, `${node} holds evidence against an honest validator`);
    } catch (error) {
      if (!(error instanceof ConsensusError)) throw error;
      this.#violation('bad-evidence', atMs, `${node} produced evidence that does not verify: ${error.message}`);
    }
  }

  onHonestRejected(atMs: number, node: string, from: string, reason: string): void {
    this.#violation('honest-message-rejected', atMs, `${node} refused a message from honest ${from}: ${reason}`);
  }

  onException(atMs: number, error: unknown): void {
    this.#violation('exception', atMs, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }

  onStalled(atMs: number, node: string, detail: string): void {
    this.#violation('liveness', atMs, `${node} ${detail}`);
  }
}
