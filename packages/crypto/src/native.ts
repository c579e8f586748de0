/**
 * Node-only entry (`@certledger/crypto/native`): the OpenSSL path by name, whatever the
 * default resolution picked, for benchmarks and equivalence tests.
 */
import { backend } from './backend-native.js';
import { requireBytes, requireSeed } from './inputs.js';
import { passesStrictPrechecks } from './strict-rule.js';

export function verifyNative(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return passesStrictPrechecks(signature, message, publicKey) && backend.verifyEquation(signature, message, publicKey);
}

export function signNative(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return backend.signWithSeed(requireBytes(message, 'message'), requireSeed(secretKey));
}
