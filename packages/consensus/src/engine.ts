import { bytesEqual, fromHex, toHex } from '@certledger/codec';
import { verify as verifySignature } from '@certledger/crypto';
import { decodeCommit, encodeCommit, type VerifyFn } from './commit.js';
import type { EngineConfig, EngineInput, EngineOutput, EngineStatus, RoundStep, Timer, TimerKind } from './engine-types.js';
import { ConsensusError } from './errors.js';
import { encodeEvidence } from './evidence.js';
import {
  decodeMessage,
  encodeMessage,
  signProposal,
  signVote,
  Step,
  type ConsensusMessage,
  type VoteType,
} from './messages.js';
import { HeightState } from './height-state.js';
import { NextHeightBuffer } from './next-height-buffer.js';
import { encodeLockRecord, type LockRecord } from './lock-record.js';
import { checkSignPosition, encodeSignRecord, recordSignature, type SignRecord } from './sign-guard.js';
import type { ValidatorSet } from './validator-set.js';

/** Messages more rounds ahead than this are dropped, bounding what a faulty peer can make us hold. */
export const ROUND_WINDOW = 100;
/**
 * A round that has not ended after this many times its usual length is left for the next. The
 * usual end needs a precommit from a quorum, and a validator that restarted may never re-send a
 * precommit it signed before a crash in an earlier round; leaving a round early never endangers
 * safety, which rests on locks alone.
 */
const ROUND_TIMEOUT_FACTOR = 4;

const stepNumber: Record<RoundStep, Step> = { propose: Step.propose, prevote: Step.prevote, precommit: Step.precommit };

/**
 * Tendermint consensus ("The latest gossip on BFT consensus", Buchman, Kwon, Milosevic 2018)
 * for one validator, as a pure state machine: `startHeight` and `handle` take inputs and
 * return the outputs the caller must carry out in order. It keeps no clock and does no I/O.
 */
export class ConsensusEngine {
  readonly #config: EngineConfig;
  readonly #verify: VerifyFn;
  #signRecord: SignRecord | null;
  #lockRecord: LockRecord | null;
  #height = 0;
  #running = false;
  #round = 0;
  #step: RoundStep = 'propose';
  #lockedRound = -1;
  #lockedHash: Uint8Array | null = null;
  #validRound = -1;
  #validHash: Uint8Array | null = null;
  #h: HeightState | undefined;
  readonly #buffered: NextHeightBuffer;
  #out: EngineOutput[] = [];

  constructor(config: EngineConfig) {
    this.#config = config;
    this.#verify = config.verify ?? verifySignature;
    this.#signRecord = config.signRecord ?? null;
    this.#lockRecord = config.lockRecord ?? null;
    this.#buffered = new NextHeightBuffer(config.maxBlockBytes);
  }

  get status(): EngineStatus {
    return {
      height: this.#height,
      round: this.#round,
      step: this.#step,
      running: this.#running,
      lockedRound: this.#lockedRound,
      validRound: this.#validRound,
    };
  }

  get signRecord(): SignRecord | null {
    return this.#signRecord;
  }

  /** Begins a height with its validator set; messages buffered for it are processed. */
  startHeight(height: number, validators: ValidatorSet): EngineOutput[] {
    if (this.#running && height <= this.#height) throw new Error(`already running height ${this.#height}`);
    this.#height = height;
    this.#h = new HeightState(height, validators, this.#config.chainId, this.#verify, this.#config.hashBlock);
    this.#running = true;
    this.#validRound = -1;
    this.#validHash = null;
    const record = this.#signRecord;
    const resume = record !== null && record.height === height;
    this.#lockedRound = resume ? record.lockedRound : -1;
    this.#lockedHash = resume ? record.lockedBlockHash : null;
    const replay = this.#buffered.take(height);
    this.#round = resume ? record.round : 0;
    if (resume) this.#restoreLockedBlock(record);
    this.#startRound(this.#round);
    if (resume) this.#resendSigned(record);
    this.#schedule('rebroadcast', 0, this.#config.timeouts.rebroadcastMs);
    for (const m of replay) this.#receive(m.bytes, m.from);
    this.#progress();
    return this.#flush();
  }

  /**
   * After a restart, takes back the locked block and its prevote quorum as this node's valid
   * block, so it can propose it again with its justification.
   */
  #restoreLockedBlock(record: SignRecord): void {
    const lock = this.#lockRecord;
    if (!lock || lock.height !== record.height || lock.round !== record.lockedRound || !record.lockedBlockHash) return;
    const hash = this.#config.hashBlock(lock.block);
    if (!hash || !bytesEqual(hash, record.lockedBlockHash)) return;
    this.#h!.blocks.set(toHex(hash), lock.block);
    for (const prevote of lock.prevotes) this.#receive(prevote, 'lock record');
    if (this.#h!.round(lock.round).prevotes.powerFor(hash) < this.#h!.validators.quorum) return;
    this.#validRound = lock.round;
    this.#validHash = hash;
  }

  /**
   * After a restart, signs again (to identical bytes) the votes the record says were sent in
   * the round resumed, since they may never have reached anyone.
   */
  #resendSigned(record: SignRecord): void {
    for (const type of ['prevote', 'precommit'] as const) {
      const blockHash = record.signed[type];
      if (blockHash === undefined) continue;
      this.#castVote(type, blockHash);
      this.#step = type;
    }
  }

