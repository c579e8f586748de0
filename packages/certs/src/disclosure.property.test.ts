import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discloseCertificate } from './disclose.js';
import type { Json, JsonObject } from './json.js';
import { TestChain } from './test-support.js';
import { verifyCertificate } from './verify.js';

const NOW = Date.parse('2027-06-01T00:00:00Z');
const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__proto__');
/** Issuance refuses integers past 2^53 - 1 (issue.test.ts): such a value becomes the largest it takes. */
function withSafeIntegers(value: Json): Json {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value) ? Math.sign(value) * Number.MAX_SAFE_INTEGER : value;
  if (Array.isArray(value)) return value.map(withSafeIntegers);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSafeIntegers(v)]));
}
const jsonValue = (fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>).map(withSafeIntegers);
const record = fc.dictionary(key, jsonValue, { minKeys: 1, maxKeys: 8 });

function pointer(k: string): string {
  return `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** A change to a value that any honest reading of the fields would notice. */
function altered(value: Json): Json {
  if (typeof value === 'string') return `${value}x`;
  // +1 where it changes the number, else halve it: never overflow to a non-JSON Infinity.
  if (typeof value === 'number') return value + 1 !== value ? value + 1 : value / 2;
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 0;
  if (Array.isArray(value)) return [...value, {}];
  return { ...value, 'inserted-key': {} };
}

describe('disclosure and tampering, for random records (property)', () => {
  const chain = new TestChain();

  it('a certificate with any set of top-level fields hidden verifies; changing any shown field is caught', async () => {
    await fc.assert(
      fc.asyncProperty(record, fc.infiniteStream(fc.boolean()), fc.nat(), async (fields, hideFlags, pick) => {
        const { credentials } = chain.issue([fields], { schema: { type: 'object' } });
        const keys = Object.keys(fields);
        const hide = keys.filter(() => hideFlags.next().value as boolean);
        const shown = discloseCertificate(credentials[0]!, hide.map(pointer));
        const result = await verifyCertificate(shown, { now: NOW, ledger: chain.view });
        expect(result.valid).toBe(true);
        const visible = keys.filter((k) => !hide.includes(k));
        if (visible.length === 0) return;
        const target = visible[pick % visible.length]!;
        const tampered = structuredClone(shown);
        const subject = tampered.credentialSubject as JsonObject;
        subject[target] = altered(subject[target] as Json);
        expect((await verifyCertificate(tampered, { now: NOW, ledger: chain.view })).reason).toBe('TAMPERED');
      }),
      { numRuns: 150 },
    );
  });
});
