import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaHash, type JsonObject } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import { afterAll, describe, expect, it } from 'vitest';
import type { CertTypeAnswer, IssuerAnswer } from './api-client.js';
import { chooseCertType, readTypeSchema, requireCanIssue, requireCurrentKey, schemaFileFor } from './issuing.js';
import { DRIVING_LICENCE_SCHEMA, NURSE_LICENCE_SCHEMA } from './sample-schemas.js';

const licenceSchema = structuredClone(DRIVING_LICENCE_SCHEMA) as unknown as JsonObject;
const type = (version: number, issuers: string[]): CertTypeAnswer => ({
  typeId: 'driving-licence',
  version,
  displayName: 'Driving licence',
  schemaHash: toHex(schemaHash(licenceSchema)),
  issuers,
});
const types = [type(1, ['transport']), type(2, ['transport', 'police']), type(3, ['police'])];
const dir = mkdtempSync(join(tmpdir(), 'certledger-issuing-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('choosing the certificate type', () => {
  it('takes the version asked for, or the newest the issuer may issue', () => {
    expect(chooseCertType(types, { typeId: 'driving-licence', version: 1 }, 'transport').version).toBe(1);
    expect(chooseCertType(types, { typeId: 'driving-licence' }, 'transport').version).toBe(2);
    expect(chooseCertType(types, { typeId: 'driving-licence' }, 'police').version).toBe(3);
  });

  it('refuses unknown types and versions and issuers not authorised, saying what exists', () => {
    expect(() => chooseCertType(types, { typeId: 'passport' }, 'transport')).toThrow('the ledger has no certificate type "passport" (registered: driving-licence@1, driving-licence@2, driving-licence@3)');
    expect(() => chooseCertType(types, { typeId: 'driving-licence', version: 4 }, 'transport')).toThrow('no version 4 of driving-licence (registered: 1, 2, 3)');
    expect(() => chooseCertType(types, { typeId: 'driving-licence', version: 3 }, 'transport')).toThrow('"transport" is not authorised to issue driving-licence@3 (authorised: police)');
    expect(() => chooseCertType(types, { typeId: 'driving-licence' }, 'health')).toThrow('"health" is not authorised to issue any version of driving-licence');
  });
});

describe('the issuer key', () => {
  const [old, current] = ['aa'.repeat(32), 'bb'.repeat(32)];
  const issuer = (overrides: Partial<IssuerAnswer> = {}): IssuerAnswer => ({
    displayName: 'Department of Transport',
    keys: [
      { publicKey: old, compromisedFromHeight: 5 },
      { publicKey: current, compromisedFromHeight: null },
    ],
    suspended: false,
    ...overrides,
  });
  const key = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

  it("must be the department's current key", () => {
    expect(() => requireCanIssue('transport', issuer(), key(current))).not.toThrow();
    expect(() => requireCurrentKey('transport', issuer(), key(old))).toThrow(`the key file holds a retired key of "transport"; its current key is ${current}`);
    expect(() => requireCurrentKey('transport', issuer(), key('cc'.repeat(32)))).toThrow('the key file holds no key of "transport"');
  });

  it('cannot issue for a suspended department or with a key declared compromised', () => {
    expect(() => requireCanIssue('transport', issuer({ suspended: true }), key(current))).toThrow('"transport" is suspended');
    const compromised = issuer({ keys: [{ publicKey: current, compromisedFromHeight: 9 }] });
    expect(() => requireCanIssue('transport', compromised, key(current))).toThrow('declared compromised from height 9');
    expect(() => requireCurrentKey('transport', compromised, key(current))).not.toThrow();
  });
});

describe('the type schema', () => {
  it('comes from --schema, else from the network folder', () => {
    expect(schemaFileFor(type(1, []), 'mine.json', 'net')).toBe('mine.json');
    expect(schemaFileFor(type(2, []), undefined, 'net')).toBe(join('net', 'schemas', 'driving-licence-v2.schema.json'));
    expect(() => schemaFileFor(type(1, []), undefined, undefined)).toThrow('--schema <file> or --network <dir>');
  });

  it('must hash to the schema hash on the ledger; the error gives both hashes', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(licenceSchema, null, 4));
    expect(readTypeSchema(good, type(1, []))).toEqual(licenceSchema);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify(NURSE_LICENCE_SCHEMA));
    const otherHash = toHex(schemaHash(structuredClone(NURSE_LICENCE_SCHEMA) as unknown as JsonObject));
    expect(() => readTypeSchema(other, type(1, []))).toThrow(`it hashes to ${otherHash}, the ledger holds ${type(1, []).schemaHash}`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"type": "thing"}');
    expect(() => readTypeSchema(broken, type(1, []))).toThrow(/broken\.json: the certificate type schema is not valid JSON Schema/);
    expect(() => readTypeSchema(join(dir, 'missing.json'), type(1, []))).toThrow(/cannot read the schema/);
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 64 << 20);
    expect(() => readTypeSchema(huge, type(1, []))).toThrow(/cannot read the schema .*huge\.json: it is 67108864 bytes; the schema is at most \d+/);
  });
});
