import fc from 'fast-check';
import { encode } from './encoding.js';
import { compareKeys } from './key-order.js';
import type { Value } from './value.js';

/**
 * Inputs for msgpackr-equivalence.test.ts: values, values with parts that cannot be encoded,
 * random bytes, MessagePack of every type and form, and mutations of canonical encodings.
 */

/** What a generic walk over (possibly broken) MessagePack finds; it stops where the bytes run out. */
export interface Walk {
  /** Where each value found starts, for mutations that rewrite headers. */
  readonly tokens: number[];
  /** Byte ranges of the entries of each map, for mutations that reorder keys. */
  readonly maps: [number, number][][];
  hasExtension: boolean;
  /** A map whose keys are not strings in strictly increasing code-unit order, or hold "__proto__". */
  keyOrderDiffers: boolean;
}

const FIXED_SIZES: Record<number, number> = { 0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8, 0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17 };
const LENGTH_SIZES: Record<number, number> = { 0xc4: 1, 0xc5: 2, 0xc6: 4, 0xc7: 1, 0xc8: 2, 0xc9: 4, 0xd9: 1, 0xda: 2, 0xdb: 4, 0xdc: 2, 0xdd: 4, 0xde: 2, 0xdf: 4 };

const lenientText = new TextDecoder('utf-8', { ignoreBOM: true });

export function walk(bytes: Uint8Array): Walk {
  const found: Walk = { tokens: [], maps: [], hasExtension: false, keyOrderDiffers: false };
  let at = 0;
  const uint = (size: number): number => {
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + (bytes[at++] ?? 0);
    return value;
  };
  const item = (depth: number): string | undefined => {
    if (at >= bytes.length || depth > 200) throw new Error('stop');
    const start = at;
    found.tokens.push(start);
    const token = bytes[at++] as number;
    if ((token >= 0xc7 && token <= 0xc9) || (token >= 0xd4 && token <= 0xd8)) found.hasExtension = true;
    let length = 0;
    if (token >= 0x80 && token < 0xa0) length = token & 0x0f;
    else if (token >= 0xa0 && token < 0xc0) length = token & 0x1f;
    else if (LENGTH_SIZES[token]) length = uint(LENGTH_SIZES[token]);
    if ((token >= 0x80 && token < 0x90) || token === 0xde || token === 0xdf) {
      const entries: [number, number][] = [];
      found.maps.push(entries);
      let previous: string | undefined;
      for (let i = 0; i < length; i++) {
        const entryStart = at;
        const key = item(depth + 1);
        if (key === undefined || key === '__proto__' || (previous !== undefined && key <= previous)) found.keyOrderDiffers = true;
        previous = key;
        item(depth + 1);
        if (at <= bytes.length) entries.push([entryStart, at]);
      }
    } else if ((token >= 0x90 && token < 0xa0) || token === 0xdc || token === 0xdd) {
      for (let i = 0; i < length; i++) item(depth + 1);
    } else {
      at += (FIXED_SIZES[token] ?? 0) + length + (token >= 0xc7 && token <= 0xc9 ? 1 : 0);
    }
    const isString = (token >= 0xa0 && token < 0xc0) || (token >= 0xd9 && token <= 0xdb);
    return isString && at <= bytes.length ? lenientText.decode(bytes.subarray(at - length, at)) : undefined;
  };
  try {
    item(0);
  } catch {
    // The bytes ran out: what was found so far stands.
  }
  return found;
}

const boundaryIntegers = [0, 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, -1, -0x20, -0x21, -0x80, -0x81, -0x8000, -0x8001, -(2 ** 31), -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
const integer = fc.oneof(fc.constantFrom(...boundaryIntegers), fc.integer({ min: -300, max: 70_000 }), fc.integer(), fc.maxSafeInteger());
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
/** Lengths around the header and encoder switch points: 32 bytes, 64 units, 256 bytes. */
function textOf(unit: fc.Arbitrary<string> | 'grapheme' | 'grapheme-ascii'): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ unit, maxLength: 8 }), weight: 6 },
    { arbitrary: fc.string({ unit, minLength: 20, maxLength: 90 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 240, maxLength: 300 }), weight: 1 },
  );
}
const wellFormedText = textOf('grapheme');
const anyText = textOf(fc.oneof(anyCodeUnit, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })));
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '1', '9', '10', '01', '-1', '1a', '4294967294', '4294967295', 'constructor', '__proto_'), fc.nat(5000).map(String));
const bytes = fc.oneof({ arbitrary: fc.uint8Array({ maxLength: 40 }), weight: 5 }, { arbitrary: fc.uint8Array({ minLength: 250, maxLength: 300 }), weight: 1 });

function valueOf(text: fc.Arbitrary<string>): fc.Arbitrary<Value> {
  return fc.letrec<{ value: Value }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      integer,
      text,
      bytes,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.array(integer, { minLength: 15, maxLength: 17 }),
      fc.dictionary(fc.oneof(key, text).filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 5 }),
      fc.dictionary(key.filter((k) => k !== '__proto__'), fc.constant(0), { minKeys: 14, maxKeys: 18 }),
    ),
  })).value;
}
export const wellFormedValue = valueOf(wellFormedText);
export const anyValue = valueOf(anyText);

