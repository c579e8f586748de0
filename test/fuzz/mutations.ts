import { CodecError, decode, encode, type Value } from '@certledger/codec';
import fc from 'fast-check';

/**
 * Bytes that make decoders take unusual branches: MessagePack type markers (nil, booleans,
 * bin/str/array/map of each width, ints of each width, floats, extensions) and boundaries.
 */
const INTERESTING_BYTES = [
  0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3,
  0xd4, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
];

const byteValue = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...INTERESTING_BYTES));

export type Edit =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set' | 'insert'; readonly at: number; readonly byte: number }
  | { readonly kind: 'delete' | 'truncate' | 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'length'; readonly at: number; readonly width: 1 | 2 | 4; readonly value: number };

const position = fc.nat({ max: 1 << 16 });
const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constantFrom('set' as const, 'insert' as const), at: position, byte: byteValue }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'truncate' as const, 'duplicate' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  // Overwrites a length-sized field with a boundary value: claimed lengths and counts are what decoders trust first.
  fc.record({
    kind: fc.constant('length' as const),
    at: position,
    width: fc.constantFrom(1 as const, 2 as const, 4 as const),
    value: fc.oneof(fc.constantFrom(0, 1, 0x7f, 0xff, 0xffff, 0xffff_ffff, 0x8000_0000), fc.nat()),
  }),
);

/** Applies edits in order; positions wrap around the current length so every edit lands. */
export function applyEdits(base: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let bytes = Uint8Array.from(base);
  for (const edit of edits) {
    const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
    switch (edit.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at] = (bytes[at] as number) ^ (1 << edit.bit);
        break;
      case 'set':
        if (bytes.length > 0) bytes[at] = edit.byte;
        break;
      case 'insert':
        bytes = Uint8Array.from([...bytes.subarray(0, at), edit.byte, ...bytes.subarray(at)]);
        break;
      case 'delete':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + edit.length)]);
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'duplicate':
        bytes = Uint8Array.from([...bytes.subarray(0, at + edit.length), ...bytes.subarray(at, at + edit.length), ...bytes.subarray(at + edit.length)]);
        break;
      case 'length':
        for (let i = 0; i < edit.width && at + i < bytes.length; i++) bytes[at + i] = (edit.value >>> (8 * (edit.width - 1 - i))) & 0xff;
        break;
    }
  }
  return bytes;
}

/** A few byte-level edits, for bytes known only when they are applied. */
export const byteEdits: fc.Arbitrary<Edit[]> = fc.array(editArbitrary, { minLength: 1, maxLength: 6 });

/** A few byte-level edits of one of `corpus`. */
export function mutatedBytes(corpus: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...corpus), byteEdits).map(([base, edits]) => applyEdits(base, edits));
}

/** Any value the codec can encode, small and shallow: what a peer could put in a field. */
export const codecValue: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger(), fc.constantFrom(0, 1, 2, 3, 31, 32, 63, 64, 65, 255, 256, 65535, 2 ** 32, 1_000_000, Number.MAX_SAFE_INTEGER)),
    fc.string({ maxLength: 40 }),
    fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(32, 64).chain((length) => fc.uint8Array({ minLength: length, maxLength: length }))),
    fc.array(tie('value'), { maxLength: 6 }),
    // The codec refuses the key "__proto__" by design; fast-check proposes it on purpose.
    fc.dictionary(fc.string({ maxLength: 8 }).filter((key) => key !== '__proto__'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

type Path = readonly number[];

/** Every place in a decoded value, descending into byte strings that hold an encoded value themselves. */
function placesIn(value: Value, path: Path, out: Path[], depth: number): void {
  out.push(path);
  if (depth > 3) return;
  if (Array.isArray(value)) value.forEach((item: Value, i: number) => placesIn(item, [...path, i], out, depth + 1));
  else if (value instanceof Uint8Array) {
    const inner = tryDecode(value);
    if (inner !== undefined && (Array.isArray(inner) || (typeof inner === 'object' && inner !== null && !(inner instanceof Uint8Array)))) {
      placesIn(inner, [...path, -1], out, depth + 1);
    }
  } else if (value !== null && typeof value === 'object') {
    Object.keys(value).forEach((key, i) => placesIn((value as Record<string, Value>)[key] as Value, [...path, i], out, depth + 1));
  }
}

function tryDecode(bytes: Uint8Array): Value | undefined {
  try {
    return decode(bytes);
  } catch (error) {
    if (error instanceof CodecError) return undefined;
    throw error;
  }
}

/** `value` with the place at `path` replaced; -1 steps into an encoded byte string and re-encodes it. */
function replaceAt(value: Value, path: Path, replacement: Value): Value {
  const [step, ...rest] = path;
  if (step === undefined) return replacement;
  if (step === -1) return encode(replaceAt(decode(value as Uint8Array), rest, replacement));
  if (Array.isArray(value)) return value.map((item: Value, i: number) => (i === step ? replaceAt(item, rest, replacement) : item));
  const entries = Object.entries(value as Record<string, Value>);
  return Object.fromEntries(entries.map(([key, item], i) => [key, i === step ? replaceAt(item, rest, replacement) : item]));
}

/**
 * One field of one of `corpus` (canonical encodings) replaced by any value, at any depth, even
 * inside a field that is itself an encoding: well-formed bytes with wrong content.
 */
export function mutatedStructure(corpus: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...corpus), fc.nat(), codecValue).map(([base, pick, replacement]) => restructure(base, pick, replacement));
}

/** `base` (a canonical encoding) with its place number `pick` (wrapping) replaced by `replacement`. */
export function restructure(base: Uint8Array, pick: number, replacement: Value): Uint8Array {
  const value = decode(base);
  const places: Path[] = [];
  placesIn(value, [], places, 0);
  return encode(replaceAt(value, places[pick % places.length] as Path, replacement));
}

/** Random bytes, byte edits and (for encoded values) structural edits of `corpus`, and the corpus itself. */
export function hostileBytes(corpus: readonly Uint8Array[], maxRandomBytes = 512): fc.Arbitrary<Uint8Array> {
  const encoded = corpus.filter((bytes) => tryDecode(bytes) !== undefined);
  return fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: maxRandomBytes }), weight: 2 },
    { arbitrary: codecValue.map((value) => encode(value)), weight: 2 },
    { arbitrary: mutatedBytes(corpus), weight: 4 },
    { arbitrary: encoded.length > 0 ? mutatedStructure(encoded) : mutatedBytes(corpus), weight: 4 },
    { arbitrary: fc.constantFrom(...corpus), weight: 1 },
  );
}

/** A JSON document with its place number `pick` (wrapping) replaced by `replacement`, or removed (never leaving a hole) when that is undefined. */
export function replaceInJson(root: unknown, pick: number, replacement: unknown): unknown {
  const places: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    places.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(root, []);
  const path = places[pick % places.length]!;
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement !== undefined) parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}
