import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECK_ORDER } from './verification-types.js';
import { SAMPLE_RECORDS, TestChain } from './test-support.js';
import { verifyCertificate } from './verify.js';

const NOW = Date.parse('2027-06-01T00:00:00Z');
const RUNS = Number(process.env.CERTLEDGER_FUZZ_RUNS ?? 300);

/**
 * Fuzzing the certificate-file reader: mutated bytes, mutated JSON structure and arbitrary
 * JSON must always give a full result (never an exception), and never "valid" unless the
 * mutation kept the certificate's meaning (e.g. whitespace only).
 */
describe('certificate file fuzzing', () => {
  const chain = new TestChain();
  const original = chain.issue(SAMPLE_RECORDS).credentials[0]!;
  const text = JSON.stringify(original, null, 1);
  const canonical = JSON.stringify(original);

  const expectWellFormedResult = (result: Awaited<ReturnType<typeof verifyCertificate>>) => {
    expect(result.checks.map((c) => c.name)).toEqual(CHECK_ORDER);
    expect(result.valid).toBe(result.checks.every((c) => c.outcome !== 'fail'));
  };

  /** Online the ledger answers for the anchor; offline the file must: together they cover every byte. */
  const validBothWays = async (input: unknown): Promise<boolean> => {
    const online = await verifyCertificate(input, { now: NOW, ledger: chain.view });
    const offline = await verifyCertificate(input, { now: NOW, trust: chain.trust });
    expectWellFormedResult(online);
    expectWellFormedResult(offline);
    return online.valid && offline.valid;
  };

  const sameMeaning = (candidate: string): boolean => {
    try {
      return JSON.stringify(JSON.parse(candidate)) === canonical;
    } catch {
      return false;
    }
  };

  it('byte flips, deletions and insertions in the file', async () => {
    const edit = fc.record({ at: fc.nat(text.length - 1), kind: fc.constantFrom('flip', 'delete', 'insert'), byte: fc.integer({ min: 0, max: 255 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const bytes = [...new TextEncoder().encode(text)];
        for (const { at, kind, byte } of edits) {
          const i = Math.min(at, bytes.length - 1);
          if (kind === 'flip') bytes[i] = (bytes[i] as number) ^ (byte || 1);
          else if (kind === 'delete') bytes.splice(i, 1);
          else bytes.splice(i, 0, byte);
        }
        const mutated = Uint8Array.from(bytes);
        if (await validBothWays(mutated)) expect(sameMeaning(new TextDecoder().decode(mutated))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('values replaced anywhere in the structure by arbitrary JSON', async () => {
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(original, []);
    await fc.assert(
      fc.asyncProperty(fc.nat(paths.length - 1), fc.jsonValue({ maxDepth: 2 }), async (index, replacement) => {
        const path = paths[index]!;
        const copy = structuredClone(original) as Record<string | number, unknown>;
        if (path.length === 0) return;
        let parent: Record<string | number, unknown> = copy;
        for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
        parent[path.at(-1)!] = replacement;
        if (await validBothWays(copy)) expect(JSON.stringify(copy)).toBe(canonical);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary JSON and text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.string(), fc.uint8Array({ maxLength: 300 })), async (input) => {
        expect(await validBothWays(input)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
