import { ed25519 } from '@noble/curves/ed25519.js';
import { taggedHash, toHex } from '@certledger/codec';
import { backend as activeBackend } from '#ed25519-backend';
import { backend as referenceBackend } from './backend-noble.js';
import type { Ed25519Backend } from './backend-types.js';
import { requireBytes, requireSeed } from './inputs.js';
import { BoundedLru } from './lru.js';
import { makeKeyPair } from './secret.js';
import { hasAcceptableKeyEncoding, passesStrictPrechecks, PUBLIC_KEY_BYTES, SEED_BYTES } from './strict-rule.js';

export { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, SEED_BYTES } from './strict-rule.js';
export { BoundedLru } from './lru.js';

export type KeyPair = {
  publicKey: Uint8Array;
  /** The 32-byte RFC 8032 seed. Non-enumerable and redacted when printed; see README. */
  secretKey: Uint8Array;
};

export interface Signer {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** Which implementation `sign`/`verify` use here: OpenSSL through node:crypto, or @noble/curves. */
export const ed25519Backend: Ed25519Backend['name'] = activeBackend.name;

const KEY_ID_BYTES = 20;

function verifyWith(backend: Ed25519Backend, signature: unknown, message: unknown, publicKey: unknown): boolean {
  if (!passesStrictPrechecks(signature, message, publicKey)) return false;
  return backend.verifyEquation(signature as Uint8Array, message as Uint8Array, publicKey as Uint8Array);
}

function signWith(backend: Ed25519Backend, message: unknown, secretKey: unknown): Uint8Array {
  return backend.signWithSeed(requireBytes(message, 'message'), requireSeed(secretKey));
}

/** Strict RFC 8032 verification (see README for the exact rule). Never throws: bad input is `false`. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return verifyWith(activeBackend, signature, message, publicKey);
}

/** The same rule through @noble/curves in every environment. */
export function verifyReference(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return verifyWith(referenceBackend, signature, message, publicKey);
}

/** Deterministic RFC 8032 signature of `message` under the 32-byte seed `secretKey`. */
export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return signWith(activeBackend, message, secretKey);
}

export function signReference(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return signWith(referenceBackend, message, secretKey);
}

export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  requireSeed(seed, 'seed');
  return makeKeyPair(activeBackend.publicKeyFromSeed(seed), seed);
}

function defaultRandom(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export function generateKeyPair(random: (length: number) => Uint8Array = defaultRandom): KeyPair {
  return keyPairFromSeed(requireBytes(random(SEED_BYTES), 'random source output', SEED_BYTES));
}

/** A signer holding its own copy of the seed (in a closure, never on a property). */
export function signerFromSeed(seed: Uint8Array): Signer {
  requireSeed(seed, 'seed');
  const publicKey = activeBackend.publicKeyFromSeed(seed);
  const signMessage = activeBackend.seedSigner(Uint8Array.from(seed));
  return Object.freeze({
    get publicKey() {
      return Uint8Array.from(publicKey);
    },
    sign: (message: Uint8Array) => signMessage(requireBytes(message, 'message')),
  });
}

/** Hex of the first 20 bytes of taggedHash('key-id', publicKey): a short, stable name for a key. */
export function keyId(publicKey: Uint8Array): string {
  requireBytes(publicKey, 'public key', PUBLIC_KEY_BYTES);
  return toHex(taggedHash('key-id', publicKey).subarray(0, KEY_ID_BYTES));
}

/**
 * Whether a public key can ever verify a signature under the strict rule: canonical encoding,
 * a point on the curve, not of small order. For vetting keys before they are registered.
 */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (!hasAcceptableKeyEncoding(publicKey)) return false;
  try {
    ed25519.Point.fromBytes(publicKey);
    return true;
  } catch {
    return false;
  }
}

/** Signatures already found valid, so a transaction checked on arrival is not checked again in its block. */
const verifiedSignatures = new BoundedLru<string, true>(100_000);
/** Longer messages are verified every time: keys stay small (transactions sign 32-byte digests). */
const MAX_REMEMBERED_MESSAGE_BYTES = 256;

/** Decodes each byte to its own character (windows-1252 maps all 256 bytes to distinct characters). */
const bytesAsText = new TextDecoder('latin1');

/** The three inputs' bytes as one string, one character per byte: a map key, built without spreading arrays. */
function rememberKey(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): string {
  const joined = new Uint8Array(signature.length + publicKey.length + message.length);
  joined.set(signature, 0);
  joined.set(publicKey, signature.length);
  joined.set(message, signature.length + publicKey.length);
  return bytesAsText.decode(joined);
}

/**
 * {@link verify} with a bounded memory of valid signatures. The answer is the same as
 * `verify`'s (a pure function's result is only remembered, never guessed); only valid
 * signatures are remembered, so garbage cannot fill the memory.
 */
export function verifyRemembered(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!passesStrictPrechecks(signature, message, publicKey)) return false;
  if (message.length > MAX_REMEMBERED_MESSAGE_BYTES) return activeBackend.verifyEquation(signature, message, publicKey);
  const key = rememberKey(signature, message, publicKey);
  if (verifiedSignatures.get(key)) return true;
  const valid = activeBackend.verifyEquation(signature, message, publicKey);
  if (valid) verifiedSignatures.set(key, true);
  return valid;
}
