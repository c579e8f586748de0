import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode } from './encoding.js';
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
      expect(bytesEqual(encode(decode(bytes)), bytes)).toBe(true);
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
