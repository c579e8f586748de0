import { fromHex } from '@certledger/codec';

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const SEED_BYTES = 32;

const POINT_BYTES = 32;

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const GROUP_ORDER_LE = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

/** The field prime p = 2^255 - 19, little-endian. */
const FIELD_PRIME_LE = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');

/**
 * The y coordinates (sign bit cleared) of the eight points of order dividing 8: 1 (identity),
 * p-1 (order 2), 0 (order 4) and ±y8 (order 8). A canonical encoding whose y is one of these
 * decodes to a small-order point or, for y = ±1 with the sign bit set, to no point at all
 * (x = 0 has no negative), so refusing these five values refuses both cases by bytes alone,
 * without decoding the point.
 */
const SMALL_ORDER_Y_VALUES = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
].map((hex) => fromHex(hex));

const SIGN_BIT_MASK = 0x7f;

/** Compares the 32 little-endian bytes at `offset` against `bound`; `topMask` drops high bits of the last byte. */
function isBelow(value: Uint8Array, offset: number, bound: Uint8Array, topMask: number): boolean {
  for (let i = POINT_BYTES - 1; i >= 0; i--) {
    const byte = i === POINT_BYTES - 1 ? value[offset + i]! & topMask : value[offset + i]!;
    const limit = bound[i]!;
    if (byte !== limit) return byte < limit;
  }
  return false;
}

function hasSmallOrderY(encoding: Uint8Array): boolean {
  return SMALL_ORDER_Y_VALUES.some((y) => {
    for (let i = 0; i < POINT_BYTES - 1; i++) if (encoding[i] !== y[i]) return false;
    return (encoding[POINT_BYTES - 1]! & SIGN_BIT_MASK) === y[POINT_BYTES - 1];
  });
}

/** S (the second half of the signature) is a canonical scalar: S < L. */
export function hasCanonicalScalar(signature: Uint8Array): boolean {
  return isBelow(signature, POINT_BYTES, GROUP_ORDER_LE, 0xff);
}

/**
 * The key-only part of the rule: 32 bytes, y < p, and not one of the small-order points (which
 * also covers the x = 0 / sign-bit-set encodings). Whether y is on the curve at all needs a
 * square root and is left to the backends; both refuse such keys.
 */
export function hasAcceptableKeyEncoding(publicKey: Uint8Array): boolean {
  return (
    publicKey instanceof Uint8Array &&
    publicKey.length === PUBLIC_KEY_BYTES &&
    isBelow(publicKey, 0, FIELD_PRIME_LE, SIGN_BIT_MASK) &&
    !hasSmallOrderY(publicKey)
  );
}

/**
 * R (the first half of the signature) is not a small-order point. No signer ever makes one
 * (R = [r]B for a secret r), and Node 24's native verify refuses them while Node 20's and 22's
 * accept them when the equation holds: a rule of our own keeps every node's verdict the same.
 * The same five y-values as for keys; a non-canonical R never matches the equation anyway.
 */
export function hasAcceptableR(signature: Uint8Array): boolean {
  return !hasSmallOrderY(signature);
}

/**
 * The shared front of verification, run identically before either backend's equation: input
 * types, exact lengths, S < L, R not small-order, and the public key checks. After it passes, a
 * backend only has to decide whether encode([S]B - [k]A) equals the 32 bytes of R.
 */
export function passesStrictPrechecks(signature: unknown, message: unknown, publicKey: unknown): boolean {
  return (
    signature instanceof Uint8Array &&
    message instanceof Uint8Array &&
    publicKey instanceof Uint8Array &&
    signature.length === SIGNATURE_BYTES &&
    hasCanonicalScalar(signature) &&
    hasAcceptableR(signature) &&
    hasAcceptableKeyEncoding(publicKey)
  );
}
