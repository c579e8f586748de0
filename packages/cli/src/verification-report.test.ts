import type { CredentialSummary, VerificationResult } from '@certledger/certs';
import { describe, expect, it } from 'vitest';
import { describeVerification, fieldLines } from './verification-report.js';

const summary: CredentialSummary = {
  id: 'urn:uuid:1',
  issuerId: 'transport',
  issuerName: 'Department of Transport',
  issuerKey: 'did:key:z6Mk',
  issuerSuspended: null,
  typeId: 'driving-licence',
  typeVersion: 1,
  typeName: 'Driving licence',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: null,
  fields: { name: 'Ann', categories: ['B', 'BE'], address: { city: 'London' }, organDonor: true },
  hiddenFieldCount: 2,
  root: 'aa',
  leaf: 'bb',
  anchor: { height: 7, txId: 'cc', blockHash: null },
  revocation: { reason: 'withdrawn', height: 9 },
};

const result: VerificationResult = {
  valid: false,
  reason: 'REVOKED',
  checks: [
    { name: 'integrity', outcome: 'pass', message: 'every field matches' },
    { name: 'dataIntegrity', outcome: 'skip', message: 'no proof' },
    { name: 'revocation', outcome: 'fail', reason: 'REVOKED', message: 'revoked at height 9: withdrawn' },
  ],
  summary,
};

describe('the verification report', () => {
  it('marks each check ✓, – or ✗ with its message, then the summary and the verdict', () => {
    const lines = describeVerification(result).split('\n');
    expect(lines.slice(0, 3)).toEqual(['✓ integrity      every field matches', '– dataIntegrity  no proof', '✗ revocation     revoked at height 9: withdrawn']);
    expect(lines).toContain('  department    Department of Transport (transport)');
    expect(lines).toContain('  type          Driving licence (driving-licence@1)');
    expect(lines).toContain('  valid until   no end date');
    expect(lines).toContain('  fields        name: Ann');
    expect(lines).toContain('                address.city: London');
    expect(lines).toContain('  hidden fields 2');
    expect(lines).toContain('  revoked       at height 9: withdrawn');
    expect(lines.at(-1)).toBe('NOT VALID (REVOKED)');
  });

  it('says VALID for a valid certificate and shows only the checks of a malformed one', () => {
    expect(describeVerification({ ...result, valid: true, reason: null }).split('\n').at(-1)).toBe('VALID');
    const malformed = describeVerification({ valid: false, reason: 'MALFORMED', checks: [{ name: 'format', outcome: 'fail', reason: 'MALFORMED', message: 'not JSON' }], summary: null });
    expect(malformed).toBe('✗ format  not JSON\n\nNOT VALID (MALFORMED)');
  });

  it('lists nested fields by dotted path and lists by their items', () => {
    expect(fieldLines({ a: { b: { c: 1 } }, list: [1, 'x', { k: null }], none: null })).toEqual(['a.b.c: 1', 'list: 1, x, {"k":null}', 'none: null']);
  });
});
