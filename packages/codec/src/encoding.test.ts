import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode } from './encoding.js';
import { CodecError } from './errors.js';
import { toHex } from './hex.js';
import type { Value } from './value.js';

const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.integer(),
    fc.string({ unit: 'grapheme' }),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(fc.string({ maxLength: 12 }).filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 6 }),
  ),
})).value;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof CodecError ? err.code : `not a CodecError: ${String(err)}`;
  }
  return undefined;
}

describe('encode/decode', () => {
  it('round-trips every value and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const bytes = encode(value);
        const decoded = decode(bytes);
        expect(decoded).toEqual(value);
        expect(toHex(encode(decoded))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same bytes whatever order map keys were inserted in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== '__proto__'), fc.integer(), { minKeys: 2 }), (map) => {
        const reversed = Object.fromEntries(Object.entries(map).reverse());
        expect(toHex(encode(reversed))).toBe(toHex(encode(map)));
      }),
    );
  });

  it('encodes integers beyond 32 bits as integers, never floats', () => {
    for (const n of [2 ** 32, 2 ** 40, Number.MAX_SAFE_INTEGER, -(2 ** 31) - 1, Number.MIN_SAFE_INTEGER]) {
      const bytes = encode(n);
      expect([0xcf, 0xd3]).toContain(bytes[0]);
      expect(decode(bytes)).toBe(n);
    }
  });

  it('refuses values that have no single agreed encoding', () => {
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 60, undefined, new Date(0), new Map(), 10n, Symbol('x')]) {
      expect(codeOf(() => encode(bad))).toBe('UNSUPPORTED_TYPE');
    }
    expect(codeOf(() => encode(JSON.parse('{"__proto__": 1}')))).toBe('UNSUPPORTED_TYPE');
  });

  it('refuses nesting deeper than the limit', () => {
    let deep: Value = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(codeOf(() => encode(deep))).toBe('TOO_DEEP');
  });
});

describe('decode refuses bad input with a typed error', () => {
  const cases: [string, string, string][] = [
    ['empty', '', 'MALFORMED'],
    ['truncated bin', 'c40501', 'MALFORMED'],
    ['trailing bytes', '0102', 'TRAILING_BYTES'],
    ['float64', 'cb3ff8000000000000', 'UNSUPPORTED_TYPE'],
    ['integral float', 'cb4000000000000000', 'NON_CANONICAL'],
    ['unsorted map', '82a16201a16102', 'NON_CANONICAL'],
    ['over-long integer form', 'cd0001', 'NON_CANONICAL'],
    ['str16 for a short string', 'da000161', 'NON_CANONICAL'],
    ['timestamp extension', 'd6ff00000000', 'UNSUPPORTED_TYPE'],
    ['integer map key', '810102', 'NON_CANONICAL'],
    ['uint64 beyond safe range', 'cfffffffffffffffff', 'UNSUPPORTED_TYPE'],
    ['reserved byte', 'c1', 'UNSUPPORTED_TYPE'],
  ];
  for (const [name, hex, code] of cases) {
    it(name, () => {
      expect(codeOf(() => decode(Buffer.from(hex, 'hex')))).toBe(code);
    });
  }

  it('refuses input over the size limit before reading it', () => {
    expect(codeOf(() => decode(new Uint8Array(100), { maxBytes: 99 }))).toBe('TOO_LARGE');
  });

  it('refuses deeply nested input without overflowing the stack', () => {
    const bytes = new Uint8Array(100_000).fill(0x91);
    expect(['TOO_DEEP', 'MALFORMED']).toContain(codeOf(() => decode(bytes)));
  });

  it('never throws anything but a CodecError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const code = codeOf(() => decode(bytes));
        expect(code === undefined || !code.startsWith('not a CodecError')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decode leaves its input alone', () => {
  it('adds no property to the byte array it reads', () => {
    const bytes = encode([1, 'two', new Uint8Array([3])]);
    decode(bytes);
    expect(Object.getOwnPropertyNames(bytes)).toEqual(Array.from({ length: bytes.length }, (_, i) => String(i)));
  });
});
