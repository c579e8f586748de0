import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, taggedHash } from '@certledger/codec';
import { testSigner } from '@certledger/ledger/testing';
import { credentialDigest, entryDigest, flattenEntries, type EntryKind, type HashedEntry } from './entries.js';
import { issueBatch } from './issue.js';
import type { Json, JsonObject } from './json.js';
import { IssuanceHasher, UnsaltedDigests, leafFromDisclosure, saltsByPointer } from './leaf.js';
import { LICENCE_BATCH, seededRandomBytes } from './test-support.js';

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function text(bytes: Uint8Array): Uint8Array {
  return concatBytes(uint32(bytes.length), bytes);
}

const utf8 = (value: string) => new TextEncoder().encode(value);

describe('entryDigest', () => {
  it('is taggedHash("cert-field") of the documented byte layout', () => {
    const salt = new Uint8Array(16).fill(7);
    const entry: HashedEntry = { path: ['credentialSubject', 'a', 0], kind: 'string', text: 'é😀' };
    const bytes = concatBytes(
      Uint8Array.of(3),
      uint32(3),
      Uint8Array.of(0),
      text(utf8('credentialSubject')),
      Uint8Array.of(0),
      text(utf8('a')),
      Uint8Array.of(1),
      uint32(0),
      uint32(16),
      salt,
      text(utf8('é😀')),
    );
    expect(entryDigest(entry, salt)).toEqual(taggedHash('cert-field', bytes));
  });

  it('tells apart what JSON tells apart: key "0" and position 0, kinds, lone surrogates', () => {
    const digest = (entry: HashedEntry) => Buffer.from(entryDigest(entry, new Uint8Array(0))).toString('hex');
    const digests = [
      digest({ path: ['a', '0'], kind: 'string', text: 'x' }),
      digest({ path: ['a', 0], kind: 'string', text: 'x' }),
      digest({ path: ['a', 0], kind: 'boolean', text: 'true' }),
      digest({ path: ['a', 0], kind: 'string', text: 'true' }),
      digest({ path: ['a', 0], kind: 'string', text: '\ud800' }),
      digest({ path: ['a', 0], kind: 'string', text: '\udc00' }),
      digest({ path: ['a', 0], kind: 'string', text: '\ufffd' }),
      digest({ path: ['a', 0], kind: 'string', text: '\ud800\udc00' }),
    ];
    expect(new Set(digests).size).toBe(digests.length);
  });
});

describe('credentialDigest', () => {
  it('is taggedHash("cert-leaf") of the digests in byte order, whatever order they come in', () => {
    const digests = [Uint8Array.of(3, 1), Uint8Array.of(1, 9), Uint8Array.of(2)].map((d) => taggedHash('cert-field', d));
    const sorted = [...digests].sort((a, b) => Buffer.compare(a, b));
    expect(credentialDigest(digests)).toEqual(taggedHash('cert-leaf', ...sorted));
    expect(credentialDigest([...digests].reverse())).toEqual(credentialDigest(digests));
  });
});

describe('UnsaltedDigests', () => {
  it("gives entryDigest's digest for every entry, whatever it saw before and however small", () => {
    const entry = fc.record({
      path: fc.array(fc.oneof(fc.constantFrom('a', 'b', '0'), fc.nat(2)), { minLength: 1, maxLength: 3 }),
      kind: fc.constantFrom<EntryKind>('string', 'number', 'boolean'),
      text: fc.constantFrom('', 'x', '0', 'true', 'x'.repeat(1100)),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(entry, { maxLength: 30 }), (capacity, entries) => {
        const digests = new UnsaltedDigests(capacity);
        for (const e of entries) expect(digests.digestOf(e.path, e.kind, e.text)).toEqual(entryDigest(e, new Uint8Array(0)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('IssuanceHasher', () => {
  const credentialOf = (name: string, subject: Json): JsonObject => ({ id: `urn:x:${name}`, issuer: { name }, type: ['A', name], credentialSubject: subject });

  it('gives the leaf verification computes, also when the shared fields change between credentials', () => {
    const hasher = new IssuanceHasher(seededRandomBytes('hasher'), 16);
    fc.assert(
      fc.property(fc.constantFrom('one', 'two', '0'), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, (name, subject) => {
        const credential = credentialOf(name, subject);
        const salted = hasher.leafOf(credential);
        const salts = saltsByPointer(salted, 16);
        expect([...salts.keys()]).toEqual(flattenEntries(credential).filter((e) => e.path[0] === 'credentialSubject').map((e) => e.pointer));
        expect(leafFromDisclosure(credential, salts, [])).toEqual({ ok: true, leaf: salted.leaf });
      }),
      { numRuns: 300 },
    );
  });
});

describe('issueBatch records', () => {
  const options = { ...LICENCE_BATCH, schema: { type: 'object' }, chainId: 'cert-chain', signer: testSigner('issuer-transport'), seq: 0 };

  it('refuses a value JSON cannot hold, naming the record and the field', () => {
    expect(() => issueBatch([{ name: 'a' }, { name: 'b', when: new Date(0) }], options)).toThrow(/record 2: \/when is a Date, which JSON cannot hold/);
    expect(() => issueBatch([{ points: Number.NaN }], options)).toThrow(/record 1: \/points is NaN/);
  });

  it('keeps a "__proto__" key as a field', () => {
    const record = JSON.parse('{"__proto__": {"x": 1}, "name": "a"}') as JsonObject;
    const [credential] = issueBatch([record], options).credentials;
    expect(Object.keys(credential!.credentialSubject as JsonObject)).toEqual(['__proto__', 'name']);
  });
});
