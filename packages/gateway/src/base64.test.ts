import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from './base64.js';

describe('decodeBase64Strict', () => {
  it('decodes whatever standard base64 encodes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
      expect(decodeBase64Strict(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }));
  });

  it('accepts a text only when it is the one canonical encoding of its bytes', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'AQgw+/=-_ \nZz9'), maxLength: 24 }), (text) => {
      const bytes = decodeBase64Strict(text);
      if (bytes) expect(Buffer.from(bytes).toString('base64')).toBe(text);
    }));
  });

  it('refuses the near misses Node would quietly accept', () => {
    for (const text of ['', 'QQ', 'QR==', 'QQ==QQ==', 'Q Q==', 'QQ==\n', '-_-_', 'Zg=', 'Zm9v\u0000']) expect(decodeBase64Strict(text), JSON.stringify(text)).toBeUndefined();
  });
});
