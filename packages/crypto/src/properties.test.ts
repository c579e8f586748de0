import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backend as nobleBackend } from './backend-noble.js';
import { keyPairFromSeed, signReference, verify, verifyReference } from './index.js';
import { signNative, verifyNative } from './native.js';

const seedArbitrary = fc.uint8Array({ minLength: 32, maxLength: 32 });
const messageArbitrary = fc.uint8Array({ maxLength: 300 });

describe('sign/verify properties, native against reference', () => {
  it('signatures are identical, verify in both paths, and any altered byte fails in both', () => {
    fc.assert(
      fc.property(seedArbitrary, messageArbitrary, fc.nat(), fc.integer({ min: 1, max: 255 }), (seed, message, position, xor) => {
        const publicKey = keyPairFromSeed(seed).publicKey;
        expect(publicKey).toEqual(nobleBackend.publicKeyFromSeed(seed));
        const signature = signNative(message, seed);
        expect(signature).toEqual(signReference(message, seed));
        expect(verifyNative(signature, message, publicKey)).toBe(true);
        expect(verifyReference(signature, message, publicKey)).toBe(true);

        const altered = { signature: Uint8Array.from(signature), message: Uint8Array.from(message), publicKey: Uint8Array.from(publicKey) };
        const fields = (['signature', 'publicKey', 'message'] as const).filter((f) => altered[f].length > 0);
        const field = fields[position % fields.length]!;
        altered[field][position % altered[field].length]! ^= xor;
        expect(verifyNative(altered.signature, altered.message, altered.publicKey)).toBe(false);
        expect(verifyReference(altered.signature, altered.message, altered.publicKey)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('random signatures and keys of any length: both paths agree and never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), messageArbitrary, fc.uint8Array({ maxLength: 40 }), (signature, message, publicKey) => {
        const native = verifyNative(signature, message, publicKey);
        expect(verifyReference(signature, message, publicKey)).toBe(native);
        expect(verify(signature, message, publicKey)).toBe(native);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid signature under one key fails under every other key, in both paths', () => {
    fc.assert(
      fc.property(seedArbitrary, seedArbitrary, messageArbitrary, (seed, otherSeed, message) => {
        fc.pre(seed.some((byte, i) => byte !== otherSeed[i]));
        const signature = signNative(message, seed);
        const otherKey = keyPairFromSeed(otherSeed).publicKey;
        expect(verifyNative(signature, message, otherKey)).toBe(false);
        expect(verifyReference(signature, message, otherKey)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});
