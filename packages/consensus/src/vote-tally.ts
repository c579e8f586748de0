import { bytesEqual, toHex } from '@certledger/codec';
import type { Vote } from './messages.js';

const NIL = 'nil';
/**
 * A validator voting for several blocks in one round is faulty; its votes still count for each
 * block (as the protocol's proofs assume). Votes for blocks this node has not seen proposed
 * count only up to this many per validator, so it cannot fill our memory; votes for nil and
 * for known blocks always count, so it cannot crowd out the vote a quorum needs either.
 */
const MAX_UNKNOWN_VALUES_PER_VALIDATOR = 3;

function valueKey(blockHash: Uint8Array | null): string {
  return blockHash === null ? NIL : toHex(blockHash);
}

export interface TalliedVote {
  readonly vote: Vote;
  readonly wire: Uint8Array;
}

export type AddVoteResult =
  | { outcome: 'added' }
  | { outcome: 'duplicate' }
  /** Counted, but the validator had voted for another block: `existing` is evidence. */
  | { outcome: 'conflict'; existing: TalliedVote };

/** Votes of one type in one round; each validator's power counts once per block it voted for. */
export class VoteTally {
  readonly #byValidator = new Map<string, Map<string, TalliedVote>>();
  readonly #byValue = new Map<string, { power: number; votes: TalliedVote[] }>();
  #anyPower = 0;

  /** Whether this exact vote was already counted, so a repeat needs no signature check. */
  has(vote: Vote): boolean {
    const existing = this.#byValidator.get(toHex(vote.validator))?.get(valueKey(vote.blockHash));
    return existing !== undefined && bytesEqual(existing.vote.body, vote.body) && bytesEqual(existing.vote.signature, vote.signature);
  }

  /** Counts a vote whose signature and power the caller has checked; `knownBlock` lifts the bound on values. */
  add(vote: Vote, wire: Uint8Array, power: number, knownBlock = false): AddVoteResult {
    const signer = toHex(vote.validator);
    const key = valueKey(vote.blockHash);
    let values = this.#byValidator.get(signer);
    if (values?.has(key)) return { outcome: 'duplicate' };
    const first = values?.values().next().value;
    if (values && !knownBlock && key !== NIL && values.size >= MAX_UNKNOWN_VALUES_PER_VALIDATOR) return { outcome: 'conflict', existing: first! };
    if (!values) {
      values = new Map();
      this.#byValidator.set(signer, values);
      this.#anyPower += power;
    }
    const tallied = { vote, wire };
    values.set(key, tallied);
    const forValue = this.#byValue.get(key) ?? { power: 0, votes: [] };
    forValue.power += power;
    forValue.votes.push(tallied);
    this.#byValue.set(key, forValue);
    return first ? { outcome: 'conflict', existing: first } : { outcome: 'added' };
  }

  powerFor(blockHash: Uint8Array | null): number {
    return this.#byValue.get(valueKey(blockHash))?.power ?? 0;
  }

  /** Power of the validators that voted at all, each counted once. */
  get anyPower(): number {
    return this.#anyPower;
  }

  /** Hex hashes of blocks (not nil) that have at least `power` behind them. */
  blocksWithPower(power: number): string[] {
    const found: string[] = [];
    for (const [key, value] of this.#byValue) if (key !== NIL && value.power >= power) found.push(key);
    return found;
  }

  votesFor(blockHash: Uint8Array | null): readonly TalliedVote[] {
    return this.#byValue.get(valueKey(blockHash))?.votes ?? [];
  }
}