  handle(input: EngineInput): EngineOutput[] {
    switch (input.type) {
      case 'message':
        this.#receive(input.bytes, input.from);
        break;
      case 'timeout':
        this.#onTimeout(input.timer);
        break;
      case 'validity':
        if (input.height === this.#height && this.#running) this.#h!.validity.set(toHex(input.blockHash), input.valid);
        break;
      case 'proposal-block':
        this.#onProposalBlock(input.height, input.round, input.block);
        break;
    }
    if (this.#running) this.#progress();
    return this.#flush();
  }

  #flush(): EngineOutput[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #reject(from: string, error: unknown): void {
    if (!(error instanceof ConsensusError)) throw error;
    this.#out.push({ type: 'rejected', from, code: error.code, reason: error.message });
  }

  #receive(bytes: Uint8Array, from: string): void {
    let message: ConsensusMessage;
    let height: number;
    try {
      message = decodeMessage(bytes, this.#config.chainId, this.#config.maxBlockBytes);
      height = message.kind === 'decision' ? decodeCommit(message.commit).height : message.height;
    } catch (error) {
      this.#reject(from, error);
      return;
    }
    if (height < this.#height) {
      if (message.kind !== 'decision') this.#out.push({ type: 'peer-behind', peer: from, height });
      return;
    }
    if (message.kind === 'status' || height > this.#height + 1) {
      if (height > this.#height) this.#out.push({ type: 'peer-ahead', peer: from, height });
      return;
    }
    if (height > this.#height || !this.#running) {
      this.#buffered.add({ height, bytes, from });
      return;
    }
    try {
      if (message.kind === 'decision') this.#h!.addDecision(message, from);
      else if (message.round <= this.#round + ROUND_WINDOW) {
        const evidence = message.kind === 'proposal' ? this.#h!.addProposal(message, bytes) : this.#h!.addVote(message, bytes);
        if (evidence) this.#out.push({ type: 'evidence', evidence, bytes: encodeEvidence(evidence) });
      }
    } catch (error) {
      this.#reject(from, error);
    }
  }

  #onProposalBlock(height: number, round: number, block: Uint8Array): void {
    if (!this.#running || height !== this.#height || round !== this.#round || this.#step !== 'propose') return;
    if (this.#h!.round(round).proposal || !this.#isProposer(round)) return;
    const hash = this.#config.hashBlock(block);
    if (!hash) throw new Error('the proposal block given to consensus has no block hash');
    this.#propose(block, hash, -1);
  }

  #isProposer(round: number): boolean {
    const signer = this.#config.signer;
    return signer !== null && bytesEqual(this.#h!.validators.proposer(this.#height, round).publicKey, signer.publicKey);
  }

  #onTimeout(timer: Timer): void {
    if (!this.#running || timer.height !== this.#height) return;
    if (timer.kind === 'rebroadcast') {
      this.#out.push({ type: 'broadcast', message: encodeMessage({ kind: 'status', height: this.#height, round: this.#round }) });
      for (const round of [this.#round - 1, this.#round]) {
        for (const message of this.#h!.rounds.get(round)?.own ?? []) this.#out.push({ type: 'broadcast', message });
      }
      this.#broadcastPolka();
      this.#schedule('rebroadcast', 0, this.#config.timeouts.rebroadcastMs);
      return;
    }
    if (timer.round !== this.#round) return;
    if (timer.kind === 'propose' && this.#step === 'propose') {
      this.#castVote('prevote', null);
      this.#step = 'prevote';
    } else if (timer.kind === 'prevote' && this.#step === 'prevote') {
      this.#castVote('precommit', null);
      this.#step = 'precommit';
    } else if (timer.kind === 'precommit' || timer.kind === 'round') {
      this.#startRound(this.#round + 1);
    }
  }

  #schedule(kind: TimerKind, round: number, delayMs: number): void {
    this.#out.push({ type: 'schedule', timer: { kind, height: this.#height, round }, delayMs });
  }

  #timeoutFor(base: number, round: number): number {
    return base + round * this.#config.timeouts.roundIncreaseMs;
  }

  #startRound(round: number): void {
    this.#round = round;
    this.#step = 'propose';
    this.#h!.round(round);
    if (this.#isProposer(round)) {
      const valid = this.#validHash && this.#h!.blocks.get(toHex(this.#validHash));
      // A restarted proposer may resume in the very round its valid block got its quorum; a
      // proposal cannot cite its own round, and re-proposing its own block needs no citation.
      if (valid && this.#validHash) this.#propose(valid, this.#validHash, this.#validRound < round ? this.#validRound : -1);
      else this.#out.push({ type: 'need-proposal', height: this.#height, round });
    }
    const { proposeMs, prevoteMs, precommitMs } = this.#config.timeouts;
    this.#schedule('propose', round, this.#timeoutFor(proposeMs, round));
    this.#schedule('round', round, ROUND_TIMEOUT_FACTOR * this.#timeoutFor(proposeMs + prevoteMs + precommitMs, round));
  }

  /**
   * Signs only what the sign-guard allows. A refused signature is simply not sent: the node
   * goes on as if it had voted, which is safe because it already signed at that position.
   */
  #sign(step: Step, blockHash: Uint8Array | null, make: () => ConsensusMessage): ConsensusMessage | undefined {
    const position = { height: this.#height, round: this.#round, step, blockHash };
    const decision = checkSignPosition(this.#signRecord, position);
    if (decision === 'refuse') return undefined;
    if (decision === 'sign') {
      const record = recordSignature(this.#signRecord, position, { round: this.#lockedRound, blockHash: this.#lockedHash });
      this.#signRecord = record;
      this.#out.push({ type: 'persist-sign-record', record, bytes: encodeSignRecord(record) });
    }
    const message = make();
    const wire = encodeMessage(message);
    this.#h!.round(this.#round).own.push(wire);
    this.#out.push({ type: 'broadcast', message: wire });
    return message;
  }

  /**
   * Re-sends the prevote quorum behind this node's valid block: others need it to accept that
   * block when it is proposed again, and to give up a lock on an older one.
   */
  #broadcastPolka(): void {
    if (this.#validRound < 0 || !this.#validHash) return;
    for (const { wire } of this.#h!.rounds.get(this.#validRound)!.prevotes.votesFor(this.#validHash)) this.#out.push({ type: 'broadcast', message: wire });
  }

  #propose(block: Uint8Array, blockHash: Uint8Array, polRound: number): void {
    const signer = this.#config.signer!;
    const fields = { height: this.#height, round: this.#round, polRound, blockHash, block };
    const proposal = this.#sign(Step.propose, blockHash, () => signProposal(signer, this.#config.chainId, fields));
    if (!proposal || proposal.kind !== 'proposal') return;
    if (polRound >= 0) this.#broadcastPolka();
    const state = this.#h!.round(this.#round);
    state.proposal = { proposal, wire: state.own[state.own.length - 1]! };
    this.#h!.blocks.set(toHex(blockHash), block);
    state.noteSender(signer.publicKey, this.#h!.validators.powerOf(signer.publicKey));
  }

  #castVote(type: VoteType, blockHash: Uint8Array | null): void {
    const signer = this.#config.signer;
    if (!signer || !this.#h!.validators.has(signer.publicKey)) return;
    const fields = { type, height: this.#height, round: this.#round, blockHash };
    const vote = this.#sign(stepNumber[type], blockHash, () => signVote(signer, this.#config.chainId, fields));
    if (!vote || vote.kind !== 'vote') return;
    const state = this.#h!.round(this.#round);
    const power = this.#h!.validators.powerOf(signer.publicKey);
    (type === 'prevote' ? state.prevotes : state.precommits).add(vote, state.own[state.own.length - 1]!, power);
    state.noteSender(signer.publicKey, power);
  }

  /** Whether a known block is valid; asks the application once and answers undefined meanwhile. */
  #isValid(blockHash: Uint8Array): boolean | undefined {
    const key = toHex(blockHash);
    const known = this.#h!.validity.get(key);
    if (known !== undefined) return known;
    const block = this.#h!.blocks.get(key);
    if (block && !this.#h!.validating.has(key)) {
      this.#h!.validating.add(key);
      this.#out.push({ type: 'validate', height: this.#height, blockHash, block });
    }
    return undefined;
  }

  /** Applies the protocol's rules until none fires; each rule returns whether the state moved. */
  #progress(): void {
    while (this.#running) {
      if (this.#tryDecide() || this.#trySkipRound() || this.#tryPrevote() || this.#tryLock() || this.#tryPrecommitNil()) continue;
      this.#scheduleStepTimers();
      return;
    }
  }

  #tryDecide(): boolean {
    const quorum = this.#h!.validators.quorum;
    for (const [round, state] of this.#h!.rounds) {
      for (const key of state.precommits.blocksWithPower(quorum)) {
        const blockHash = fromHex(key);
        const block = this.#h!.blocks.get(key);
        if (!block || this.#isValid(blockHash) !== true) continue;
        const signatures = state.precommits.votesFor(blockHash).map(({ vote }) => ({ validator: vote.validator, signature: vote.signature }));
        const commit = { height: this.#height, round, blockHash, signatures };
        this.#out.push({ type: 'decided', height: this.#height, round, blockHash, block, commit, commitBytes: encodeCommit(commit) });
        this.#running = false;
        this.#height += 1;
        return true;
      }
    }
    return false;
  }

  #trySkipRound(): boolean {
    let target = -1;
    for (const [round, state] of this.#h!.rounds) {
      if (round > this.#round && round > target && state.senderPower >= this.#h!.validators.weakQuorum) target = round;
    }
    if (target < 0) return false;
    this.#startRound(target);
    return true;
  }

  #tryPrevote(): boolean {
    if (this.#step !== 'propose') return false;
    const proposal = this.#h!.rounds.get(this.#round)?.proposal?.proposal;
    if (!proposal) return false;
    const { blockHash, polRound } = proposal;
    if (polRound >= 0 && (this.#h!.rounds.get(polRound)?.prevotes.powerFor(blockHash) ?? 0) < this.#h!.validators.quorum) return false;
    const valid = this.#isValid(blockHash);
    if (valid === undefined) return false;
    const lockAllows =
      this.#config.unsafeIgnoreLock === true ||
      this.#lockedRound <= polRound ||
      (this.#lockedHash !== null && bytesEqual(this.#lockedHash, blockHash));
    this.#castVote('prevote', valid && lockAllows ? blockHash : null);
    this.#step = 'prevote';
    return true;
  }

  #tryLock(): boolean {
    if (this.#step === 'propose') return false;
    const state = this.#h!.rounds.get(this.#round)!;
    const proposal = state.proposal?.proposal;
    if (state.lockRuleDone || !proposal || state.prevotes.powerFor(proposal.blockHash) < this.#h!.validators.quorum) return false;
    if (this.#isValid(proposal.blockHash) !== true) return false;
    state.lockRuleDone = true;
    if (this.#step === 'prevote') {
      this.#lockedRound = this.#round;
      this.#lockedHash = proposal.blockHash;
      this.#persistLock(proposal.block, state.prevotes.votesFor(proposal.blockHash).map((v) => v.wire));
      this.#castVote('precommit', proposal.blockHash);
      this.#step = 'precommit';
    }
    this.#validRound = this.#round;
    this.#validHash = proposal.blockHash;
    return true;
  }

  #persistLock(block: Uint8Array, prevotes: Uint8Array[]): void {
    if (!this.#config.signer) return;
    const record: LockRecord = { height: this.#height, round: this.#round, block, prevotes };
    this.#lockRecord = record;
    this.#out.push({ type: 'persist-lock-record', record, bytes: encodeLockRecord(record) });
  }

  #tryPrecommitNil(): boolean {
    if (this.#step !== 'prevote' || this.#h!.rounds.get(this.#round)!.prevotes.powerFor(null) < this.#h!.validators.quorum) return false;
    this.#castVote('precommit', null);
    this.#step = 'precommit';
    return true;
  }

  #scheduleStepTimers(): void {
    const state = this.#h!.rounds.get(this.#round)!;
    const { quorum } = this.#h!.validators;
    const { prevoteMs, precommitMs } = this.#config.timeouts;
    if (this.#step === 'prevote' && !state.prevoteTimerSet && state.prevotes.anyPower >= quorum) {
      state.prevoteTimerSet = true;
      this.#schedule('prevote', this.#round, this.#timeoutFor(prevoteMs, this.#round));
    }
    if (!state.precommitTimerSet && state.precommits.anyPower >= quorum) {
      state.precommitTimerSet = true;
      this.#schedule('precommit', this.#round, this.#timeoutFor(precommitMs, this.#round));
    }
  }
}
