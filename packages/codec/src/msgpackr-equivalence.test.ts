import fc from 'fast-check';
import { isNativeAccelerationEnabled } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decode, encode } from './encoding.js';
import { CodecError } from './errors.js';
import { toHex } from './hex.js';
import { oldDecode, oldEncode } from './msgpackr-reference.js';
import { anyMessagePack, anyValue, mutate, mutation, randomBytes, valueWithJunk, walk, wellFormedValue } from './equivalence-inputs.js';
import type { Value } from './value.js';

/**
 * The one-pass codec against the one it replaced (msgpackr-reference.ts): the same bytes for
 * every value, the same accepted byte strings, the same decoded values, and the same refusal
 * codes except where `whyCodesMayDiffer` says. Not generated here, and also allowed to differ:
 * input nested over 1000 levels deep, which the new decoder refuses as TOO_DEEP at once, and
 * where the old one answered MALFORMED, TOO_DEEP or a RangeError depending on its stack size.
 */
type Outcome = { value: Value } | { code: string; message: string };

/** True when no string or key in `value` holds a lone surrogate. */
function allStringsWellFormed(value: Value): boolean {
  // Independent of the codec's check: drop every high-low surrogate pair, then look for any surrogate left.
  if (typeof value === 'string') return !/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
  if (Array.isArray(value)) return value.every(allStringsWellFormed);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.entries(value).every(([key, item]) => allStringsWellFormed(key) && allStringsWellFormed(item));
  }
  return true;
}

function outcomeOf(run: () => Value): Outcome {
  try {
    return { value: run() };
  } catch (err) {
    if (err instanceof CodecError) return { code: err.code, message: err.message };
    return { code: `not a CodecError: ${String(err)}`, message: '' };
  }
}

/**
 * Where the codes may differ: (1) msgpackr gave each extension type a meaning of its own (undefined,
 * bigints, sets, records that change how later bytes parse, unknown types MALFORMED), the new
 * reader refuses them all as UNSUPPORTED_TYPE, or MALFORMED as map keys; (2) in a map whose keys
 * are not in code-unit order (unsorted, repeated, not strings, or array indices such as "9" before
 * "10"), the old codec checked entries in code-unit key order after dropping repeated keys, the new
 * one in byte order, so when such a map holds two faults they may name different ones.
 */
function whyCodesMayDiffer(bytes: Uint8Array, oldCode: string, newCode: string): 'extension' | 'keyOrder' | undefined {
  const found = walk(bytes);
  const semantic = ['TOO_DEEP', 'UNSUPPORTED_TYPE', 'NON_CANONICAL'];
  if (found.hasExtension) return 'extension';
  return found.keyOrderDiffers && semantic.includes(oldCode) && semantic.includes(newCode) ? 'keyOrder' : undefined;
}

/** Refusals whose codes were compared, and those exempt from it by reason. */
const stats = { compared: 0, extension: 0, keyOrder: 0 };

function expectSameOutcome(bytes: Uint8Array): void {
  const before = outcomeOf(() => oldDecode(bytes));
  const after = outcomeOf(() => decode(bytes));
  if ('value' in before || 'value' in after) {
    expect({ hex: toHex(bytes), ...after }).toEqual({ hex: toHex(bytes), ...before });
    return;
  }
  if (before.code === after.code) {
    stats.compared++;
    return;
  }
  const exemption = whyCodesMayDiffer(bytes, before.code, after.code);
  if (exemption) stats[exemption]++;
  else expect({ hex: toHex(bytes), code: after.code }).toEqual({ hex: toHex(bytes), code: before.code });
}

function encodeOutcome(encoder: (value: unknown) => Uint8Array, value: unknown): string {
  try {
    return toHex(encoder(value));
  } catch (err) {
    return err instanceof CodecError ? `${err.code}: ${err.message}` : `not a CodecError: ${String(err)}`;
  }
}

/** The exemption for maps out of key order must stay rare, or it could hide a real difference. */
function expectCodesCompared(before: typeof stats, least: number): void {
  const compared = stats.compared - before.compared;
  const keyOrder = stats.keyOrder - before.keyOrder;
  expect(compared).toBeGreaterThan(least);
  expect(compared).toBeGreaterThan(100 * keyOrder);
}

describe('the one-pass codec against the msgpackr codec it replaced', () => {
  it('runs the reference with its native string extractor, as validators did', () => {
    expect(isNativeAccelerationEnabled).toBe(true);
  });

  it('writes the same bytes for every value whose strings have a UTF-8 form, and refuses the rest', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        if (allStringsWellFormed(value)) expect(toHex(encode(value))).toBe(toHex(oldEncode(value)));
        else expect(() => encode(value)).toThrow(CodecError);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back every value whose strings are well-formed', () => {
    fc.assert(
      fc.property(wellFormedValue, (value) => {
        expect(decode(encode(value))).toEqual(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts or refuses alike what the old encoder wrote for every value, lone surrogates included', () => {
    fc.assert(fc.property(anyValue, (value) => expectSameOutcome(oldEncode(value))), { numRuns: 2000 });
  });

  it('refuses the same values with the same error, path included', () => {
    fc.assert(
      fc.property(valueWithJunk, (value) => {
        expect(encodeOutcome(encode, value)).toBe(encodeOutcome(oldEncode, value));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on random bytes', () => {
    const before = { ...stats };
    fc.assert(fc.property(randomBytes, expectSameOutcome), { numRuns: 20_000 });
    expectCodesCompared(before, 15_000);
  });

  it('agrees on MessagePack of every type and form', () => {
    const before = { ...stats };
    fc.assert(fc.property(anyMessagePack, expectSameOutcome), { numRuns: 10_000 });
    expectCodesCompared(before, 3000);
  });

  it('agrees on mutated encodings: bytes set, inserted, deleted, headers widened, map entries swapped', () => {
    const before = { ...stats };
    fc.assert(
      fc.property(wellFormedValue, fc.array(mutation, { minLength: 1, maxLength: 3 }), (value, mutations) => {
        expectSameOutcome(mutations.reduce(mutate, encode(value)));
      }),
      { numRuns: 25_000 },
    );
    expectCodesCompared(before, 15_000);
  });
});
