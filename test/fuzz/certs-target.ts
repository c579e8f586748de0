import { CHECK_ORDER, verifyCertificate, type VerificationResult } from '@certledger/certs';
import fc from 'fast-check';
import { SAMPLE_RECORDS, TestChain } from '../../packages/certs/src/test-support.js';
import type { FuzzTarget } from './harness.js';
import { applyEdits, byteEdits, replaceInJson } from './mutations.js';

const NOW = Date.parse('2027-06-01T00:00:00Z');

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function expectWellFormed(result: VerificationResult, how: string): void {
  const names = result.checks.map((check) => check.name).join(',');
  if (names !== CHECK_ORDER.join(',')) throw new Error(`${how} verification reported the checks ${names}`);
  if (result.valid !== result.checks.every((check) => check.outcome !== 'fail')) throw new Error(`${how} verification says valid=${result.valid} against its own checks`);
}

/**
 * Certificate files as a holder or forger could hand them over: the file's bytes edited, a value
 * anywhere in it replaced or removed, or anything else. Verification, online against the
 * ledger and offline against the validator set, always answers in full, and says "valid" only
 * for a file that still says what was issued.
 */
export async function startCertsTarget(): Promise<FuzzTarget<unknown>> {
  const chain = new TestChain();
  const original = chain.issue(SAMPLE_RECORDS).credentials[0]!;
  const text = new TextEncoder().encode(JSON.stringify(original, null, 1));
  const parsed = (input: unknown): unknown => {
    try {
      return input instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(input)) : input;
    } catch {
      return undefined;
    }
  };
  /**
   * What a verified file vouches for: the credential, all but its proofs. Evidence in the proofs
   * may vary and still verify (W3C proofs are extensible; online, the ledger stands in for the
   * anchor location), but never what the certificate says.
   */
  const credentialOf = (value: unknown): string => JSON.stringify(isObject(value) ? { ...value, proof: undefined } : value);
  const issued = credentialOf(original);
  return {
    name: 'certs/file',
    arbitrary: fc.oneof(
      { arbitrary: byteEdits.map((edits) => applyEdits(text, edits)), weight: 4 },
      { arbitrary: fc.tuple(fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })).map(([place, value]) => replaceInJson(original, place, value)), weight: 4 },
      { arbitrary: fc.oneof(fc.jsonValue(), fc.string(), fc.uint8Array({ maxLength: 300 })), weight: 1 },
    ),
    run: async (input) => {
      const online = await verifyCertificate(input, { now: NOW, ledger: chain.view });
      const offline = await verifyCertificate(input, { now: NOW, trust: chain.trust });
      expectWellFormed(online, 'online');
      expectWellFormed(offline, 'offline');
      const value = parsed(input);
      if ((online.valid || offline.valid) && credentialOf(value) !== issued) throw new Error(`a changed certificate passed ${online.valid ? 'online' : 'offline'} verification`);
      return `online ${online.reason ?? 'valid'}, offline ${offline.reason ?? 'valid'}`;
    },
  };
}
