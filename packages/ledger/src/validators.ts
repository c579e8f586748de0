import { reject } from './errors.js';
import type { ValidatorRecord } from './state.js';

export const MAX_VALIDATORS = 150;
export const MAX_TOTAL_POWER = 2 ** 50;

/** A set consensus can run on: not empty, bounded, total power far from overflow. */
export function checkValidatorSet(validators: readonly ValidatorRecord[]): void {
  if (validators.length === 0) reject('VALIDATOR_SET_INVALID', 'the validator set would be empty');
  if (validators.length > MAX_VALIDATORS) reject('VALIDATOR_SET_INVALID', `the validator set would exceed ${MAX_VALIDATORS} validators`);
  const total = validators.reduce((sum, v) => sum + v.power, 0);
  if (total > MAX_TOTAL_POWER) reject('VALIDATOR_SET_INVALID', `total voting power ${total} would exceed ${MAX_TOTAL_POWER}`);
}
