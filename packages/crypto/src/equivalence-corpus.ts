/**
 * Test-only: a deterministic, adversarial set of (signature, message, public key) cases with
 * the verdict the strict rule must give, for checking that the native and reference paths
 * agree with the rule and with each other. Not exported from the package entry points.
 */
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toHex } from '@certledger/codec';

export type CaseGroup =
  | 'valid'
  | 'bit-flip'
  | 'scalar'
  | 'small-order-substitution'
  | 'small-order-key-forgery'
  | 'mixed-order-key'
  | 'torsion-r'
  | 'identity-r'
  | 'wrong-length'
  | 'degenerate-key';

export interface VerifyCase {
  group: CaseGroup;
  label: string;
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
  /** The verdict of the strict rule, worked out from how the case was built. */
  expected: boolean;
}

type Point = InstanceType<typeof ed25519.Point>;
const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const utf8 = new TextEncoder();

/** SHA-512 in counter mode: reproducible bytes without Math.random. */
export function deterministicBytes(label: string): (length: number) => Uint8Array {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let filled = 0; filled < length; filled += 64) {
      const block = sha512(utf8.encode(`${label}/${counter++}`));
      out.set(block.subarray(0, Math.min(64, length - filled)), filled);
    }
    return out;
  };
}

export const TORSION_POINTS: Point[] = ED25519_TORSION_SUBGROUP.map((hex) => Point.fromHex(hex));

