import { signerFromSeed, type Signer } from '@certledger/crypto';
import { ConsensusError } from './errors.js';
import { ValidatorSet } from './validator-set.js';

/** Deterministic validator keys for tests: validator i's seed is 32 bytes of i + 1. */
export function testSigners(count: number): Signer[] {
  return Array.from({ length: count }, (_, i) => signerFromSeed(new Uint8Array(32).fill(i + 1)));
}

export function testValidatorSet(signers: readonly Signer[], powers: readonly number[] = signers.map(() => 1)): ValidatorSet {
  return new ValidatorSet(signers.map((s, i) => ({ publicKey: s.publicKey, power: powers[i]! })));
}

/** The ConsensusError code an action throws, or undefined when it does not throw. */
export function errorCodeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ConsensusError) return error.code;
    throw error;
  }
  return undefined;
}
