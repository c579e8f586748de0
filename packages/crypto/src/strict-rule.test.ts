import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SMALL_ORDER_ENCODINGS } from './equivalence-corpus.js';
import { hasAcceptableKeyEncoding, hasAcceptableR, hasCanonicalScalar, passesStrictPrechecks } from './strict-rule.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;
const SIGN_BIT = 1n << 255n;

/** The key rule stated with point arithmetic: y < p, and not an encoding of a small-order point. */
function keyRuleModel(encoding: Uint8Array): boolean {
  const y = bytesToNumberLE(encoding) & (SIGN_BIT - 1n);
  if (y >= P) return false;
  try {
    return !Point.fromBytes(encoding, true).isSmallOrder();
  } catch {
    return true; // not a point: left to the backends, which both refuse it
  }
}

function encodingWith(y: bigint, signBit: boolean): Uint8Array {
  return numberToBytesLE(signBit ? y | SIGN_BIT : y, 32);
}

const interestingY = [0n, 1n, 2n, 3n, 18n, 19n, P - 2n, P - 1n, P, P + 1n, P + 18n, SIGN_BIT - 1n];
const y8 = bytesToNumberLE(Point.fromHex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05').toBytes());

describe('public key encoding check', () => {
  it('refuses every encoding of every small-order point', () => {
    for (const { label, bytes } of SMALL_ORDER_ENCODINGS) expect(hasAcceptableKeyEncoding(bytes), label).toBe(false);
  });

  it('matches the point-arithmetic statement of the rule at the edges', () => {
    for (const y of [...interestingY, y8, P - y8, y8 + 1n, P - y8 - 1n]) {
      for (const signBit of [false, true]) {
        const encoding = encodingWith(y, signBit);
        expect(hasAcceptableKeyEncoding(encoding), `y=${y} sign=${signBit}`).toBe(keyRuleModel(encoding));
      }
    }
  });

  it('matches the point-arithmetic statement of the rule on random bytes and real keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), (bytes, asRealKey) => {
        const encoding = asRealKey ? ed25519.getPublicKey(bytes) : bytes;
        expect(hasAcceptableKeyEncoding(encoding)).toBe(keyRuleModel(encoding));
        if (asRealKey) expect(hasAcceptableKeyEncoding(encoding)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses wrong lengths and non-byte input', () => {
    const key = ed25519.getPublicKey(new Uint8Array(32).fill(7));
    expect(hasAcceptableKeyEncoding(key)).toBe(true);
    expect(hasAcceptableKeyEncoding(key.subarray(0, 31))).toBe(false);
    expect(hasAcceptableKeyEncoding(new Uint8Array([...key, 0]))).toBe(false);
    expect(hasAcceptableKeyEncoding(Array.from(key) as unknown as Uint8Array)).toBe(false);
  });
});

describe('scalar check', () => {
  function signatureWithS(s: bigint): Uint8Array {
    const signature = new Uint8Array(64);
    signature.set(numberToBytesLE(s, 32), 32);
    return signature;
  }

  it('accepts exactly S < L at the edges', () => {
    const cases: [bigint, boolean][] = [
      [0n, true], [1n, true], [L - 1n, true], [L, false], [L + 1n, false], [2n * L, false],
      [1n << 252n, true], [(1n << 253n) - 1n, false], [(1n << 256n) - 1n, false],
    ];
    for (const [s, expected] of cases) expect(hasCanonicalScalar(signatureWithS(s)), `S=${s}`).toBe(expected);
  });

  it('agrees with bigint comparison on random 256-bit values and near L', () => {
    const nearL = fc.bigInt({ min: L - 1000n, max: L + 1000n });
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), nearL), (s) => {
        expect(hasCanonicalScalar(signatureWithS(s))).toBe(s < L);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('shared prechecks', () => {
  const seed = new Uint8Array(32).fill(3);
  const publicKey = ed25519.getPublicKey(seed);
  const message = new Uint8Array([1, 2, 3]);
  const signature = ed25519.sign(message, seed);

  it('let a well-formed triple through, Buffers included', () => {
    expect(passesStrictPrechecks(signature, message, publicKey)).toBe(true);
    expect(passesStrictPrechecks(Buffer.from(signature), Buffer.from(message), Buffer.from(publicKey))).toBe(true);
  });

  it('refuse anything that is not a Uint8Array of the right length', () => {
    const junk: unknown[] = [undefined, null, 'ab', 42, {}, [], Array.from(signature), new Uint16Array(32), signature.buffer];
    for (const value of junk) {
      expect(passesStrictPrechecks(value, message, publicKey)).toBe(false);
      expect(passesStrictPrechecks(signature, value, publicKey)).toBe(false);
      expect(passesStrictPrechecks(signature, message, value)).toBe(false);
    }
    expect(passesStrictPrechecks(signature.subarray(1), message, publicKey)).toBe(false);
  });

  // Non-canonical encodings of R are left to rule 5: they never equal an encoded point.
  it('refuse every canonical small-order point as R, and no R a signer makes', () => {
    for (const { label, bytes } of SMALL_ORDER_ENCODINGS.filter((e) => e.canonical)) {
      const withSmallOrderR = Uint8Array.from(signature);
      withSmallOrderR.set(bytes, 0);
      expect(hasAcceptableR(withSmallOrderR), label).toBe(false);
      expect(passesStrictPrechecks(withSmallOrderR, message, publicKey), label).toBe(false);
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 64 }), (signerSeed, signed) => {
        expect(hasAcceptableR(ed25519.sign(signed, signerSeed))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