const junk = fc.constantFrom<unknown>(1.5, Number.NaN, Infinity, 2 ** 53, undefined, 10n, new Date(0), new Map(), Symbol('x'), () => 1, new Uint8ClampedArray(1), new Uint16Array(1), new (class Thing {})(), new String('x'), JSON.parse('{"__proto__": 1}'));
export const valueWithJunk: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    wellFormedValue,
    junk,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key.filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 4 }),
    fc.tuple(fc.integer({ min: 28, max: 36 }), tie('value')).map(([depth, inner]) => nest(inner, depth)),
  ),
})).value;

function nest(inner: unknown, depth: number): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
  return value;
}

/** `bytes` with the `remove` bytes from `at` (as many as there are) replaced by `insert`. */
function splice(bytes: Uint8Array, at: number, remove: number, insert: ArrayLike<number>): Uint8Array {
  remove = Math.min(remove, bytes.length - at);
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** Longer headers for a header token: how many bytes after it carry over, and what goes before them. */
const LONGER_HEADERS: Record<number, [number, number[]]> = {
  0xc4: [1, [0xc5, 0]],
  0xc5: [2, [0xc6, 0, 0]],
  0xcc: [1, [0xcd, 0]],
  0xcd: [2, [0xce, 0, 0]],
  0xce: [4, [0xd3, 0, 0, 0, 0]],
  0xd0: [1, [0xd1, 0xff]],
  0xd1: [2, [0xd2, 0xff, 0xff]],
  0xd2: [4, [0xd3, 0xff, 0xff, 0xff, 0xff]],
  0xd3: [8, [0xcf]],
  0xd9: [1, [0xda, 0]],
  0xda: [2, [0xdb, 0, 0]],
  0xdc: [2, [0xdd, 0, 0]],
  0xde: [2, [0xdf, 0, 0]],
};

/** The value at `at` written with a longer header, or as a float when it is a small integer. */
function widenHeader(bytes: Uint8Array, at: number, asFloat: boolean): Uint8Array {
  const token = bytes[at] as number;
  if (token < 0x80 && asFloat) {
    const float = new DataView(new ArrayBuffer(8));
    float.setFloat64(0, token);
    return splice(bytes, at, 1, [0xcb, ...new Uint8Array(float.buffer)]);
  }
  if (token < 0x80) return splice(bytes, at, 1, [0xcc, token]);
  if (token >= 0xe0) return splice(bytes, at, 1, [0xd0, token]);
  if (token < 0x90) return splice(bytes, at, 1, [0xde, 0, token & 0x0f]);
  if (token < 0xa0) return splice(bytes, at, 1, [0xdc, 0, token & 0x0f]);
  if (token < 0xc0) return splice(bytes, at, 1, [0xd9, token & 0x1f]);
  const longer = LONGER_HEADERS[token];
  if (!longer) return bytes;
  const [carried, header] = longer;
  return splice(bytes, at, 1 + carried, [...header, ...bytes.subarray(at + 1, at + 1 + carried)]);
}

/** Two neighbouring entries of a map change places. */
function swapEntries(bytes: Uint8Array, entries: readonly [number, number][], index: number): Uint8Array {
  const first = entries[index];
  const second = entries[index + 1];
  if (!first || !second) return bytes;
  const swapped = new Uint8Array(second[1] - first[0]);
  swapped.set(bytes.subarray(second[0], second[1]));
  swapped.set(bytes.subarray(first[0], first[1]), second[1] - second[0]);
  return splice(bytes, first[0], swapped.length, swapped);
}

export const mutation = fc.record({ kind: fc.constantFrom('set', 'insert', 'delete', 'truncate', 'append', 'widen', 'swap'), at: fc.nat(), byte: fc.nat(255), flag: fc.boolean() });
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

export function mutate(bytes: Uint8Array, { kind, at, byte, flag }: Mutation): Uint8Array {
  const offset = at % (bytes.length + 1);
  switch (kind) {
    case 'set':
      return splice(bytes, offset, 1, [flag ? byte : (bytes[offset] ?? 0) ^ (1 << (byte % 8))]);
    case 'insert':
      return splice(bytes, offset, 0, [byte]);
    case 'delete':
      return splice(bytes, offset, 1, []);
    case 'truncate':
      return bytes.subarray(0, offset);
    case 'append':
      return splice(bytes, bytes.length, 0, flag ? [byte] : bytes.subarray(0, offset));
    case 'widen': {
      const { tokens } = walk(bytes);
      return tokens.length ? widenHeader(bytes, tokens[at % tokens.length] as number, flag) : bytes;
    }
    case 'swap': {
      const maps = walk(bytes).maps.filter((entries) => entries.length > 1);
      const entries = maps[at % Math.max(1, maps.length)];
      return entries ? swapEntries(bytes, entries, byte % (entries.length - 1)) : bytes;
    }
  }
}

/** Bytes that are often MessagePack headers, so random input reaches past the first byte. */
const tokenByte = fc.oneof(fc.nat(255), fc.constantFrom(0x00, 0x7f, 0x81, 0x91, 0x92, 0xa1, 0xc0, 0xc1, 0xc4, 0xca, 0xcb, 0xcc, 0xcd, 0xcf, 0xd0, 0xd3, 0xd4, 0xd9, 0xdc, 0xde, 0xe0, 0x61));
export const randomBytes = fc.array(tokenByte, { maxLength: 48 }).map((items) => Uint8Array.from(items));


/** The first of the MessagePack headers able to hold `length`, counting from `choice`: 0 is the shortest. */
function withHeader(length: number, fixed: [number, number] | undefined, forms: readonly (readonly [number, number])[], choice: number): number[] {
  const headers: number[][] = [];
  if (fixed && length < fixed[1]) headers.push([fixed[0] | length]);
  for (const [token, size] of forms) {
    if (length < 2 ** (8 * size)) headers.push([token, ...Array.from({ length: size }, (_, i) => Math.floor(length / 2 ** (8 * (size - 1 - i))) % 256)]);
  }
  return headers[Math.min(choice, headers.length - 1)] as number[];
}

const STRING_FORMS = [[0xd9, 1], [0xda, 2], [0xdb, 4]] as const;
const utf8 = new TextEncoder();
/** Mostly the shortest header, sometimes a longer one. */
const headerChoice = fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.nat(3), weight: 1 });
const stringNode = fc
  .tuple(fc.oneof(key.map((text) => utf8.encode(text)), fc.uint8Array({ maxLength: 6 }), wellFormedText.map((text) => utf8.encode(text))), headerChoice)
  .map(([data, choice]) => [...withHeader(data.length, [0xa0, 0x20], STRING_FORMS, choice), ...data]);
