import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decode, encode } from '@certledger/codec';
import { testSigner } from '@certledger/ledger/testing';
import { findAnchorProof, withAnchorProof, type AnchorProof } from './anchor-proof.js';
import { didKeyFromPublicKey } from './data-integrity/multikey.js';
import { discloseCertificate } from './disclose.js';
import type { JsonObject } from './json.js';
import { parseCertificate } from './parse-certificate.js';
import { SAMPLE_RECORDS, TestChain } from './test-support.js';
import type { VerificationResult } from './verification-types.js';
import type { verifyCertificate } from './verify.js';

/*
 * What verification remembers from one certificate to the next (a batch's anchor transaction,
 * issuer key, location, unsalted field digests, upper Merkle nodes) must never change a
 * verdict: a certificate gets the result it gets from a verifier that has seen nothing else.
 */

const NOW = Date.parse('2027-06-01T00:00:00Z');

const records = [...SAMPLE_RECORDS, ...['Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', 'Frances Allen', 'John Backus'].map((name, i) => ({ name, licenceNumber: `XY10000${i}` }))];
const chain = new TestChain();
const { credentials } = chain.issue(records);
const other = chain.issue(records.slice(0, 4)).credentials;

function withProof(credential: JsonObject, change: (proof: AnchorProof) => Partial<AnchorProof>): JsonObject {
  const { proof } = findAnchorProof(credential);
  return withAnchorProof(credential, { ...proof, ...change(proof) });
}

function flipped(bytes: Uint8Array, at = 0): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at % copy.length] = (copy[at % copy.length] as number) ^ 1;
  return copy;
}

function edited(credential: JsonObject, edit: (copy: JsonObject) => void): JsonObject {
  const copy = structuredClone(credential);
  edit(copy);
  return copy;
}

const withoutLocation = (credential: JsonObject) => withProof(credential, () => ({ anchor: null }));

/** Certificates of two batches, genuine and altered in every way that must fail. */
const files: Record<string, JsonObject> = {
  ...Object.fromEntries(credentials.map((c, i) => [`genuine ${i}`, c])),
  'genuine, no location': withoutLocation(credentials[4]!),
  'genuine, other batch': other[2]!,
  'genuine, fields hidden': discloseCertificate(credentials[0]!, ['address.street', 'points']),
  'a subject field changed': edited(credentials[1]!, (c) => ((c.credentialSubject as JsonObject).name = 'Grace Hoppex')),
  'the issuer name changed': edited(credentials[2]!, (c) => ((c.issuer as JsonObject).name = 'Department of Fraud')),
  'validUntil changed': edited(credentials[3]!, (c) => (c.validUntil = '2099-01-01T00:00:00Z')),
  'validFrom and validUntil swapped': edited(credentials[4]!, (c) => ([c.validFrom, c.validUntil] = [c.validUntil!, c.validFrom!])),
  'a salt changed': withProof(credentials[5]!, (p) => ({ salts: new Map([...p.salts].map(([k, v], i) => [k, i === 0 ? flipped(v) : v])) })),
  'a hidden digest changed': withProof(discloseCertificate(credentials[0]!, ['points']), (p) => ({ hiddenDigests: p.hiddenDigests.map((d) => flipped(d)) })),
  'the path of another certificate': withProof(credentials[4]!, () => ({ inclusionPath: findAnchorProof(credentials[5]!).proof.inclusionPath })),
  'the top sibling changed': withProof(credentials[6]!, (p) => ({ inclusionPath: p.inclusionPath.map((h, i) => (i === p.inclusionPath.length - 1 ? flipped(h, 9) : h)) })),
  'the lowest sibling changed': withProof(credentials[7]!, (p) => ({ inclusionPath: p.inclusionPath.map((h, i) => (i === 0 ? flipped(h, 3) : h)) })),
  'the index of its sibling': withProof(credentials[3]!, () => ({ leafIndex: 2 })),
  'the upper path of the other batch': withProof(credentials[1]!, (p) => ({ inclusionPath: [...p.inclusionPath.slice(0, -1), findAnchorProof(other[1]!).proof.inclusionPath.at(-1)!] })),
  'the anchor signature changed': withProof(credentials[2]!, (p) => {
    const [body, signature, approvals] = decode(p.anchorTransaction) as [Uint8Array, Uint8Array, []];
    return { anchorTransaction: encode([body, flipped(signature, 5), approvals]) };
  }),
  'another issuer key named': edited(credentials[5]!, (c) => ((c.issuer as JsonObject).id = didKeyFromPublicKey(testSigner('someone-else').publicKey))),
  'the location in another block': withProof(credentials[6]!, (p) => ({ anchor: { ...p.anchor!, txIndex: 1, txCount: 2 } })),
  'the location header changed': withProof(credentials[7]!, (p) => ({ anchor: { ...p.anchor!, header: flipped(p.anchor!.header, 7) } })),
  'a malformed inclusion path': edited(credentials[0]!, (c) => ((c.proof as JsonObject).inclusionPath = ['ab'])),
};
const names = Object.keys(files);
const texts = Object.fromEntries(names.map((name) => [name, JSON.stringify(files[name])]));

