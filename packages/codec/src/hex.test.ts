import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './hex.js';

describe('toHex', () => {
  it('writes lowercase hex, two digits per byte, for any length (past its scratch buffer too)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 2040, maxLength: 2100 }), fc.uint8Array({ minLength: 5000, maxLength: 5000 })), (bytes) => {
        const hex = toHex(bytes);
        expect(hex).toBe(Buffer.from(bytes).toString('hex'));
        expect(fromHex(hex)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('gives independent strings: a later call does not change an earlier result', () => {
    const first = toHex(Uint8Array.of(0xab, 0xcd));
    toHex(Uint8Array.of(0x01, 0x23));
    expect(first).toBe('abcd');
  });

  it('reads a subarray, not the buffer behind it', () => {
    const whole = Uint8Array.of(1, 2, 3, 4, 5);
    expect(toHex(whole.subarray(1, 3))).toBe('0203');
  });
});
