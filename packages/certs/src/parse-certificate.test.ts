import { describe, expect, it } from 'vitest';
import { CertificateError } from './errors.js';
import { parseCertificate } from './parse-certificate.js';
import { SAMPLE_RECORDS, TestChain } from './test-support.js';
import { verifyCertificate } from './verify.js';

const NOW = Date.parse('2027-06-01T00:00:00Z');

function malformedMessage(input: unknown): string {
  try {
    parseCertificate(input);
  } catch (err) {
    if (err instanceof CertificateError && err.code === 'MALFORMED') return err.message;
    throw err;
  }
  throw new Error('the certificate was accepted');
}

describe('parseCertificate reads certificate text strictly', () => {
  const chain = new TestChain();
  const [ada] = chain.issue(SAMPLE_RECORDS).credentials;
  const text = JSON.stringify(ada);

  it('refuses a key twice in one object, naming its path, where JSON.parse would keep the last', async () => {
    // Another reader keeping the first "name" would show Mallory on a certificate that verifies as Ada.
    const twoNames = text.replace('"credentialSubject":{', '"credentialSubject":{"name":"Mallory",');
    expect(malformedMessage(twoNames)).toMatch(/duplicate key "name" at \/credentialSubject\/name/);
    const result = await verifyCertificate(twoNames, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('MALFORMED');
    expect(malformedMessage(new TextEncoder().encode(twoNames))).toMatch(/\/credentialSubject\/name/);
  });

  it('compares keys after unescaping, at every depth, and at the top', () => {
    expect(malformedMessage(text.replace('"credentialSubject":{', '"credentialSubject":{"n\\u0061me":"Mallory",'))).toMatch(/\/credentialSubject\/name/);
    expect(malformedMessage(text.replace('"city":"London"', '"city":"Paris","city":"London"'))).toMatch(/\/credentialSubject\/address\/city/);
    expect(malformedMessage(text.replace('"proof":{', '"proof":{"leafIndex":1,'))).toMatch(/\/proof\/leafIndex/);
    expect(malformedMessage(`{"id":"a",${text.slice(1)}`)).toMatch(/duplicate key "id" at \/id/);
    expect(malformedMessage('{"a/b~":[{"x":1,"x":2}]}')).toMatch(/\/a~1b~0\/0\/x/);
  });

  it('accepts the same key in different objects, as every certificate has', () => {
    expect(parseCertificate(text).id).toBe(ada!.id);
  });

  it('refuses bytes that are not UTF-8 rather than reading them as U+FFFD', async () => {
    // A certificate issued with U+FFFD in a field; the file with one invalid byte in its place
    // would otherwise verify as the same certificate.
    const [replacement] = chain.issue([{ ...SAMPLE_RECORDS[0], name: 'Ada \uFFFD' }]).credentials;
    const bytes = new TextEncoder().encode(JSON.stringify(replacement));
    const at = bytes.findIndex((byte, i) => byte === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd);
    const invalid = Uint8Array.from([...bytes.subarray(0, at), 0xff, ...bytes.subarray(at + 3)]);
    expect((await verifyCertificate(bytes, { now: NOW, ledger: chain.view })).valid).toBe(true);
    expect(malformedMessage(invalid)).toMatch(/not valid UTF-8/);
    expect((await verifyCertificate(invalid, { now: NOW, ledger: chain.view })).reason).toBe('MALFORMED');
  });
});