/** Canonical encodings of the 8 small-order points, then every other encoding of them that fits in 32 bytes. */
export const SMALL_ORDER_ENCODINGS: { label: string; bytes: Uint8Array; canonical: boolean }[] = [
  ...ED25519_TORSION_SUBGROUP.map((hex) => ({ label: `small-order ${hex.slice(0, 8)}..${hex.slice(-2)}`, bytes: fromHex(hex), canonical: true })),
  ...[
    ['y=p (x>0)', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['y=p (x<0)', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
    ['y=p+1', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['y=p+1 sign set', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
    ['identity sign set', '0100000000000000000000000000000000000000000000000000000000000080'],
    ['order-2 sign set', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
  ].map(([label, hex]) => ({ label: `non-canonical ${label}`, bytes: fromHex(hex!), canonical: false })),
];

export function pointOrder(point: Point): number {
  for (const order of [1, 2, 4, 8]) if (point.multiplyUnsafe(BigInt(order)).is0()) return order;
  throw new Error('not a small-order point');
}

function scalarFrom(random: (length: number) => Uint8Array): bigint {
  return Point.Fn.create(bytesToNumberLE(random(64))) || 1n;
}

function challenge(encodedR: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  return Point.Fn.create(bytesToNumberLE(sha512(concatBytes(encodedR, publicKey, message))));
}

function signatureBytes(encodedR: Uint8Array, s: bigint): Uint8Array {
  return concatBytes(encodedR, numberToBytesLE(s, 32));
}

/** R || (r + k·a) for a key A whose discrete log (ignoring torsion) is `secretScalar`. */
function craftSignature(encodedR: Uint8Array, r: bigint, secretScalar: bigint, publicKey: Uint8Array, message: Uint8Array) {
  const k = challenge(encodedR, publicKey, message);
  return { signature: signatureBytes(encodedR, Point.Fn.add(r, Point.Fn.mul(k, secretScalar))), k };
}

function withBitFlipped(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

function validCases(random: (length: number) => Uint8Array, count: number): VerifyCase[] {
  const lengths = [0, 1, 12, 32, 64, 100, 257];
  return Array.from({ length: count }, (_, i) => {
    const seed = random(32);
    const message = random(lengths[i % lengths.length]!);
    const publicKey = ed25519.getPublicKey(seed);
    return { group: 'valid', label: `valid #${i}`, signature: ed25519.sign(message, seed), message, publicKey, expected: true };
  });
}

function bitFlipCases(base: VerifyCase): VerifyCase[] {
  const out: VerifyCase[] = [];
  for (const field of ['signature', 'publicKey', 'message'] as const) {
    for (let bit = 0; bit < base[field].length * 8; bit++) {
      out.push({ ...base, group: 'bit-flip', label: `${base.label} ${field} bit ${bit}`, [field]: withBitFlipped(base[field], bit), expected: false });
    }
  }
  return out;
}

function scalarCases(base: VerifyCase): VerifyCase[] {
  const encodedR = base.signature.subarray(0, 32);
  const s = bytesToNumberLE(base.signature.subarray(32));
  const variants: [string, Uint8Array][] = [
    ...[1n, 2n, 8n, 15n].map((m): [string, Uint8Array] => [`S+${m}L`, signatureBytes(encodedR, s + m * L)]),
    ...[0x20, 0x40, 0x80, 0xe0].map((bits): [string, Uint8Array] => {
      const signature = Uint8Array.from(base.signature);
      signature[63]! |= bits;
      return [`S top bits |0x${bits.toString(16)}`, signature];
    }),
    ['S=L', signatureBytes(encodedR, L)],
    ['S=L-1', signatureBytes(encodedR, L - 1n)],
    ['S=0', signatureBytes(encodedR, 0n)],
    ['S=2^256-1', concatBytes(encodedR, new Uint8Array(32).fill(0xff))],
  ];
  return variants.map(([label, signature]) => ({ ...base, group: 'scalar', label: `${base.label} ${label}`, signature, expected: false }));
}

function smallOrderSubstitutionCases(base: VerifyCase): VerifyCase[] {
  return SMALL_ORDER_ENCODINGS.flatMap(({ label, bytes }) => [
    { ...base, group: 'small-order-substitution', label: `${base.label} R := ${label}`, signature: concatBytes(bytes, base.signature.subarray(32)), expected: false },
    { ...base, group: 'small-order-substitution', label: `${base.label} A := ${label}`, publicKey: bytes, expected: false },
  ]);
}

/**
 * S = 0 and R = -[k]A for a small-order A: the equation holds, so only the key check stands
 * between these and acceptance (OpenSSL alone accepts them). Every encoding of every small-order
 * point, non-canonical ones included, as A.
 */
function smallOrderKeyForgeries(): VerifyCase[] {
  const out: VerifyCase[] = [];
  for (const { label, bytes } of SMALL_ORDER_ENCODINGS) {
    let point: Point;
    try {
      point = Point.fromBytes(bytes, true);
    } catch {
      continue;
    }
    for (const torsion of TORSION_POINTS) {
      const encodedR = torsion.toBytes();
      for (let attempt = 0; attempt < 64; attempt++) {
        const message = utf8.encode(`small-order forgery ${attempt}`);
        const k = challenge(encodedR, bytes, message);
        if (!point.multiplyUnsafe(k).negate().equals(torsion)) continue;
        out.push({ group: 'small-order-key-forgery', label: `A=${label} R=${toHex(encodedR).slice(0, 8)}..${toHex(encodedR).slice(-2)} S=0`, signature: signatureBytes(encodedR, 0n), message, publicKey: bytes, expected: false });
        break;
      }
    }
  }
  return out;
}

/**
 * A = [a]B + T for each torsion point T. With R = [r]B and S = r + k·a the cofactored equation
 * always holds, the strict one only when [k]T = O; both kinds are searched for. Then R = [r]B + T'
 * and R = T' (r = 0) chosen so that T' = -[k]T: the equation holds for both, and the strict rule
 * accepts the first and refuses the second (rule 6: R is not small-order).
 */
function mixedOrderCases(random: (length: number) => Uint8Array): VerifyCase[] {
  const out: VerifyCase[] = [];
  for (const torsion of TORSION_POINTS.filter((t) => !t.is0())) {
    const a = scalarFrom(random);
    const publicKey = Point.BASE.multiply(a).add(torsion).toBytes();
    const name = `A=[a]B+T(order ${pointOrder(torsion)})`;
    const found = { strict: 0, cofactoredOnly: 0 };
    for (let attempt = 0; attempt < 64 && (found.strict < 2 || found.cofactoredOnly < 2); attempt++) {
      const r = scalarFrom(random);
      const encodedR = Point.BASE.multiply(r).toBytes();
      const message = random(24);
      const { signature, k } = craftSignature(encodedR, r, a, publicKey, message);
      const strict = torsion.multiplyUnsafe(k).is0();
      if ((strict ? found.strict : found.cofactoredOnly) >= 2) continue;
      strict ? found.strict++ : found.cofactoredOnly++;
      out.push({ group: 'mixed-order-key', label: `${name} R=[r]B ${strict ? 'kT=O' : 'kT≠O'}`, signature, message, publicKey, expected: strict });
    }
    for (const [rLabel, r] of [['[r]B+T\'', scalarFrom(random)], ['T\'', 0n]] as const) {
      for (let attempt = 0; attempt < 256; attempt++) {
        const message = random(24);
        const addend = TORSION_POINTS[attempt % 8]!;
        const encodedR = (r === 0n ? addend : Point.BASE.multiply(r).add(addend)).toBytes();
        const { signature, k } = craftSignature(encodedR, r, a, publicKey, message);
        if (!torsion.multiplyUnsafe(k).negate().equals(addend)) continue;
        // The equation holds; a small-order R (r = 0) is refused by rule 6 all the same.
        out.push({ group: 'torsion-r', label: `${name} R=${rLabel} with T'=-kT`, signature, message, publicKey, expected: r !== 0n });
        break;
      }
    }
  }
  out.push(...nonCanonicalRForMixedKey(random));
  return out;
}

/** R given as a non-canonical encoding of the very point [S]B - [k]A: the point equation holds, the bytes do not. */
function nonCanonicalRForMixedKey(random: (length: number) => Uint8Array): VerifyCase[] {
  const out: VerifyCase[] = [];
  const orderFour = TORSION_POINTS.find((t) => pointOrder(t) === 4)!;
  const a = scalarFrom(random);
  const publicKey = Point.BASE.multiply(a).add(orderFour).toBytes();
  for (const { label, bytes } of SMALL_ORDER_ENCODINGS.filter((e) => !e.canonical)) {
    let target: Point;
    try {
      target = Point.fromBytes(bytes, true);
    } catch {
      continue;
    }
    for (let attempt = 0; attempt < 256; attempt++) {
      const message = random(24);
      const { signature, k } = craftSignature(bytes, 0n, a, publicKey, message);
      if (!orderFour.multiplyUnsafe(k).negate().equals(target)) continue;
      out.push({ group: 'torsion-r', label: `A=[a]B+T(order 4) R=${label}, equation true for the point`, signature, message, publicKey, expected: false });
      break;
    }
  }
  return out;
}

/**
 * A = [a]B, R = identity, S = k·a: [S]B - [k]A is the identity, so the equation holds for the
 * canonical encoding only; rule 6 refuses even that one (the identity is small-order).
 */
function identityRCases(random: (length: number) => Uint8Array): VerifyCase[] {
  const a = scalarFrom(random);
  const publicKey = Point.BASE.multiply(a).toBytes();
  const message = utf8.encode('identity R');
  const encodings = [
    { label: 'canonical identity', bytes: Point.ZERO.toBytes(), expected: false },
    ...SMALL_ORDER_ENCODINGS.filter((e) => !e.canonical && e.label.includes('p+1')).map((e) => ({ ...e, expected: false })),
    ...SMALL_ORDER_ENCODINGS.filter((e) => e.label.includes('identity sign set')).map((e) => ({ ...e, expected: false })),
  ];
  return encodings.map(({ label, bytes, expected }) => ({
    group: 'identity-r',
    label: `A=[a]B R=${label}`,
    signature: craftSignature(bytes, 0n, a, publicKey, message).signature,
    message,
    publicKey,
    expected,
  }));
}

function wrongLengthCases(base: VerifyCase): VerifyCase[] {
  const cases: [string, Partial<VerifyCase>][] = [
    ['signature 63 bytes', { signature: base.signature.subarray(0, 63) }],
    ['signature 65 bytes', { signature: concatBytes(base.signature, new Uint8Array(1)) }],
    ['signature empty', { signature: new Uint8Array(0) }],
    ['signature 128 bytes', { signature: concatBytes(base.signature, base.signature) }],
    ['public key 31 bytes', { publicKey: base.publicKey.subarray(0, 31) }],
    ['public key 33 bytes', { publicKey: concatBytes(base.publicKey, new Uint8Array(1)) }],
    ['public key empty', { publicKey: new Uint8Array(0) }],
    ['public key 64 bytes', { publicKey: concatBytes(base.publicKey, base.publicKey) }],
  ];
  return cases.map(([label, change]) => ({ ...base, ...change, group: 'wrong-length', label: `${base.label} ${label}`, expected: false }));
}

/** All-zero / all-0xff keys and signatures, keys with y >= p, and y values with no point. */
function degenerateKeyCases(base: VerifyCase): VerifyCase[] {
  const zero = new Uint8Array(32);
  const ones = new Uint8Array(32).fill(0xff);
  const out: VerifyCase[] = [];
  for (const [keyLabel, publicKey] of [['all-zero key', zero], ['all-0xff key', ones]] as const) {
    for (const [sigLabel, signature] of [['valid-for-other-key sig', base.signature], ['all-zero sig', new Uint8Array(64)], ['all-0xff sig', new Uint8Array(64).fill(0xff)]] as const) {
      out.push({ ...base, group: 'degenerate-key', label: `${keyLabel} ${sigLabel}`, publicKey, signature, expected: false });
    }
  }
  for (let low = 0xef; low <= 0xff; low++) {
    for (const top of [0x7f, 0xff]) {
      const publicKey = Uint8Array.from(ones);
      publicKey[0] = low;
      publicKey[31] = top;
      out.push({ ...base, group: 'degenerate-key', label: `y=p+${low - 0xed} top=${top.toString(16)}`, publicKey, expected: false });
    }
  }
  for (let y = 2; out.length < 60; y++) {
    const publicKey = numberToBytesLE(BigInt(y), 32);
    try {
      Point.fromBytes(publicKey);
    } catch {
      out.push({ ...base, group: 'degenerate-key', label: `y=${y} is not on the curve`, publicKey, expected: false });
    }
  }
  return out;
}

export function buildAdversarialCorpus(): VerifyCase[] {
  const random = deterministicBytes('certledger/crypto equivalence corpus');
  const valid = validCases(random, 120);
  const [first, second, third] = [valid[2]!, valid[9]!, valid[3]!];
  return [
    ...valid,
    ...[first, second, third].flatMap(bitFlipCases),
    ...valid.slice(0, 6).flatMap(scalarCases),
    ...[first, second].flatMap(smallOrderSubstitutionCases),
    ...smallOrderKeyForgeries(),
    ...mixedOrderCases(random),
    ...identityRCases(random),
    ...wrongLengthCases(first),
    ...degenerateKeyCases(first),
  ];
}
