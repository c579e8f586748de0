import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual } from '@certledger/codec';
import type { Ed25519Backend } from './backend-types.js';

const Point = ed25519.Point;
const R_BYTES = 32;

/**
 * The non-cofactored equation with R compared as bytes: encode([S]B - [k]A) == R. Written
 * with noble's point arithmetic instead of `ed25519.verify`, whose cofactored check
 * [8]([S]B - R - [k]A) == O accepts more signatures when A or R carries a torsion component.
 */
function verifyEquation(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    const publicPoint = Point.fromBytes(publicKey);
    const encodedR = signature.subarray(0, R_BYTES);
    const s = bytesToNumberLE(signature.subarray(R_BYTES));
    const challengeHash = sha512.create().update(encodedR).update(publicKey).update(message).digest();
    const k = Point.Fn.create(bytesToNumberLE(challengeHash));
    const candidateR = Point.BASE.multiplyUnsafe(s).subtract(publicPoint.multiplyUnsafe(k));
    return bytesEqual(candidateR.toBytes(), encodedR);
  } catch {
    // A key that is not a curve point; or S >= L, which the prechecks exclude before we get here.
    return false;
  }
}

export const backend: Ed25519Backend = {
  name: 'noble',
  verifyEquation,
  publicKeyFromSeed: (seed) => ed25519.getPublicKey(seed),
  signWithSeed: (message, seed) => ed25519.sign(message, seed),
  seedSigner(seed) {
    const ownSeed = Uint8Array.from(seed);
    return (message) => ed25519.sign(message, ownSeed);
  },
};
