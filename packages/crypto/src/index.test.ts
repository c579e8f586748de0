import { inspect } from 'node:util';
import { fromHex, taggedHash, toHex } from '@certledger/codec';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { SMALL_ORDER_ENCODINGS, TORSION_POINTS } from './equivalence-corpus.js';
import {
  generateKeyPair,
  isValidPublicKey,
  keyId,
  keyPairFromSeed,
  PUBLIC_KEY_BYTES,
  SEED_BYTES,
  SIGNATURE_BYTES,
  sign,
  signerFromSeed,
  signReference,
  verify,
  verifyReference,
  verifyRemembered,
} from './index.js';

const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const seedHex = toHex(seed);
const message = new TextEncoder().encode('anchor root 42');

function printedForms(value: unknown): string[] {
  return [JSON.stringify(value) ?? '', inspect(value, { depth: 10 }), String(value), `${value as string}`];
}

describe('constants', () => {
  it('are the Ed25519 sizes', () => {
    expect([PUBLIC_KEY_BYTES, SIGNATURE_BYTES, SEED_BYTES]).toEqual([32, 64, 32]);
  });
});

describe('keyPairFromSeed', () => {
  it('derives the RFC 8032 public key and keeps a copy of the seed', () => {
    const input = Uint8Array.from(seed);
    const pair = keyPairFromSeed(input);
    input.fill(0);
    expect(toHex(pair.publicKey)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(toHex(pair.secretKey)).toBe(seedHex);
  });

  it('never shows the seed when the pair or the seed is serialised or printed', () => {
    const pair = keyPairFromSeed(seed);
    const decimalBytes = Array.from(seed).join(',');
    for (const printed of [...printedForms(pair), ...printedForms(pair.secretKey), ...printedForms({ nested: pair })]) {
      expect(printed).not.toContain(seedHex);
      expect(printed.replace(/\s/g, '')).not.toContain(decimalBytes);
    }
    expect(Object.keys(pair)).toEqual(['publicKey']);
    expect(JSON.stringify(pair.secretKey)).toBe('"[ed25519 secret key]"');
  });

  it('refuses a seed of the wrong type or length without echoing it', () => {
    expect(() => keyPairFromSeed(seed.subarray(0, 31))).toThrow(/seed must be 32 bytes, got 31/);
    expect(() => keyPairFromSeed(seedHex as unknown as Uint8Array)).toThrow(TypeError);
    try {
      keyPairFromSeed(new Uint8Array([...seed, 1]));
    } catch (error) {
      expect(printedForms(error).join()).not.toContain(seedHex);
    }
  });
});

describe('generateKeyPair', () => {
  it('uses the random source it is given', () => {
    const pair = generateKeyPair((length) => seed.subarray(0, length));
    expect(pair.publicKey).toEqual(keyPairFromSeed(seed).publicKey);
  });

  it('defaults to crypto.getRandomValues', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    expect(a.publicKey).not.toEqual(b.publicKey);
    expect(verify(sign(message, a.secretKey), message, a.publicKey)).toBe(true);
  });

  it('refuses a random source that returns the wrong thing', () => {
    expect(() => generateKeyPair(() => new Uint8Array(16))).toThrow(/random source output must be 32 bytes, got 16/);
    expect(() => generateKeyPair(() => [1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('sign and verify', () => {
  it('sign and signReference give the same deterministic signature', () => {
    expect(sign(message, seed)).toEqual(signReference(message, seed));
    expect(sign(message, seed)).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(sign(message, seed))).toBe(false);
  });

  it('sign validates its inputs', () => {
    expect(() => sign('text' as unknown as Uint8Array, seed)).toThrow(/message must be a Uint8Array, got string/);
    expect(() => sign(message, seed.subarray(0, 16))).toThrow(/secret key \(seed\) must be 32 bytes, got 16/);
    expect(() => signReference(message, undefined as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('verify returns false instead of throwing on any junk', () => {
    const good = { signature: sign(message, seed), message, publicKey: keyPairFromSeed(seed).publicKey };
    const junk: unknown[] = [undefined, null, 0, 'x', {}, [], new ArrayBuffer(64), new Float64Array(8), Symbol('s')];
    for (const value of junk) {
      for (const field of ['signature', 'message', 'publicKey'] as const) {
        const args = { ...good, [field]: value } as typeof good;
        expect(verify(args.signature, args.message, args.publicKey)).toBe(false);
        expect(verifyReference(args.signature, args.message, args.publicKey)).toBe(false);
      }
    }
    expect(verify(good.signature, good.message, good.publicKey)).toBe(true);
  });
});

describe('signerFromSeed', () => {
  it('signs like sign() and exposes only the public key', () => {
    const input = Uint8Array.from(seed);
    const signer = signerFromSeed(input);
    input.fill(9);
    expect(signer.publicKey).toEqual(keyPairFromSeed(seed).publicKey);
    expect(signer.sign(message)).toEqual(sign(message, seed));
    for (const printed of printedForms(signer)) expect(printed).not.toContain(seedHex);
  });

  it('cannot be changed through the public key it hands out', () => {
    const signer = signerFromSeed(seed);
    signer.publicKey.fill(0);
    expect(verify(signer.sign(message), message, signer.publicKey)).toBe(true);
  });

  it('validates the seed and each message', () => {
    expect(() => signerFromSeed(new Uint8Array(31))).toThrow(RangeError);
    expect(() => signerFromSeed(seed).sign(null as unknown as Uint8Array)).toThrow(/message must be a Uint8Array, got null/);
  });
});

describe('keyId', () => {
  it('is the hex of the first 20 bytes of the key-id tagged hash', () => {
    const publicKey = keyPairFromSeed(seed).publicKey;
    expect(keyId(publicKey)).toBe(toHex(taggedHash('key-id', publicKey)).slice(0, 40));
    expect(keyId(publicKey)).toMatch(/^[0-9a-f]{40}$/);
    expect(keyId(publicKey)).not.toBe(keyId(keyPairFromSeed(new Uint8Array(32)).publicKey));
  });

  it('refuses anything but a 32-byte key', () => {
    expect(() => keyId(new Uint8Array(33))).toThrow(/public key must be 32 bytes, got 33/);
  });
});

describe('isValidPublicKey', () => {
  it('accepts real keys, including keys with a torsion component, which the rule allows', () => {
    expect(isValidPublicKey(keyPairFromSeed(seed).publicKey)).toBe(true);
    const mixed = ed25519.Point.BASE.multiply(12345n).add(TORSION_POINTS[1]!).toBytes();
    expect(isValidPublicKey(mixed)).toBe(true);
  });

  it('refuses small-order points, non-canonical encodings, non-points and wrong lengths', () => {
    for (const { bytes } of SMALL_ORDER_ENCODINGS) expect(isValidPublicKey(bytes)).toBe(false);
    const notOnCurve = fromHex('0200000000000000000000000000000000000000000000000000000000000000');
    expect(() => ed25519.Point.fromBytes(notOnCurve)).toThrow();
    expect(isValidPublicKey(notOnCurve)).toBe(false);
    expect(isValidPublicKey(new Uint8Array(32).fill(0xff))).toBe(false);
    expect(isValidPublicKey(new Uint8Array(31))).toBe(false);
  });
});

describe('verifyRemembered', () => {
  it('answers exactly as verify, before and after remembering, for valid and altered signatures', () => {
    const pair = keyPairFromSeed(new Uint8Array(32).fill(9));
    const message = taggedHash('tx-signing', new Uint8Array([1, 2, 3]));
    const signature = sign(message, pair.secretKey);
    const altered = Uint8Array.from(signature, (b, i) => (i === 10 ? b ^ 1 : b));
    for (let pass = 0; pass < 2; pass++) {
      expect(verifyRemembered(signature, message, pair.publicKey)).toBe(true);
      expect(verifyRemembered(altered, message, pair.publicKey)).toBe(false);
      expect(verifyRemembered(signature, taggedHash('tx-signing', new Uint8Array([1])), pair.publicKey)).toBe(false);
      expect(verifyRemembered(signature, message, keyPairFromSeed(new Uint8Array(32).fill(8)).publicKey)).toBe(false);
    }
    const long = new Uint8Array(1000).fill(7);
    expect(verifyRemembered(sign(long, pair.secretKey), long, pair.publicKey)).toBe(true);
  });
});
