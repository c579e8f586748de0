import { describe, expect, it } from 'vitest';
import { decodeTransaction } from '@certledger/ledger';
import { ANY_OBJECT_SCHEMA_HASH, testSigner } from '@certledger/ledger/testing';
import { verifyInclusion } from '@certledger/merkle';
import { findAnchorProof } from './anchor-proof.js';
import { issueBatch, type IssueBatchOptions } from './issue.js';
import { schemaHash } from './schema.js';
import { LICENCE_BATCH, SAMPLE_RECORDS, seededRandomBytes } from './test-support.js';

const options: IssueBatchOptions = { ...LICENCE_BATCH, chainId: 'cert-chain', signer: testSigner('issuer-transport'), seq: 7 };

describe('issueBatch', () => {
  it('builds W3C credentials, one leaf each under one root, and one signed anchor for the root', () => {
    const batch = issueBatch(SAMPLE_RECORDS, { ...options, randomBytes: seededRandomBytes('issue') });
    expect(batch.credentials).toHaveLength(3);
    const tx = decodeTransaction(batch.anchorTransaction);
    expect(tx.ok && tx.value.body.action).toMatchObject({ kind: 'anchor', issuerId: 'transport', typeId: 'driving-licence', leafCount: 3, root: batch.root });
    expect(tx.ok && tx.value.body.seq).toBe(7);
    batch.credentials.forEach((credential, i) => {
      expect(credential['@context']).toEqual(['https://www.w3.org/ns/credentials/v2']);
      expect(credential.credentialSubject).toEqual(SAMPLE_RECORDS[i]);
      const { proof } = findAnchorProof(credential);
      expect(proof.leafIndex).toBe(i);
      expect(proof.anchor).toBeNull();
      expect(verifyInclusion(batch.leaves[i]!, i, 3, proof.inclusionPath, batch.root)).toBe(true);
    });
  });

  it('gives every credential its own id and salts, so equal records get different leaves', () => {
    const batch = issueBatch([SAMPLE_RECORDS[0], SAMPLE_RECORDS[0]], options);
    expect(batch.credentials[0]!.id).not.toBe(batch.credentials[1]!.id);
    expect(batch.leaves[0]).not.toEqual(batch.leaves[1]);
  });

  it('refuses the whole batch when one record breaks the schema, naming the record and field', () => {
    const records = [SAMPLE_RECORDS[0], { ...SAMPLE_RECORDS[1], licenceNumber: 'lower-case' }];
    expect(() => issueBatch(records, options)).toThrow(/record 2: \/licenceNumber must match pattern/);
    expect(() => issueBatch(['text'], options)).toThrow(/record 1: must be a JSON object/);
  });

  it('refuses bad options with a sentence saying what is wrong', () => {
    expect(() => issueBatch([], options)).toThrow(/no records/);
    expect(() => issueBatch(SAMPLE_RECORDS, { ...options, validFrom: '2026-01-01' })).toThrow(/validFrom "2026-01-01" is not a date-time/);
    // Days and seconds that do not exist: Date.parse rolls the first over to 2 March and gives NaN for the second.
    expect(() => issueBatch(SAMPLE_RECORDS, { ...options, validFrom: '2026-02-30T00:00:00Z' })).toThrow(/validFrom "2026-02-30T00:00:00Z" is not a date-time/);
    expect(() => issueBatch(SAMPLE_RECORDS, { ...options, validUntil: '2031-06-30T23:59:60Z' })).toThrow(/validUntil "2031-06-30T23:59:60Z" is not a date-time/);
    expect(() => issueBatch(SAMPLE_RECORDS, { ...options, validUntil: '2025-01-01T00:00:00Z' })).toThrow(/is not after validFrom/);
    expect(() => issueBatch(SAMPLE_RECORDS, { ...options, issuerId: 'Bad Id' })).toThrow(/issuer id "Bad Id"/);
    expect(() => issueBatch(SAMPLE_RECORDS, { ...options, schema: { type: 'no-such-type' } })).toThrow(/not valid JSON Schema/);
  });

  it('refuses a lone surrogate in a field or a key, naming it, as JSON files cannot carry it as text', () => {
    const lone = (record: object) => () => issueBatch([SAMPLE_RECORDS[0], record], options);
    expect(lone({ ...SAMPLE_RECORDS[1], name: 'Grace \ud800' })).toThrow(/record 2: \/name holds a lone surrogate/);
    expect(lone({ ...SAMPLE_RECORDS[1], categories: ['B', '\udc00x'] })).toThrow(/record 2: \/categories\/1 holds a lone surrogate/);
    expect(lone({ ...SAMPLE_RECORDS[1], notes: { 'a\ud800': 1 } })).toThrow(/record 2: \/notes has the key "a\\ud800", which holds a lone surrogate/);
    expect(lone({ ...SAMPLE_RECORDS[1], name: 'Grace \ud83d\ude00' })).not.toThrow();
  });

  it('refuses numbers past 2^53, which were rounded before they arrived, asking for a string', () => {
    const points = (value: number) => () => issueBatch([{ ...SAMPLE_RECORDS[0], points: value }], options);
    expect(points(2 ** 53 + 2)).toThrow(/record 1: \/points is 9007199254740994, past the integers a JSON number holds exactly .* send it as a string/);
    expect(points(-(2 ** 53))).toThrow(/record 1: \/points/);
    expect(points(1e300)).toThrow(/record 1: \/points/);
    expect(points(Number.MAX_SAFE_INTEGER)).not.toThrow();
    expect(() => issueBatch([{ ...SAMPLE_RECORDS[0], notes: { ratio: 0.1, tiny: -2.5e-300 } }], options)).not.toThrow();
  });

  it('reports progress up to the total', () => {
    const seen: number[] = [];
    issueBatch(Array.from({ length: 2500 }, (_, i) => ({ name: `n${i}`, licenceNumber: `AB${100000 + i}` })), { ...options, onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([1000, 2000, 2500]);
  });
});

describe('schemaHash', () => {
  it('is SHA-256 of the RFC 8785 form, so the test network registers the permissive schema by hash', () => {
    expect(schemaHash({ type: 'object' })).toEqual(ANY_OBJECT_SCHEMA_HASH);
    expect(schemaHash({ b: 1, a: [true, null, 'x'] })).toEqual(schemaHash({ a: [true, null, 'x'], b: 1 }));
  });
});
