import { bytesEqual, toHex } from '@certledger/codec';
import { verifyCommit, type VerifyFn } from './commit.js';
import { ConsensusError } from './errors.js';
import { makeEvidence, type Evidence } from './evidence.js';
import { encodeMessage, proposalDigest, voteBody, voteDigest, type Decision, type Proposal, type Vote } from './messages.js';
import { RoundState } from './round-state.js';
import type { ValidatorSet } from './validator-set.js';

/**
 * Everything one node has accepted at one height: proposals, votes and blocks, each checked
 * before it is kept (member of the set, right proposer, valid signature, block matching its
 * hash). Equivocation found on the way is returned as evidence once per validator: one proof
 * is enough, and one that equivocates in every round must not cost a synced write each time.
 */
export class HeightState {
  readonly rounds = new Map<number, RoundState>();
  readonly blocks = new Map<string, Uint8Array>();
  readonly validity = new Map<string, boolean>();
  readonly validating = new Set<string>();
  readonly #evidenceSeen = new Set<string>();

  constructor(
    readonly height: number,
    readonly validators: ValidatorSet,
    private readonly chainId: string,
    private readonly verify: VerifyFn,
    private readonly hashBlock: (block: Uint8Array) => Uint8Array | null,
  ) {}

  round(round: number): RoundState {
    let state = this.rounds.get(round);
    if (!state) {
      state = new RoundState();
      this.rounds.set(round, state);
    }
    return state;
  }

  powerOf(validator: Uint8Array): number {
    const power = this.validators.powerOf(validator);
    if (power === 0) throw new ConsensusError('UNKNOWN_VALIDATOR', `${toHex(validator)} is not a validator at height ${this.height}`);
    return power;
  }

  addProposal(proposal: Proposal, wire: Uint8Array): Evidence | undefined {
    const expected = this.validators.proposer(this.height, proposal.round).publicKey;
    if (!bytesEqual(expected, proposal.proposer)) {
      throw new ConsensusError('NOT_PROPOSER', `${toHex(proposal.proposer)} is not the proposer of round ${proposal.round}`);
    }
    const state = this.round(proposal.round);
    const existing = state.proposal?.proposal;
    if (existing && bytesEqual(existing.body, proposal.body) && bytesEqual(existing.signature, proposal.signature)) return undefined;
    if (!this.verify(proposal.signature, proposalDigest(proposal.body), proposal.proposer)) {
      throw new ConsensusError('BAD_SIGNATURE', `proposal signature of ${toHex(proposal.proposer)} does not verify`);
    }
    if (existing) {
      return bytesEqual(existing.blockHash, proposal.blockHash) ? undefined : this.#evidence(withoutBlock(existing), withoutBlock(proposal), proposal);
    }
    const hash = this.hashBlock(proposal.block);
    if (!hash || !bytesEqual(hash, proposal.blockHash)) throw new ConsensusError('BAD_BLOCK_HASH', 'the proposed block does not hash to the signed block hash');
    state.proposal = { proposal, wire };
    this.blocks.set(toHex(hash), proposal.block);
    state.noteSender(proposal.proposer, this.powerOf(proposal.proposer));
    return undefined;
  }

  addVote(vote: Vote, wire: Uint8Array): Evidence | undefined {
    const power = this.powerOf(vote.validator);
    const state = this.round(vote.round);
    const tally = vote.type === 'prevote' ? state.prevotes : state.precommits;
    if (tally.has(vote)) return undefined;
    if (!this.verify(vote.signature, voteDigest(vote.body), vote.validator)) {
      throw new ConsensusError('BAD_SIGNATURE', `${vote.type} signature of ${toHex(vote.validator)} does not verify`);
    }
    const result = tally.add(vote, wire, power, vote.blockHash !== null && this.blocks.has(toHex(vote.blockHash)));
    if (result.outcome === 'duplicate') return undefined;
    state.noteSender(vote.validator, power);
    return result.outcome === 'conflict' ? this.#evidence(result.existing.wire, wire, vote) : undefined;
  }

  /** Takes a decided block and counts its commit certificate's precommits, after checking both. */
  addDecision(decision: Decision, from: string): void {
    // The commit first: it is small, and the block may be any amount of junk to decode.
    const commit = verifyCommit(decision.commit, { chainId: this.chainId, validators: this.validators, height: this.height, verify: this.verify });
    const hash = this.hashBlock(decision.block);
    if (!hash || !bytesEqual(hash, commit.blockHash)) throw new ConsensusError('BAD_BLOCK_HASH', `the decided block from ${from} is not the block its commit certifies`);
    this.blocks.set(toHex(hash), decision.block);
    const tally = this.round(commit.round).precommits;
    const body = voteBody(this.chainId, 'precommit', commit.height, commit.round, commit.blockHash);
    for (const { validator, signature } of commit.signatures) {
      const vote: Vote = { kind: 'vote', type: 'precommit', height: commit.height, round: commit.round, blockHash: commit.blockHash, validator, signature, body };
      if (!tally.has(vote)) tally.add(vote, encodeMessage(vote), this.validators.powerOf(validator));
    }
  }

  #evidence(first: Uint8Array, second: Uint8Array, message: Vote | Proposal): Evidence | undefined {
    const evidence = makeEvidence(first, second, message);
    const key = toHex(evidence.validator);
    if (this.#evidenceSeen.has(key)) return undefined;
    this.#evidenceSeen.add(key);
    return evidence;
  }
}

/** A proposal as evidence carries its signed body only, not the block. */
function withoutBlock(proposal: Proposal): Uint8Array {
  return encodeMessage({ ...proposal, block: new Uint8Array(0) });
}
