import { describe, expect, it } from 'vitest';
import { base64 } from '@scure/base';
import { decode, encode, toHex } from '@certledger/codec';
import { makeTx, testSeed, testSigner } from '@certledger/ledger/testing';
import { addEddsaJcsProof, verifyEddsaJcsProof } from './data-integrity/eddsa-jcs-2022.js';
import { didKeyFromPublicKey, publicKeyFromDidKey } from './data-integrity/multikey.js';
import { merkleRoot } from '@certledger/merkle';
import { SALT_BYTES, findAnchorProof, withAnchorProof } from './anchor-proof.js';
import { buildCredential } from './credential.js';
import { leafFromDisclosure, saltSubject } from './leaf.js';
import { discloseCertificate } from './disclose.js';
import type { JsonObject } from './json.js';
import type { LedgerView } from './ledger-view.js';
import { SAMPLE_RECORDS, TestChain, seededRandomBytes } from './test-support.js';
import type { FailureReason, VerificationResult } from './verification-types.js';
import { verifyCertificate } from './verify.js';

const NOW = Date.parse('2027-06-01T00:00:00Z');

function reasonOf(result: VerificationResult): FailureReason | null {
  return result.reason;
}

function edited(credential: JsonObject, edit: (copy: JsonObject) => void): JsonObject {
  const copy = structuredClone(credential);
  edit(copy);
  return copy;
}

function subjectOf(credential: JsonObject): JsonObject {
  return credential.credentialSubject as JsonObject;
}

