import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { EMPTY_ROOT, HASH_BYTES, leafHash, merkleRoot, nodeHash } from './index.js';

describe('RFC 9162 hashes', () => {
  it('EMPTY_ROOT is SHA-256 of the empty string', () => {
    expect(bytesToHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(HASH_BYTES).toBe(32);
  });

  it('matches the RFC 6962 hasher vectors of the transparency-dev reference tests', () => {
    expect(bytesToHex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(bytesToHex(leafHash(utf8ToBytes('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    // Root of the two-leaf test tree: leaves "" and 0x00.
    const root = nodeHash(leafHash(new Uint8Array(0)), leafHash(Uint8Array.of(0)));
    expect(bytesToHex(root)).toBe('fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125');
  });

  it('prefixes 0x00 for leaves and 0x01 for nodes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (data, left, right) => {
          expect(leafHash(data)).toEqual(sha256(Uint8Array.of(0, ...data)));
          expect(nodeHash(left, right)).toEqual(sha256(Uint8Array.of(1, ...left, ...right)));
        },
      ),
    );
  });

  it('accepts Uint8Array views into larger buffers', () => {
    const backing = new Uint8Array(100).map((_, i) => i);
    const left = backing.subarray(3, 35);
    const right = backing.subarray(50, 82);
    expect(nodeHash(left, right)).toEqual(nodeHash(left.slice(), right.slice()));
    expect(leafHash(backing.subarray(10, 20))).toEqual(leafHash(backing.slice(10, 20)));
  });

  it('refuses inputs that are not byte arrays, or not hash-sized for nodes', () => {
    const hash = new Uint8Array(32);
    expect(() => leafHash('abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => nodeHash(new Uint8Array(31), hash)).toThrow(/left child hash must be 32 bytes long, got 31/);
    expect(() => nodeHash(hash, new Uint8Array(33))).toThrow(RangeError);
    expect(() => nodeHash(hash, [1, 2] as unknown as Uint8Array)).toThrow(/right child hash must be a 32-byte Uint8Array, got an array/);
  });

  it('keeps using the real empty root even if a caller writes into EMPTY_ROOT', () => {
    const original = EMPTY_ROOT.slice();
    try {
      EMPTY_ROOT.fill(7);
      expect(bytesToHex(merkleRoot([]))).toBe(bytesToHex(original));
    } finally {
      EMPTY_ROOT.set(original);
    }
  });
});
