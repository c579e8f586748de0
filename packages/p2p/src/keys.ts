import './polyfills.js';
import { Buffer } from 'node:buffer';
import { generateKeyPairFromSeed, publicKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface';

export const ED25519_KEY_BYTES = 32;

export function keyHex(publicKey: Uint8Array): string {
  return Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('hex');
}

export function keyFromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function assertEd25519PublicKey(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== ED25519_KEY_BYTES) {
    throw new TypeError(`${what} must be a ${ED25519_KEY_BYTES}-byte Ed25519 public key (Uint8Array)`);
  }
}

/**
 * A 32-byte buffer given to privateKeyFromRaw would be read as secp256k1, so the
 * seed goes through the Ed25519-specific derivation.
 */
export async function ed25519PrivateKeyFromSeed(seed: Uint8Array): Promise<Ed25519PrivateKey> {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_KEY_BYTES) {
    throw new TypeError(`seed must be a ${ED25519_KEY_BYTES}-byte Uint8Array`);
  }
  return generateKeyPairFromSeed('Ed25519', seed);
}

/** The raw 32-byte Ed25519 public key of the node whose identity is this seed. */
export async function publicKeyFromSeed(seed: Uint8Array): Promise<Uint8Array> {
  return Uint8Array.from((await ed25519PrivateKeyFromSeed(seed)).publicKey.raw);
}

export function peerIdFromEd25519Key(publicKey: Uint8Array): PeerId {
  assertEd25519PublicKey(publicKey, 'public key');
  const key = publicKeyFromRaw(publicKey);
  if (key.type !== 'Ed25519') throw new TypeError('public key is not an Ed25519 key');
  return peerIdFromPublicKey(key);
}

/** The raw Ed25519 key embedded in a peer id, or undefined for any other key type. */
export function ed25519KeyOfPeerId(peerId: PeerId): Uint8Array | undefined {
  if (peerId.type !== 'Ed25519') return undefined;
  return peerId.publicKey.raw;
}
