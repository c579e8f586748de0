import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, taggedHash, type HashTag } from './hashing.js';
import { concatBytes, toHex } from './hex.js';

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

  it('is SHA-256 of the length-prefixed tag and the parts, by the native hash as by @noble/hashes', () => {
    const tags: HashTag[] = ['tx', 'block-header', 'governance-approval'];
    const parts = fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 3000, maxLength: 5000 })), { maxLength: 3 });
    fc.assert(
      fc.property(fc.constantFrom(...tags), parts, (tag, items) => {
        const name = new TextEncoder().encode(`certledger/${tag}`);
        const expected = nobleSha256(concatBytes(Uint8Array.of(name.length), name, ...items));
        expect(toHex(taggedHash(tag, ...items))).toBe(toHex(expected));
        expect(toHex(sha256(items[0] ?? new Uint8Array()))).toBe(toHex(nobleSha256(items[0] ?? new Uint8Array())));
      }),
    );
  });

  it('gives a digest that is a plain Uint8Array of 32 bytes', () => {
    const digest = taggedHash('tx', new Uint8Array(40));
    expect(digest.constructor).toBe(Uint8Array);
    expect(digest.length).toBe(32);
  });
});
