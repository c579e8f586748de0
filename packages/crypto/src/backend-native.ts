import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { Ed25519Backend } from './backend-types.js';
import { BoundedLru } from './lru.js';

/** DER headers that turn a raw 32-byte key into SPKI / PKCS#8 for OpenSSL (RFC 8410). */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Validators and issuers are few while verification is hot: building a KeyObject costs more than verifying. */
const PUBLIC_KEY_CACHE_SIZE = 1024;
const PRIVATE_KEY_CACHE_SIZE = 16;

const publicKeyObjects = new BoundedLru<string, KeyObject>(PUBLIC_KEY_CACHE_SIZE);
/** Keyed by a hash of the seed so the cache holds no extra copy of the secret as an unwipeable string. */
const privateKeyObjects = new BoundedLru<string, KeyObject>(PRIVATE_KEY_CACHE_SIZE);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const cacheKey = asBuffer(publicKey).toString('latin1');
  let keyObject = publicKeyObjects.get(cacheKey);
  if (!keyObject) {
    keyObject = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    publicKeyObjects.set(cacheKey, keyObject);
  }
  return keyObject;
}

function createPrivateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  const cacheKey = createHash('sha256').update(seed).digest('base64');
  let keyObject = privateKeyObjects.get(cacheKey);
  if (!keyObject) {
    keyObject = createPrivateKeyObject(seed);
    privateKeyObjects.set(cacheKey, keyObject);
  }
  return keyObject;
}

function signWith(keyObject: KeyObject, message: Uint8Array): Uint8Array {
  // A copy: the Buffer may be a view into a shared pool, and callers expect a plain Uint8Array.
  return Uint8Array.from(nodeSign(null, message, keyObject));
}

/**
 * OpenSSL's ossl_ed25519_verify checks S < L, decodes A, computes [S]B - [k]A and compares
 * its encoding with R byte for byte: exactly the equation of the strict rule. What it does not
 * check (non-canonical or small-order A) the shared prechecks refused before we get here.
 */
function verifyEquation(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return nodeVerify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

export const backend: Ed25519Backend = {
  name: 'native',
  verifyEquation,
  publicKeyFromSeed(seed) {
    const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
    return Uint8Array.from(spki.subarray(SPKI_ED25519_PREFIX.length));
  },
  signWithSeed: (message, seed) => signWith(privateKeyObject(seed), message),
  seedSigner(seed) {
    const keyObject = createPrivateKeyObject(seed);
    return (message) => signWith(keyObject, message);
  },
};
