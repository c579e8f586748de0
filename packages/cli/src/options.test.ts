import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseApiUrl, parseInteger } from './options.js';

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
    for (const text of ['http://host/v1', 'http://host?x=1', 'http://u:p@host']) expect(() => parseApiUrl(text), text).toThrow(/only scheme, host and port/);
  });
});
