import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import { describe, expect, it } from 'vitest';
import {
  ed25519KeyOfPeerId,
  ed25519PrivateKeyFromSeed,
  keyFromHex,
  keyHex,
  peerIdFromEd25519Key,
  publicKeyFromSeed,
} from './keys.js';

// RFC 8032, section 7.1, TEST 1.
const RFC8032_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

describe('node identity', () => {
  it('derives the RFC 8032 Ed25519 key pair from a 32-byte seed', async () => {
    const privateKey = await ed25519PrivateKeyFromSeed(keyFromHex(RFC8032_SECRET));
    expect(privateKey.type).toBe('Ed25519');
    expect(keyHex(privateKey.publicKey.raw)).toBe(RFC8032_PUBLIC);
    expect(keyHex(await publicKeyFromSeed(keyFromHex(RFC8032_SECRET)))).toBe(RFC8032_PUBLIC);
  });

  it('gives the same peer id for the same seed, and one that carries the key', async () => {
    const first = await ed25519PrivateKeyFromSeed(keyFromHex(RFC8032_SECRET));
    const again = await ed25519PrivateKeyFromSeed(keyFromHex(RFC8032_SECRET));
    const peerId = peerIdFromEd25519Key(first.publicKey.raw);
    expect(peerId.toString()).toBe(peerIdFromEd25519Key(again.publicKey.raw).toString());
    expect(peerId.toString()).toMatch(/^12D3KooW/);
    expect(keyHex(ed25519KeyOfPeerId(peerId)!)).toBe(RFC8032_PUBLIC);
  });

  it('is not what a bare 32-byte private key gives (libp2p reads that as secp256k1)', () => {
    expect(privateKeyFromRaw(keyFromHex(RFC8032_SECRET)).type).toBe('secp256k1');
  });

  it('rejects seeds and keys of the wrong size', async () => {
    await expect(ed25519PrivateKeyFromSeed(new Uint8Array(31))).rejects.toThrow(/seed must be a 32-byte Uint8Array/);
    await expect(ed25519PrivateKeyFromSeed(new Uint8Array(64))).rejects.toThrow(TypeError);
    expect(() => peerIdFromEd25519Key(new Uint8Array(33))).toThrow(/32-byte Ed25519 public key/);
  });
});