const floatNode = fc.oneof(fc.double(), fc.integer().map((n) => n)).map((value) => {
  const view = new DataView(new ArrayBuffer(9));
  view.setUint8(0, 0xcb);
  view.setFloat64(1, value);
  return [...new Uint8Array(view.buffer)];
});
const INTEGER_SIZES: Record<number, number> = { 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8 };
/** Integer forms with leading zero or 0xff bytes, so values are near every limit. */
const integerNode = fc
  .tuple(fc.constantFrom(0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3), fc.nat(8), fc.boolean(), fc.uint8Array({ minLength: 8, maxLength: 8 }))
  .map(([token, padding, negative, data]) => {
    const size = INTEGER_SIZES[token] as number;
    return [token, ...Array.from(data.subarray(0, size), (byte, i) => (i < padding ? (negative ? 0xff : 0) : byte))];
  });

/** MessagePack of every type and form: floats, extensions, long headers, unsorted or repeated keys, too deep. */
export const anyMessagePack: fc.Arbitrary<Uint8Array> = fc
  .letrec<{ node: number[] }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(0xc0, 0xc2, 0xc3, 0xc1, 0x05, 0xe0, 0x7f).map((token) => [token]),
      integer.map((n) => [...encode(n)]),
      integerNode,
      floatNode,
      stringNode,
      fc.tuple(fc.uint8Array({ maxLength: 4 }), headerChoice).map(([data, choice]) => [...withHeader(data.length, undefined, [[0xc4, 1], [0xc5, 2], [0xc6, 4]], choice), ...data]),
      fc.tuple(fc.constantFrom(0xd4, 0xd6, 0xd7), fc.constantFrom(0xff, 0x00, 0x05)).map(([token, type]) => [token, type, ...new Array<number>(token === 0xd4 ? 1 : token === 0xd6 ? 4 : 8).fill(0)]),
      fc.tuple(fc.array(tie('node'), { maxLength: 4 }), headerChoice).map(([items, choice]) => [...withHeader(items.length, [0x90, 0x10], [[0xdc, 2], [0xdd, 4]], choice), ...items.flat()]),
      fc
        .tuple(fc.array(fc.tuple(fc.oneof({ arbitrary: stringNode, weight: 6 }, { arbitrary: tie('node'), weight: 1 }), tie('node')), { maxLength: 4 }), fc.boolean(), headerChoice)
        .map(([entries, sorted, choice]) => {
          if (sorted) entries.sort(([a], [b]) => compareKeys(utf8Key(a), utf8Key(b)));
          return [...withHeader(entries.length, [0x80, 0x10], [[0xde, 2], [0xdf, 4]], choice), ...entries.flat(2)];
        }),
      fc.tuple(fc.integer({ min: 28, max: 36 }), tie('node')).map(([depth, inner]) => [...new Array<number>(depth).fill(0x91), ...inner]),
    ),
  }))
  .node.map((node) => Uint8Array.from(node));

const keyText = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of a str node, for sorting keys as a canonical map would. */
function utf8Key(node: readonly number[]): string {
  const token = node[0] as number;
  const headerSize = token < 0xc0 ? 1 : token === 0xd9 ? 2 : token === 0xda ? 3 : 5;
  return keyText.decode(Uint8Array.from(node.slice(headerSize)));
}
