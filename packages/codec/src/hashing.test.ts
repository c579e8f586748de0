import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, taggedHash } from './hashing.js';
import { toHex } from './hex.js';

describe('taggedHash', () => {
  it('matches SHA-256 of the known empty-input vector', () => {
    expect(toHex(sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('separates domains: the same bytes under two tags never share a hash', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (data) => {
        expect(toHex(taggedHash('tx', data))).not.toBe(toHex(taggedHash('vote', data)));
        expect(toHex(taggedHash('tx', data))).not.toBe(toHex(sha256(data)));
      }),
    );
  });

  it('hashes the concatenation of its parts', () => {
    const a = new Uint8Array([1, 2]);
    const b = new Uint8Array([3]);
    expect(toHex(taggedHash('state', a, b))).toBe(toHex(taggedHash('state', new Uint8Array([1, 2, 3]))));
  });
});
