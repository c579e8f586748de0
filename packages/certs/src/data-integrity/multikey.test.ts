import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '@certledger/crypto';
import { CertificateError } from '../errors.js';
import {
  decodeMultikey,
  didKeyFromPublicKey,
  publicKeyFromDidKey,
  publicKeyFromMultibase,
  publicKeyMultibase,
} from './multikey.js';
import { ED25519_SECRET_KEY_HEADER, keyPair } from './spec-vectors.js';

const specSeed = decodeMultikey(keyPair.secretKeyMultibase, ED25519_SECRET_KEY_HEADER, 32, 'secretKeyMultibase');
const specPublicKey = keyPairFromSeed(specSeed).publicKey;
const specDid = `did:key:${keyPair.publicKeyMultibase}`;

describe('Multikey and did:key with the spec key pair (vc-di-eddsa Example 29)', () => {
  it('the secret key multibase holds the seed of the public key multibase', () => {
    expect(publicKeyFromMultibase(keyPair.publicKeyMultibase)).toEqual(specPublicKey);
    expect(publicKeyMultibase(specPublicKey)).toBe(keyPair.publicKeyMultibase);
  });

  it('did:key and its verification method name the key', () => {
    expect(didKeyFromPublicKey(specPublicKey)).toBe(specDid);
    expect(publicKeyFromDidKey(specDid)).toEqual(specPublicKey);
    expect(publicKeyFromDidKey(`${specDid}#${keyPair.publicKeyMultibase}`)).toEqual(specPublicKey);
  });

  it.each([
    ['another DID method', 'did:web:vc.example', /not a did:key identifier/],
    ['a bare Multikey', keyPair.publicKeyMultibase, /not a did:key identifier/],
    ['a fragment naming another key', `${specDid}#z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E`, /does not repeat its key/],
    ['a named fragment', `${specDid}#key-1`, /does not repeat its key/],
    ['a path', `${specDid}/path`, /not valid base58btc/],
    ['no multibase prefix', `did:key:${keyPair.publicKeyMultibase.slice(1)}`, /must start with "z"/],
    ['an empty key', 'did:key:z', /multicodec header 0xed01/],
    ['a P-256 key', 'did:key:zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76', /multicodec header 0xed01/],
    ['a secret key', `did:key:${keyPair.secretKeyMultibase}`, /multicodec header 0xed01/],
    ['a truncated key', specDid.slice(0, -1), /multicodec header 0xed01/],
  ])('publicKeyFromDidKey refuses %s', (_, input, message) => {
    expect(() => publicKeyFromDidKey(input)).toThrow(CertificateError);
    expect(() => publicKeyFromDidKey(input)).toThrow(message);
  });

  it('refuses a non-string identifier and a public key of the wrong length', () => {
    expect(() => publicKeyFromDidKey(42 as unknown as string)).toThrow(/is a string, got number/);
    expect(() => didKeyFromPublicKey(new Uint8Array(31))).toThrow(/32-byte Uint8Array, got 31 bytes/);
    expect(() => publicKeyMultibase('key' as unknown as Uint8Array)).toThrow(/got string/);
  });

  it('round-trips every 32-byte key through did:key and publicKeyMultibase', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (publicKey) => {
        const did = didKeyFromPublicKey(publicKey);
        expect(did.startsWith('did:key:z6Mk')).toBe(true);
        expect(publicKeyFromDidKey(did)).toEqual(publicKey);
        expect(publicKeyFromMultibase(publicKeyMultibase(publicKey))).toEqual(publicKey);
      }),
    );
  });
});
