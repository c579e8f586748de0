import { toHex } from '@certledger/codec';
import type { Proposal } from './messages.js';
import { VoteTally } from './vote-tally.js';

/** What one node has seen and done in one round of the current height. */
export class RoundState {
  proposal: { readonly proposal: Proposal; readonly wire: Uint8Array } | undefined;
  readonly prevotes = new VoteTally();
  readonly precommits = new VoteTally();
  /** Rule "upon 2f+1 prevotes for the proposal" may fire once per round. */
  lockRuleDone = false;
  prevoteTimerSet = false;
  precommitTimerSet = false;
  /** This node's own signed messages of the round, for re-broadcast after losses. */
  readonly own: Uint8Array[] = [];
  readonly #senders = new Set<string>();
  #senderPower = 0;

  /** Records that a validator sent something valid in this round (for round skipping). */
  noteSender(validator: Uint8Array, power: number): void {
    const key = toHex(validator);
    if (this.#senders.has(key)) return;
    this.#senders.add(key);
    this.#senderPower += power;
  }

  get senderPower(): number {
    return this.#senderPower;
  }
}
