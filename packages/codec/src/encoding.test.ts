import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_VALUES, decode, encode } from './encoding.js';
import { CodecError } from './errors.js';
import { bytesEqual, toHex } from './hex.js';
import { oldEncode } from './msgpackr-reference.js';
import { MAX_DEPTH, type Value } from './value.js';

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

function hexOf(value: unknown): string {
  return toHex(encode(value));
}

function nested(depth: number): Value {
  let value: Value = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('the canonical form, as the msgpackr encoder wrote it', () => {
  it('puts map keys that are array indices first, in numeric order, then the rest in code-unit order', () => {
    expect(hexOf({ b: 0, '10': 1, '9': 2, a: 3, '4294967295': 4 })).toBe('85a13902a2313001aa343239343936373239350' + '4a16103a16200');
    expect(codeOf(() => decode(Buffer.from('82a2313001a13902', 'hex')))).toBe('NON_CANONICAL');
  });

  it('writes every length with the shortest header, up to 32-bit lengths', () => {
    const values: unknown[] = [
      'a'.repeat(65_535),
      'a'.repeat(65_536),
      '€'.repeat(21_846),
      new Uint8Array(65_535),
      new Uint8Array(65_536),
      new Array(65_535).fill(0),
      new Array(65_536).fill(0),
      Object.fromEntries(Array.from({ length: 65_536 }, (_, i) => [`k${i}`, i])),
    ];
    for (const value of values) {
      const bytes = encode(value);
      expect(bytesEqual(bytes, oldEncode(value))).toBe(true);
      // The longest arrays and maps hold more values than decode takes by default.
      expect(bytesEqual(encode(decode(bytes, { maxValues: 1 << 18 })), bytes)).toBe(true);
    }
  });

  it('refuses a string or key holding a lone surrogate, short or long: it has no UTF-8 form', () => {
    for (const text of ['\ud800', 'a\udc00', `\ud800${'x'.repeat(63)}`, `${'x'.repeat(70)}\udfff`]) {
      expect(codeOf(() => encode(text))).toBe('UNSUPPORTED_TYPE');
      expect(() => encode({ ok: [1, { text }] })).toThrow('a string with a lone surrogate');
      expect(() => encode({ [text]: 1 })).toThrow('a string with a lone surrogate');
    }
    expect(decode(encode('\ud83d\ude00 paired'))).toBe('\ud83d\ude00 paired');
  });

  it('keeps a leading U+FEFF in strings of every length', () => {
    for (const text of ['\ufeffa', `\ufeff${'é'.repeat(40)}`]) expect(decode(encode(text))).toBe(text);
  });

  it('refuses an array with holes, which the msgpackr encoder wrote with an undefined no decoder took', () => {
    expect(codeOf(() => encode([, 1]))).toBe('UNSUPPORTED_TYPE');
  });

  it('takes values nested exactly MAX_DEPTH deep, and refuses one level more', () => {
    expect(decode(encode(nested(MAX_DEPTH)))).toEqual(nested(MAX_DEPTH));
    expect(codeOf(() => encode(nested(MAX_DEPTH + 1)))).toBe('TOO_DEEP');
    expect(codeOf(() => decode(Buffer.from(`${'91'.repeat(MAX_DEPTH + 1)}01`, 'hex')))).toBe('TOO_DEEP');
  });

  it('reports an out-of-range integer after a fault the reader met first, as the codec always did', () => {
    expect(codeOf(() => decode(Buffer.from('92cd0001cfffffffffffffffff', 'hex')))).toBe('UNSUPPORTED_TYPE');
    expect(codeOf(() => decode(Buffer.from('92cd0001c405', 'hex')))).toBe('MALFORMED');
    expect(codeOf(() => decode(Buffer.from('91cd000100', 'hex')))).toBe('TRAILING_BYTES');
  });
});

describe('encode and decode results', () => {
  it('are not changed by later calls: every output keeps its own bytes', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 40 }), (values) => {
        const outputs = values.map((value) => encode(value));
        values.forEach((value, i) => expect(toHex(outputs[i] as Uint8Array)).toBe(hexOf(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('encode gives the same bytes when a getter of the value encodes too', () => {
    const value = {
      get inner(): Value {
        return toHex(encode({ other: [1, 2, 3] }));
      },
    };
    expect(hexOf(value)).toBe(hexOf({ inner: toHex(encode({ other: [1, 2, 3] })) }));
  });

  it('decode gives byte strings that are views into its input: no copy, and they change if the input does', () => {
    const input = encode([new Uint8Array([1, 2, 3])]);
    const [bytes] = decode(input) as [Uint8Array];
    expect(bytes.buffer).toBe(input.buffer);
    expect(bytes.constructor).toBe(Uint8Array);
    input[input.length - 1] = 9;
    expect([...bytes]).toEqual([1, 2, 9]);
  });
});

/** Values as `maxValues` counts them: the value itself, and each item, map key and map value within. */
function countValues(value: Value): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + countValues(item), 1);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.values(value).reduce<number>((sum, item) => sum + 1 + countValues(item), 1);
  }
  return 1;
}

/** The canonical encoding of an array of `count` nils (count from 16): one byte each. */
function nils(count: number): number[] {
  const header = count < 0x10000 ? [0xdc, count >>> 8, count & 0xff] : [0xdd, count >>> 24, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff];
  return [...header, ...new Uint8Array(count).fill(0xc0)];
}

describe('decode with maxValues', () => {
  it('decodes a value holding at most maxValues values as before, and refuses one holding more as TOO_LARGE, whatever its shape', () => {
    fc.assert(
      fc.property(valueArb, fc.nat(), (value, seed) => {
        const bytes = encode(value);
        const count = countValues(value);
        expect(decode(bytes, { maxValues: count })).toEqual(decode(bytes));
        const fewer = seed % count;
        expect(() => decode(bytes, { maxValues: fewer })).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: `input holds more than ${fewer} values` }));
      }),
      { numRuns: 1000 },
    );
  });

  it('counts map keys as values', () => {
    const bytes = encode({ a: null, b: [1] });
    expect(decode(bytes, { maxValues: 6 })).toEqual({ a: null, b: [1] });
    expect(codeOf(() => decode(bytes, { maxValues: 5 }))).toBe('TOO_LARGE');
  });

  it('takes DEFAULT_MAX_VALUES values by default and refuses one more', () => {
    expect((decode(Uint8Array.from(nils(DEFAULT_MAX_VALUES - 1))) as Value[]).length).toBe(DEFAULT_MAX_VALUES - 1);
    expect(() => decode(Uint8Array.from(nils(DEFAULT_MAX_VALUES)))).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: `input holds more than ${DEFAULT_MAX_VALUES} values` }));
  });

  it('refuses a frame of a million nils by its count', () => {
    const million = Uint8Array.from(nils(1 << 20));
    expect(() => decode(million, { maxBytes: 2 << 20, maxValues: 1000 })).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: 'input holds more than 1000 values' }));
  });

  it('refuses by count an input whose first fault comes before the mass of its values, as it does the mass alone', () => {
    // [1.5, [nil, nil, …]]: the float stops the reader first; the count still outranks it.
    const floatFirst = Uint8Array.from([0x92, 0xca, 0x3f, 0xc0, 0x00, 0x00, ...nils(2000)]);
    expect(codeOf(() => decode(floatFirst, { maxValues: 1000 }))).toBe('TOO_LARGE');
    expect(codeOf(() => decode(floatFirst, { maxValues: 2003 }))).toBe('UNSUPPORTED_TYPE');
  });

  it('refuses truncated input as MALFORMED before counting the values it announces', () => {
    expect(codeOf(() => decode(Uint8Array.from(nils(2000)).subarray(0, 1000), { maxValues: 10 }))).toBe('MALFORMED');
  });
});

describe('decode with maxMapKeys', () => {
  const mapOf = (keys: number) => encode(Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${String(i).padStart(3, '0')}`, i])));

  it('decodes maps of up to maxMapKeys keys, nested ones too, and refuses a bigger one as TOO_LARGE, naming both counts', () => {
    expect(decode(mapOf(5), { maxMapKeys: 5 })).toEqual(decode(mapOf(5)));
    expect(() => decode(mapOf(6), { maxMapKeys: 5 })).toThrow(expect.objectContaining({ code: 'TOO_LARGE', message: 'a map holds 6 keys; at most 5 are accepted' }));
    expect(codeOf(() => decode(encode([1, { a: decode(mapOf(6)) }]), { maxMapKeys: 5 }))).toBe('TOO_LARGE');
  });

  it('bounds no map unless asked', () => {
    expect(Object.keys(decode(mapOf(500)) as object)).toHaveLength(500);
  });
});
