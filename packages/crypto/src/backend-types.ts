/**
 * What each Ed25519 implementation provides. Both see inputs that already passed the shared
 * checks (lengths, S < L, public key encoding), so the only verification logic they hold is
 * the equation itself, and that is what the equivalence tests pin down.
 */
export interface Ed25519Backend {
  readonly name: 'native' | 'noble';
  /** Precondition: `passesStrictPrechecks(signature, message, publicKey)` returned true. */
  verifyEquation(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** Precondition: `seed` is a Uint8Array of SEED_BYTES. */
  publicKeyFromSeed(seed: Uint8Array): Uint8Array;
  /** Precondition: `seed` is a Uint8Array of SEED_BYTES, `message` a Uint8Array. */
  signWithSeed(message: Uint8Array, seed: Uint8Array): Uint8Array;
  /** Prepares whatever per-key state the backend needs once, for a long-lived signer. */
  seedSigner(seed: Uint8Array): (message: Uint8Array) => Uint8Array;
}
