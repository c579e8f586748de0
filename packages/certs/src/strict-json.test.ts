import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, parseStrictJson } from './strict-json.js';

/** A key as JSON text, plainly or with every UTF-16 unit as a \u escape: JSON.parse reads both the same. */
function keyText(key: string, escaped: boolean): string {
  if (!escaped) return JSON.stringify(key);
  return `"${Array.from({ length: key.length }, (_, i) => `\\u${key.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`;
}

const key = fc.oneof(fc.constantFrom('a', 'b', '~/', '__proto__', ':', '"', '\\'), fc.string({ unit: 'binary', maxLength: 3 }));
const value = fc.jsonValue({ maxDepth: 2 });

describe('parseStrictJson', () => {
  it('refuses exactly the texts with a key twice in one object, naming its path (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value, fc.boolean()), { maxLength: 6 }), value, (members, before) => {
        const object = `{${members.map(([k, v, escaped]) => `${keyText(k, escaped)}:${JSON.stringify(v)}`).join(',')}}`;
        const text = `[${JSON.stringify(before)}, {"inner": ${object}}]`;
        if (new Set(members.map(([k]) => k)).size < members.length) {
          expect(() => parseStrictJson(text)).toThrow(/^duplicate key ".*" at \/1\/inner\/.*: a certificate names each field once$/s);
        } else {
          expect(JSON.stringify(parseStrictJson(text))).toBe(JSON.stringify(JSON.parse(text)));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses nesting past MAX_NESTING before walking it, and text that is not JSON', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(() => parseStrictJson(nested(MAX_NESTING))).not.toThrow();
    expect(() => parseStrictJson(nested(MAX_NESTING + 1))).toThrow(`nests lists and objects ${MAX_NESTING + 1} levels deep`);
    expect(() => parseStrictJson(`{"a":1,"a":${nested(200_000)}}`)).toThrow(/200001 levels deep/);
    expect(() => parseStrictJson('{"a":1,}')).toThrow(/^the file is not JSON/);
  });
});