/** verifyCertificate from freshly loaded modules: nothing remembered from earlier certificates. */
async function freshVerifier(): Promise<typeof verifyCertificate> {
  vi.resetModules();
  return (await import('./verify.js')).verifyCertificate;
}

const verdicts: Record<string, VerificationResult> = {};
for (const name of names) verdicts[name] = await (await freshVerifier())(texts[name], { now: NOW, ledger: chain.view });

describe('what verification remembers between certificates', () => {
  it('the genuine files verify and every altered one fails with its own reason', () => {
    const reasons = Object.fromEntries(names.map((name) => [name, verdicts[name]!.reason]));
    for (const name of names) expect(reasons[name] === null, name).toBe(name.startsWith('genuine'));
    expect(reasons).toMatchObject({
      'a subject field changed': 'TAMPERED',
      'the issuer name changed': 'TAMPERED',
      'validFrom and validUntil swapped': 'TAMPERED',
      'the path of another certificate': 'TAMPERED',
      'the top sibling changed': 'TAMPERED',
      'the index of its sibling': 'TAMPERED',
      'the upper path of the other batch': 'TAMPERED',
      'the anchor signature changed': 'BAD_SIGNATURE',
      'another issuer key named': 'TAMPERED',
      'the location in another block': 'NOT_ANCHORED',
      'the location header changed': 'NOT_ANCHORED',
      'a malformed inclusion path': 'MALFORMED',
    });
  });

  it('gives each file the result a fresh verifier gives it, in any order and after any others', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 40 }), async (order) => {
        const verify = await freshVerifier();
        for (const name of order) expect(await verify(texts[name], { now: NOW, ledger: chain.view }), name).toEqual(verdicts[name]);
      }),
      { numRuns: 40 },
    );
  });

  it('a tampered certificate fails after the rest of its batch verified, online and offline', async () => {
    const verify = await freshVerifier();
    for (const credential of credentials) expect((await verify(credential, { now: NOW, trust: chain.trust })).valid).toBe(true);
    for (const name of ['the top sibling changed', 'the path of another certificate', 'the index of its sibling', 'a subject field changed']) {
      expect((await verify(texts[name], { now: NOW, ledger: chain.view })).reason, name).toBe('TAMPERED');
      expect((await verify(texts[name], { now: NOW, trust: chain.trust })).reason, name).toBe('TAMPERED');
    }
  });

  it('parsing shares one frozen anchor transaction and one issuer key per batch', () => {
    const [first, second] = [credentials[0]!, credentials[1]!].map((c) => parseCertificate(JSON.stringify(c)));
    expect(second!.anchorTx).toBe(first!.anchorTx);
    expect(second!.issuerKey).toBe(first!.issuerKey);
    for (const frozen of [first!.anchorTx, first!.anchorTx.body, first!.anchorAction]) expect(Object.isFrozen(frozen)).toBe(true);
    expect(() => ((first!.anchorAction as { leafCount: number }).leafCount = 1)).toThrow(TypeError);
  });
});
