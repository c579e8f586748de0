import { compareBytes, toHex } from '@certledger/codec';
import { PUBLIC_KEY_BYTES } from '@certledger/crypto';

export interface Validator {
  readonly publicKey: Uint8Array;
  readonly power: number;
}

/** Proposer schedules longer than this are computed on powers scaled down to fit. */
const MAX_SCHEDULE_LENGTH = 1 << 16;

/**
 * The validators of one height, sorted by key. Quorums are by voting power: a quorum is
 * more than two thirds of the total, a "weak quorum" more than one third (at least one
 * honest validator when fewer than a third are faulty).
 */
export class ValidatorSet {
  readonly validators: readonly Validator[];
  readonly totalPower: number;
  readonly quorum: number;
  readonly weakQuorum: number;
  readonly #powerByKey = new Map<string, number>();
  #schedule: readonly number[] | undefined;

  constructor(validators: readonly Validator[]) {
    if (validators.length === 0) throw new Error('a validator set needs at least one validator');
    const sorted = [...validators].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
    let total = 0;
    for (const v of sorted) {
      if (!(v.publicKey instanceof Uint8Array) || v.publicKey.length !== PUBLIC_KEY_BYTES) {
        throw new Error(`a validator key must be ${PUBLIC_KEY_BYTES} bytes`);
      }
      if (!Number.isSafeInteger(v.power) || v.power <= 0) throw new Error(`validator power must be a positive integer, got ${v.power}`);
      const key = toHex(v.publicKey);
      if (this.#powerByKey.has(key)) throw new Error(`validator ${key} is listed twice`);
      this.#powerByKey.set(key, v.power);
      total += v.power;
    }
    if (!Number.isSafeInteger(total * 2)) throw new Error('total voting power is too large');
    this.validators = sorted.map((v) => ({ publicKey: Uint8Array.from(v.publicKey), power: v.power }));
    this.totalPower = total;
    this.quorum = Math.floor((total * 2) / 3) + 1;
    this.weakQuorum = Math.floor(total / 3) + 1;
  }

  get size(): number {
    return this.validators.length;
  }

  /** Voting power of a key, 0 for a key outside the set. */
  powerOf(publicKey: Uint8Array): number {
    return this.#powerByKey.get(toHex(publicKey)) ?? 0;
  }

  has(publicKey: Uint8Array): boolean {
    return this.#powerByKey.has(toHex(publicKey));
  }

  /**
   * Who proposes in a round. Slots go round a fixed schedule in which each validator holds
   * slots in proportion to its power, spread out (smooth weighted round robin) so that a
   * silent validator costs few consecutive rounds.
   */
  proposer(height: number, round: number): Validator {
    const schedule = (this.#schedule ??= this.#buildSchedule());
    const slot = (height + round) % schedule.length;
    return this.validators[schedule[slot]!]!;
  }

  #buildSchedule(): number[] {
    const scale = this.totalPower > MAX_SCHEDULE_LENGTH ? MAX_SCHEDULE_LENGTH / this.totalPower : 1;
    const weights = this.validators.map((v) => Math.max(1, Math.floor(v.power * scale)));
    const length = weights.reduce((a, b) => a + b, 0);
    const credit = weights.map(() => 0);
    const schedule: number[] = [];
    for (let slot = 0; slot < length; slot++) {
      let best = 0;
      for (let i = 0; i < weights.length; i++) {
        credit[i]! += weights[i]!;
        if (credit[i]! > credit[best]!) best = i;
      }
      credit[best]! -= length;
      schedule.push(best);
    }
    return schedule;
  }
}
