import { toHex } from '@certledger/codec';
import { testSigner } from '@certledger/ledger/testing';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseApiUrl, parseDateTime, parseFieldList, parseHash, parseIdentifier, parseIdentifierList, parseInteger, parsePublicKey, parseReason, parseText, parseTypeReference, parseWebPageUrl } from './options.js';

describe('argument parsers', () => {
  it('parseInteger accepts whole numbers in range only', () => {
    const wait = parseInteger(0, 60);
    expect(wait('0')).toBe(0);
    expect(wait('60')).toBe(60);
    for (const text of ['61', '-1', '1.5', '', ' ', 'ten', '1e1', '0x10', 'Infinity']) {
      expect(() => wait(text), JSON.stringify(text)).toThrow(InvalidArgumentError);
    }
    expect(() => wait('61')).toThrow('expected a whole number from 0 to 60');
  });

  it('parseApiUrl keeps scheme, host and port and refuses the rest', () => {
    expect(parseApiUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parseApiUrl('https://node.example.gov/')).toBe('https://node.example.gov');
    expect(() => parseApiUrl('127.0.0.1:8080')).toThrow(/expected a URL such as/);
    expect(() => parseApiUrl('localhost:8080')).toThrow(/http or https/);
    expect(() => parseApiUrl('not a url')).toThrow(/expected a URL/);
    expect(() => parseApiUrl('ftp://host')).toThrow(/not ftp:/);
    for (const text of ['http://host/v1', 'http://host?x=1']) expect(() => parseApiUrl(text), text).toThrow(/only scheme, host and port/);
    expect(() => parseApiUrl('http://u:p@host')).toThrow(/without a user name or password/);
  });

  it('parseDateTime takes date-times with a time zone on real calendar days', () => {
    for (const text of ['2026-01-01T00:00:00Z', '2028-02-29T23:59:59.5+01:00', '2026-12-31T12:00:00-05:30']) expect(parseDateTime(text)).toBe(text);
    for (const text of ['2026-01-01', '2026-01-01T00:00:00', '2026-02-30T00:00:00Z', '2027-02-29T00:00:00Z', '2026-01-01T24:00:01Z', '2026-13-01T00:00:00Z', 'tomorrow']) {
      expect(() => parseDateTime(text), text).toThrow(/expected a date-time with a time zone/);
    }
  });

  it('parseIdentifier and parseTypeReference take ledger ids, with an optional version for types', () => {
    expect(parseIdentifier('transport')).toBe('transport');
    for (const text of ['Transport', '-x', 'a_b', 'x'.repeat(64), '']) expect(() => parseIdentifier(text), text).toThrow(InvalidArgumentError);
    expect(parseTypeReference('driving-licence')).toEqual({ typeId: 'driving-licence' });
    expect(parseTypeReference('driving-licence@12')).toEqual({ typeId: 'driving-licence', version: 12 });
    for (const text of ['driving-licence@', 'driving-licence@0', 'driving-licence@01', 'driving-licence@1.5', '@1', 'Driving@1', 'a@1@2']) {
      expect(() => parseTypeReference(text), text).toThrow(/expected a certificate type id/);
    }
  });

  it('parseHash takes 64 hex digits and lowercases them', () => {
    expect(parseHash('AB'.repeat(32))).toBe('ab'.repeat(32));
    for (const text of ['ab'.repeat(31), 'ab'.repeat(33), 'zz'.repeat(32), '']) expect(() => parseHash(text), text).toThrow('expected 64 hex digits');
  });

  it('parseReason takes 1 to 200 characters without control characters', () => {
    expect(parseReason('licence withdrawn')).toBe('licence withdrawn');
    expect(parseReason('x'.repeat(200))).toHaveLength(200);
    for (const text of ['', '   ', 'x'.repeat(201), 'two\nlines', 'tab\there']) expect(() => parseReason(text), JSON.stringify(text)).toThrow(InvalidArgumentError);
  });

  it('parseText takes up to its length, not blank and without control characters', () => {
    expect(parseText(5)('abcde')).toBe('abcde');
    for (const text of ['', ' ', 'abcdef', 'a\u007f']) expect(() => parseText(5)(text), JSON.stringify(text)).toThrow('expected a text of 1 to 5 characters');
  });

  it('parseIdentifierList sorts ids and drops repeats', () => {
    expect(parseIdentifierList('transport, health,transport')).toEqual(['health', 'transport']);
    for (const text of ['', 'a,,b', 'Transport', 'a b']) expect(() => parseIdentifierList(text), text).toThrow(/is not an id/);
  });

  it('parsePublicKey takes 64 hex digits of a usable Ed25519 key and says what is wrong otherwise', () => {
    const key = testSigner('options').publicKey;
    expect(parsePublicKey(toHex(key).toUpperCase())).toEqual(key);
    expect(() => parsePublicKey('ab'.repeat(31))).toThrow('expected an Ed25519 public key as 64 hex digits (32 bytes), not 62 digits');
    expect(() => parsePublicKey('zz'.repeat(32))).toThrow('this holds other characters');
    expect(() => parsePublicKey('00'.repeat(32))).toThrow('not a valid Ed25519 public key');
  });

  it('parseFieldList splits on commas and refuses empty names', () => {
    expect(parseFieldList('dateOfBirth, address.street')).toEqual(['dateOfBirth', 'address.street']);
    expect(parseFieldList('/address/street')).toEqual(['/address/street']);
    for (const text of ['', 'a,,b', 'address.', '.x', 'a..b']) expect(() => parseFieldList(text), text).toThrow(/is not a field name/);
  });

  it('parseWebPageUrl takes http(s) pages with a path, not other schemes or credentials', () => {
    expect(parseWebPageUrl('https://verify.example.gov/check')).toBe('https://verify.example.gov/check');
    expect(() => parseWebPageUrl('javascript:alert(1)')).toThrow(/http or https/);
    expect(() => parseWebPageUrl('https://u:p@verify.example.gov/')).toThrow(/without a user name/);
    expect(() => parseWebPageUrl('verify.example.gov')).toThrow(/expected a URL/);
  });
});