describe('verifyCertificate on an issued, anchored certificate', () => {
  const chain = new TestChain();
  const { credentials } = chain.issue(SAMPLE_RECORDS);
  const ada = credentials[0]!;

  it('passes every check online, with the department and type named from the ledger', async () => {
    const result = await verifyCertificate(ada, { now: NOW, ledger: chain.view });
    expect(result.checks.map((c) => [c.name, c.outcome])).toEqual([
      ['format', 'pass'],
      ['integrity', 'pass'],
      ['signature', 'pass'],
      ['dataIntegrity', 'skip'],
      ['issuer', 'pass'],
      ['authorisation', 'pass'],
      ['anchor', 'pass'],
      ['revocation', 'pass'],
      ['validity', 'pass'],
    ]);
    expect(result.valid).toBe(true);
    expect(result.summary).toMatchObject({ issuerId: 'transport', issuerName: 'Department of Transport', typeName: 'Driving licence', hiddenFieldCount: 0 });
    expect(result.summary?.fields).toEqual(SAMPLE_RECORDS[0]);
  });

  it('passes offline from the header and commit in the file, leaving revocation unchecked', async () => {
    const result = await verifyCertificate(JSON.stringify(ada), { now: NOW, trust: chain.trust });
    expect(result.valid).toBe(true);
    expect(result.checks.find((c) => c.name === 'revocation')?.outcome).toBe('skip');
    expect(result.checks.find((c) => c.name === 'anchor')?.outcome).toBe('pass');
  });

  it('verifies every certificate of the batch, including empty lists and objects', async () => {
    for (const credential of credentials) {
      expect((await verifyCertificate(credential, { now: NOW, ledger: chain.view })).valid).toBe(true);
    }
  });

  it('MALFORMED: not JSON, no proof, a broken proof field', async () => {
    expect(reasonOf(await verifyCertificate('{"not": json', { now: NOW, ledger: chain.view }))).toBe('MALFORMED');
    const noProof = edited(ada, (c) => delete c.proof);
    expect(reasonOf(await verifyCertificate(noProof, { now: NOW, ledger: chain.view }))).toBe('MALFORMED');
    const badPath = edited(ada, (c) => ((c.proof as JsonObject).inclusionPath = ['zz']));
    const result = await verifyCertificate(badPath, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('MALFORMED');
    expect(result.checks[0]?.message).toContain('proof.inclusionPath[0]');
    expect(result.checks.slice(1).every((c) => c.outcome === 'skip')).toBe(true);
    const extraField = edited(ada, (c) => ((c.proof as JsonObject).note = 'x'));
    expect(reasonOf(await verifyCertificate(extraField, { now: NOW, ledger: chain.view }))).toBe('MALFORMED');
    const extraSalt = edited(ada, (c) => (((c.proof as JsonObject).salts as JsonObject)['/credentialSubject/ghost'] = 'AAAAAAAAAAAAAAAAAAAAAA'));
    expect(reasonOf(await verifyCertificate(extraSalt, { now: NOW, ledger: chain.view }))).toBe('TAMPERED');
  });

  it('TAMPERED: one character of a field, a type change, an inserted empty object or list, a removed field', async () => {
    const alterations: ((c: JsonObject) => void)[] = [
      (c) => (subjectOf(c).name = 'Ada Lovelacf'),
      (c) => (subjectOf(c).organDonor = 'true'),
      (c) => (subjectOf(c).points = '0'),
      (c) => (subjectOf(c).extra = {}),
      (c) => (subjectOf(c).extraList = []),
      (c) => ((subjectOf(c).notes as JsonObject).inner = {}),
      (c) => delete subjectOf(c).points,
      (c) => ((subjectOf(c).categories as string[]).reverse()),
      (c) => (c.validUntil = '2099-01-01T00:00:00Z'),
      (c) => ((c.issuer as JsonObject).name = 'Department of Fraud'),
    ];
    for (const alter of alterations) {
      const result = await verifyCertificate(edited(ada, alter), { now: NOW, ledger: chain.view });
      expect(result.reason, alter.toString()).toBe('TAMPERED');
    }
  });

  it('TAMPERED: a proof swapped in from another certificate of the same batch', async () => {
    const swapped = { ...ada, proof: credentials[1]!.proof } as JsonObject;
    expect(reasonOf(await verifyCertificate(swapped, { now: NOW, ledger: chain.view }))).toBe('TAMPERED');
  });

  it('BAD_SIGNATURE: one bit of the root signature flipped', async () => {
    const { proof } = findAnchorProof(ada);
    const [body, signature, approvals] = decode(proof.anchorTransaction) as [Uint8Array, Uint8Array, []];
    const forged = Uint8Array.from(signature);
    forged[5] = (forged[5] as number) ^ 1;
    const tampered = withAnchorProof(ada, { ...proof, anchorTransaction: encode([body, forged, approvals]) });
    const result = await verifyCertificate(tampered, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('BAD_SIGNATURE');
    expect(base64.encode(proof.anchorTransaction)).not.toBe(((tampered.proof as JsonObject).anchorTransaction as string));
  });

  it('WRONG_CHAIN and NOT_ANCHORED when asked of another chain or checked against other validators', async () => {
    const other = new TestChain();
    const foreignView: LedgerView = { ...other.view, chainId: 'another-chain' };
    expect(reasonOf(await verifyCertificate(ada, { now: NOW, ledger: foreignView }))).toBe('WRONG_CHAIN');
    expect(reasonOf(await verifyCertificate(ada, { now: NOW, ledger: other.view }))).toBe('NOT_ANCHORED');
    const strangers = [0, 1, 2, 3].map((i) => ({ publicKey: testSigner(`stranger-${i}`).publicKey, power: 10 }));
    const result = await verifyCertificate(ada, { now: NOW, trust: { chainId: chain.state.chainId, validators: strangers } });
    expect(result.reason).toBe('NOT_ANCHORED');
    expect(result.checks.find((c) => c.name === 'anchor')?.message).toContain('commit certificate');
    // Offline, the issuer's key is vouched for by the finalised block alone: with none, it is not judged.
    expect(result.checks.find((c) => c.name === 'issuer')?.outcome).toBe('skip');
  });

  it('NOT_ANCHORED: a signed batch that never reached the ledger, online and offline', async () => {
    const pending = new TestChain();
    const { credentials: issued } = pending.issue([SAMPLE_RECORDS[2]!]);
    const stripped = withAnchorProof(issued[0]!, { ...findAnchorProof(issued[0]!).proof, anchor: null });
    expect(reasonOf(await verifyCertificate(stripped, { now: NOW, ledger: chain.view }))).toBe('NOT_ANCHORED');
    expect(reasonOf(await verifyCertificate(stripped, { now: NOW, trust: chain.trust }))).toBe('NOT_ANCHORED');
  });

  it('EXPIRED and NOT_YET_VALID from the dates, judged at the time the caller gives', async () => {
    expect(reasonOf(await verifyCertificate(ada, { now: Date.parse('2031-01-02T00:00:00Z'), ledger: chain.view }))).toBe('EXPIRED');
    expect(reasonOf(await verifyCertificate(ada, { now: Date.parse('2025-12-31T00:00:00Z'), ledger: chain.view }))).toBe('NOT_YET_VALID');
    // A moment that is not one (Date.parse of a leap second) must not pass every date.
    await expect(verifyCertificate(ada, { now: Date.parse('2031-06-30T23:59:60Z'), ledger: chain.view })).rejects.toThrow(/milliseconds since the epoch, got NaN/);
  });

  it('NOT_AUTHORISED: a credential claiming another type than the one its batch was anchored as', async () => {
    const transport = chain.net.issuers.get('transport')!;
    const template = { chainId: chain.state.chainId, issuerPublicKey: transport.publicKey, issuerDisplayName: 'Department of Transport', typeId: 'nurse-licence', typeVersion: 1, typeDisplayName: 'Nursing licence', validFrom: '2026-01-01T00:00:00Z', validUntil: null };
    const credential = buildCredential(template, 'urn:uuid:00000000-0000-4000-8000-000000000000', { name: 'Mallory' });
    const salts = saltSubject(credential, seededRandomBytes('claims-other-type'), SALT_BYTES);
    const leaf = leafFromDisclosure(credential, salts, []);
    if (!leaf.ok) throw new Error(leaf.message);
    const root = merkleRoot([leaf.leaf]);
    const anchorTransaction = makeTx(chain.state.chainId, transport, chain.nextSeq(transport.publicKey), { kind: 'anchor', issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root, leafCount: 1 });
    const [anchor] = chain.commit([anchorTransaction]);
    const forged = withAnchorProof(credential, { chainId: chain.state.chainId, leafIndex: 0, inclusionPath: [], salts, hiddenDigests: [], anchorTransaction, anchor: anchor! });
    const result = await verifyCertificate(forged, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('NOT_AUTHORISED');
    expect(result.checks.find((c) => c.name === 'authorisation')?.message).toContain('nurse-licence');
  });

  it('UNKNOWN_ISSUER when the ledger knows no such department', async () => {
    const view: LedgerView = { ...chain.view, chainId: chain.view.chainId, anchor: chain.view.anchor, issuer: async () => null };
    expect(reasonOf(await verifyCertificate(ada, { now: NOW, ledger: view }))).toBe('UNKNOWN_ISSUER');
  });
});

describe('revocation, suspension and keys', () => {
  it('REVOKED for one certificate leaves the rest of its batch valid; a batch revocation covers all', async () => {
    const chain = new TestChain();
    const { credentials, root, leaves } = chain.issue(SAMPLE_RECORDS);
    const transport = chain.net.issuers.get('transport')!;
    chain.act(transport, { kind: 'revoke', issuerId: 'transport', revocations: [{ root, leaf: leaves[0]!, reason: 'licence withdrawn by court order' }] });
    const revoked = await verifyCertificate(credentials[0], { now: NOW, ledger: chain.view });
    expect(revoked.reason).toBe('REVOKED');
    expect(revoked.checks.find((c) => c.name === 'revocation')?.message).toContain('court order');
    expect((await verifyCertificate(credentials[1], { now: NOW, ledger: chain.view })).valid).toBe(true);
    chain.act(transport, { kind: 'revoke', issuerId: 'transport', revocations: [{ root, leaf: null, reason: 'batch printed in error' }] });
    expect((await verifyCertificate(credentials[1], { now: NOW, ledger: chain.view })).reason).toBe('REVOKED');
  });

  it('a suspended department: earlier certificates stay valid and the result says it is suspended', async () => {
    const chain = new TestChain();
    const { credentials } = chain.issue(SAMPLE_RECORDS);
    chain.act(chain.net.validators[0]!, { kind: 'suspend-issuer', issuerId: 'transport', reason: 'audit' });
    const result = await verifyCertificate(credentials[0], { now: NOW, ledger: chain.view });
    expect(result.valid).toBe(true);
    expect(result.summary?.issuerSuspended?.reason).toBe('audit');
  });

  it('a key rotation keeps earlier certificates valid; a compromised key voids those anchored from that height', async () => {
    const chain = new TestChain();
    const early = chain.issue([SAMPLE_RECORDS[0]!]).credentials[0]!;
    const leakedFrom = chain.state.height + 1;
    const late = chain.issue([SAMPLE_RECORDS[1]!]).credentials[0]!;
    const fresh = testSigner('transport-new-key');
    chain.act(chain.net.validators[0]!, { kind: 'rotate-issuer-key', issuerId: 'transport', newPublicKey: fresh.publicKey, compromisedFromHeight: leakedFrom });
    expect((await verifyCertificate(early, { now: NOW, ledger: chain.view })).valid).toBe(true);
    const result = await verifyCertificate(late, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('KEY_COMPROMISED');
    const after = chain.issue([SAMPLE_RECORDS[2]!], { signer: fresh }).credentials[0]!;
    expect((await verifyCertificate(after, { now: NOW, ledger: chain.view })).valid).toBe(true);
  });
});

describe('with a W3C Data Integrity proof (eddsa-jcs-2022)', () => {
  const chain = new TestChain();
  const seed = testSeed('issuer-transport');
  const method = `${didKeyFromPublicKey(chain.net.issuers.get('transport')!.publicKey)}#${didKeyFromPublicKey(chain.net.issuers.get('transport')!.publicKey).slice('did:key:'.length)}`;
  const addProof = (credential: JsonObject): JsonObject => addEddsaJcsProof(credential, { secretKey: seed, verificationMethod: method }) as JsonObject;
  const [ada] = chain.issue(SAMPLE_RECORDS, { addProof }).credentials;

  it('checks it beside the anchor, and a standard verifier accepts it on its own', async () => {
    const result = await verifyCertificate(ada, { now: NOW, ledger: chain.view });
    expect(result.valid).toBe(true);
    expect(result.checks.find((c) => c.name === 'dataIntegrity')?.outcome).toBe('pass');
    expect(verifyEddsaJcsProof(ada, publicKeyFromDidKey).verified).toBe(true);
  });

  it('BAD_SIGNATURE when that proof is broken, even though the anchor holds', async () => {
    const broken = edited(ada!, (c) => {
      const standard = (c.proof as JsonObject[]).find((p) => p.type === 'DataIntegrityProof')!;
      standard.created = '2020-01-01T00:00:00Z';
    });
    const result = await verifyCertificate(broken, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('BAD_SIGNATURE');
    expect(result.checks.find((c) => c.name === 'integrity')?.outcome).toBe('pass');
  });

  it('is dropped by disclosure, since it signs every field', () => {
    const shown = discloseCertificate(ada!, ['name']);
    expect(JSON.stringify(shown)).not.toContain('DataIntegrityProof');
  });
});

describe('selective disclosure', () => {
  const chain = new TestChain();
  const ada = chain.issue(SAMPLE_RECORDS).credentials[0]!;

  it('hidden fields are gone from the file, the certificate still verifies, and the count is reported', async () => {
    const shown = discloseCertificate(ada, ['address.street', 'points', 'categories']);
    const subject = subjectOf(shown);
    expect(subject).not.toHaveProperty('points');
    expect(subject).not.toHaveProperty('categories');
    expect(subject.address).toEqual({ city: 'London' });
    expect(JSON.stringify(shown)).not.toContain('St James');
    const result = await verifyCertificate(shown, { now: NOW, ledger: chain.view });
    expect(result.valid).toBe(true);
    expect(result.summary?.hiddenFieldCount).toBe(4);
  });

  it('hiding every field still verifies; hiding a field that is not there is refused', async () => {
    const all = discloseCertificate(ada, Object.keys(SAMPLE_RECORDS[0]!));
    expect(subjectOf(all)).toEqual({});
    expect((await verifyCertificate(all, { now: NOW, ledger: chain.view })).valid).toBe(true);
    expect(() => discloseCertificate(ada, ['address.postcode'])).toThrow(/no field "address.postcode"/);
    expect(() => discloseCertificate(ada, ['categories.0'])).toThrow(/inside lists/);
  });

  it('TAMPERED: a hidden digest changed, or a hidden field put back with another value', async () => {
    const shown = discloseCertificate(ada, ['address.street']);
    const { proof } = findAnchorProof(shown);
    const digest = Uint8Array.from(proof.hiddenDigests[0]!);
    digest[0] = (digest[0] as number) ^ 1;
    const altered = withAnchorProof(shown, { ...proof, hiddenDigests: [digest] });
    expect((await verifyCertificate(altered, { now: NOW, ledger: chain.view })).reason).toBe('TAMPERED');
    const putBack = edited(shown, (c) => ((subjectOf(c).address as JsonObject).street = '10 Downing St'));
    const result = await verifyCertificate(putBack, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('TAMPERED');
    expect(result.checks.find((c) => c.name === 'integrity')?.message).toContain('/credentialSubject/address/street');
  });

  it('a hidden value leaves no trace that could be compared with a guess', () => {
    const shown = discloseCertificate(ada, ['name']);
    const text = JSON.stringify(shown);
    expect(text).not.toContain('Ada');
    expect(text).not.toContain(toHex(new TextEncoder().encode('Ada Lovelace')));
  });
});

describe('limits', () => {
  it('a subject nested too deep is reported as malformed, never thrown', async () => {
    const chain = new TestChain();
    const ada = chain.issue(SAMPLE_RECORDS).credentials[0]!;
    const deep = structuredClone(ada);
    let node: JsonObject = deep.credentialSubject as JsonObject;
    for (let i = 0; i < 40; i++) node = node.next = {};
    const result = await verifyCertificate(deep, { now: NOW, ledger: chain.view });
    expect(result.reason).toBe('MALFORMED');
    expect(result.checks.find((c) => c.name === 'integrity')?.message).toMatch(/deeper than/);
  });
});
