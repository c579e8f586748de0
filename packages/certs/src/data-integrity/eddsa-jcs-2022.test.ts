import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toHex } from '@certledger/codec';
import { keyPairFromSeed, sign } from '@certledger/crypto';
import { CertificateError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { canonicalJson, canonicalJsonBytes } from './canonical-json.js';
import { addEddsaJcsProof, eddsaJcsHashData, verifyEddsaJcsProof, type PublicKeyResolver } from './eddsa-jcs-2022.js';
import { decodeMultikey, didKeyFromPublicKey, encodeBase58btcMultibase, publicKeyFromDidKey } from './multikey.js';
import * as spec from './spec-vectors.js';

const specSeed = decodeMultikey(spec.keyPair.secretKeyMultibase, spec.ED25519_SECRET_KEY_HEADER, 32, 'secretKeyMultibase');
const otherSeed = new Uint8Array(32).fill(7);
const otherDid = didKeyFromPublicKey(keyPairFromSeed(otherSeed).publicKey);
const otherVerificationMethod = `${otherDid}#${otherDid.slice('did:key:'.length)}`;

/** A copy of `document` with `edit` applied to it; the fixtures stay untouched. */
function edited(document: JsonObject, edit: (copy: JsonObject & { proof: JsonObject }) => void): JsonObject {
  const copy = structuredClone(document) as JsonObject & { proof: JsonObject };
  edit(copy);
  return copy;
}

function reasonOf(document: unknown, resolve: PublicKeyResolver = publicKeyFromDidKey): string {
  const result = verifyEddsaJcsProof(document, resolve);
  if (result.verified) throw new Error('expected verification to fail');
  return result.reason;
}

describe('eddsa-jcs-2022 test vectors (vc-di-eddsa Appendix B.3)', () => {
  it('canonical forms and hashes match Examples 31–36', () => {
    expect(canonicalJson(spec.unsecuredCredential)).toBe(spec.canonicalCredential);
    expect(canonicalJson(spec.proofOptions)).toBe(spec.canonicalProofOptions);
    expect(toHex(sha256(canonicalJsonBytes(spec.unsecuredCredential)))).toBe(spec.credentialHashHex);
    expect(toHex(sha256(canonicalJsonBytes(spec.proofOptions)))).toBe(spec.proofOptionsHashHex);
    expect(toHex(eddsaJcsHashData(spec.unsecuredCredential, spec.proofOptions))).toBe(spec.hashDataHex);
  });

  it('the signature matches Examples 37 and 38', () => {
    const signature = sign(eddsaJcsHashData(spec.unsecuredCredential, spec.proofOptions), specSeed);
    expect(toHex(signature)).toBe(spec.signatureHex);
    expect(encodeBase58btcMultibase(signature)).toBe(spec.proofValue);
  });

  it('signing the spec credential reproduces the signed credential of Example 39', () => {
    const signed = addEddsaJcsProof(spec.unsecuredCredential, {
      secretKey: specSeed,
      verificationMethod: spec.verificationMethod,
      created: spec.created,
    });
    expect(signed).toEqual(spec.signedCredential);
    expect(JSON.stringify(Object.keys(signed.proof))).toBe(JSON.stringify(Object.keys(spec.signedCredential.proof as JsonObject)));
  });

  it('verifies the signed credential of Example 39, also after a JSON round trip', () => {
    expect(verifyEddsaJcsProof(spec.signedCredential, publicKeyFromDidKey)).toEqual({ verified: true });
    expect(verifyEddsaJcsProof(JSON.parse(JSON.stringify(spec.signedCredential)), publicKeyFromDidKey)).toEqual({ verified: true });
  });
});

describe('verifyEddsaJcsProof refuses a changed credential', () => {
  it.each(['@context', 'id', 'type', 'name', 'description', 'issuer', 'validFrom', 'credentialSubject'])(
    'with %s changed',
    (field) => {
      const reason = reasonOf(edited(spec.signedCredential, (copy) => (copy[field] = 'changed')));
      expect(reason).toMatch(field === '@context' ? /proof\.@context differs/ : /signature does not verify/);
    },
  );

  it.each<[string, (copy: JsonObject & { proof: JsonObject }) => void]>([
    ['a nested value changed', (copy) => ((copy.credentialSubject as JsonObject).alumniOf = 'Another School')],
    ['a member added', (copy) => (copy.validUntil = '2030-01-01T00:00:00Z')],
    ['a member removed', (copy) => delete copy.description],
    ['an array reordered', (copy) => (copy.type as string[]).reverse()],
    ['the created date changed', (copy) => (copy.proof.created = '2023-02-24T23:36:39Z')],
    ['the verification method changed', (copy) => (copy.proof.verificationMethod = otherVerificationMethod)],
    ['another key signing the same proof', (copy) => (copy.proof.proofValue = resignedProofValue(copy, otherSeed))],
    ['a proof @context dropped', (copy) => delete copy.proof['@context']],
  ])('with %s', (_, edit) => {
    expect(reasonOf(edited(spec.signedCredential, edit))).toMatch(/signature does not verify/);
  });

  it.each<[string, (copy: JsonObject & { proof: JsonObject }) => void, RegExp]>([
    ['proofValue missing', (copy) => delete copy.proof.proofValue, /proofValue is missing/],
    ['proofValue not multibase', (copy) => (copy.proof.proofValue = spec.proofValue.slice(1)), /must start with "z"/],
    ['proofValue not base58btc', (copy) => (copy.proof.proofValue = `${spec.proofValue}0`), /not valid base58btc/],
    ['proofValue too short', (copy) => (copy.proof.proofValue = encodeBase58btcMultibase(new Uint8Array(63).fill(1))), /malformed: it decodes to 63 bytes/],
    ['one proofValue character changed', (copy) => (copy.proof.proofValue = `${spec.proofValue.slice(0, 40)}X${spec.proofValue.slice(41)}`), /signature does not verify|malformed/],
    ['the proof type changed', (copy) => (copy.proof.type = 'Ed25519Signature2020'), /no DataIntegrityProof with cryptosuite eddsa-jcs-2022 .*"Ed25519Signature2020"/],
    ['the cryptosuite changed', (copy) => (copy.proof.cryptosuite = 'eddsa-rdfc-2022'), /found type "DataIntegrityProof" with cryptosuite "eddsa-rdfc-2022"/],
    ['the proof purpose changed', (copy) => (copy.proof.proofPurpose = 'authentication'), /proofPurpose is "authentication", expected "assertionMethod"/],
    ['created not a date-time', (copy) => (copy.proof.created = 'yesterday'), /created is not a date-time/],
    ['created without a time zone', (copy) => (copy.proof.created = '2023-02-24T23:36:38'), /created is not a date-time/],
    ['the proof @context changed', (copy) => (copy.proof['@context'] = ['https://www.w3.org/ns/credentials/v2']), /proof\.@context differs/],
    ['the verification method missing', (copy) => delete copy.proof.verificationMethod, /verificationMethod is missing/],
    ['the proof removed', (copy) => delete (copy as JsonObject).proof, /has no proof/],
  ])('with %s, saying why', (_, edit, reason) => {
    expect(reasonOf(edited(spec.signedCredential, edit))).toMatch(reason);
  });

  it('refuses keys the resolver does not give, or gives wrongly', () => {
    const otherKey = keyPairFromSeed(otherSeed).publicKey;
    expect(reasonOf(spec.signedCredential, () => undefined)).toMatch(/unknown verification method "did:key:z6Mkr/);
    expect(reasonOf(spec.signedCredential, () => otherKey)).toMatch(/signature does not verify/);
    expect(reasonOf(spec.signedCredential, () => new Uint8Array(31))).toMatch(/other than a 32-byte Ed25519 key/);
    const throwing = () => {
      throw new Error('resolver offline');
    };
    expect(reasonOf(spec.signedCredential, throwing)).toMatch(/could not be resolved: resolver offline/);
    const throwingString = () => {
      throw 'offline';
    };
    expect(reasonOf(spec.signedCredential, throwingString)).toMatch(/could not be resolved: the resolver threw a non-Error/);
    const httpsMethod = edited(spec.signedCredential, (copy) => (copy.proof.verificationMethod = 'https://vc.example/issuers/5678#key-1'));
    expect(reasonOf(httpsMethod)).toMatch(/could not be resolved: .*not a did:key identifier/);
  });

  it('accepts another proof purpose only when the verifier expects it', () => {
    const signed = addEddsaJcsProof(spec.unsecuredCredential, { secretKey: specSeed, verificationMethod: spec.verificationMethod, proofPurpose: 'authentication' });
    expect(verifyEddsaJcsProof(signed, publicKeyFromDidKey, { expectedProofPurpose: 'authentication' })).toEqual({ verified: true });
    expect(reasonOf(signed)).toMatch(/expected "assertionMethod"/);
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /not a JSON object/],
    ['a string', 'credential', /not a JSON object/],
    ['an array', [spec.signedCredential], /not a JSON object/],
    ['a document with NaN', { ...spec.signedCredential, score: Number.NaN }, /not JSON: \$\.score is NaN/],
    ['a document with a Date', { ...spec.signedCredential, when: new Date(0) }, /not JSON: \$\.when is a Date/],
    ['a string proof', { ...spec.unsecuredCredential, proof: 'signed' }, /found a string/],
    ['an empty proof set', { ...spec.unsecuredCredential, proof: [] }, /found an empty proof set/],
    ['a null proof', { ...spec.unsecuredCredential, proof: null }, /found null/],
    ['a throwing getter', Object.defineProperty({ ...spec.signedCredential }, 'name', { enumerable: true, get: () => { throw new Error('boom'); } }), /could not be read: boom/],
    ['nesting deeper than 100 levels', { ...spec.signedCredential, deep: JSON.parse('['.repeat(101) + ']'.repeat(101)) }, /nests deeper than 100 levels/],
    ['a proof with a numeric verification method', edited(spec.signedCredential, (copy) => (copy.proof.verificationMethod = 5)), /verificationMethod is missing or not a string/],
  ])('never throws: %s', (_, document, reason) => {
    expect(reasonOf(document)).toMatch(reason);
  });
});

function resignedProofValue(document: JsonObject & { proof: JsonObject }, seed: Uint8Array): string {
  const { proof, ...unsecured } = document;
  const { proofValue: _, ...proofOptions } = proof;
  return encodeBase58btcMultibase(sign(eddsaJcsHashData(unsecured, proofOptions), seed));
}

describe('addEddsaJcsProof', () => {
  const options = { secretKey: specSeed, verificationMethod: spec.verificationMethod };

  it('writes a Date to the second and leaves created out when not given', () => {
    const dated = addEddsaJcsProof(spec.unsecuredCredential, { ...options, created: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) });
    expect((dated.proof as JsonObject).created).toBe('2026-01-02T03:04:05Z');
    expect('created' in (addEddsaJcsProof(spec.unsecuredCredential, options).proof as JsonObject)).toBe(false);
  });

  it('returns a copy sharing nothing with its input', () => {
    const input = structuredClone(spec.unsecuredCredential);
    const signed = addEddsaJcsProof(input, options);
    (signed.credentialSubject as JsonObject).alumniOf = 'changed';
    expect(input).toEqual(spec.unsecuredCredential);
  });

  it('signs a document without @context and verifies it', () => {
    const { '@context': _, ...withoutContext } = spec.unsecuredCredential;
    const signed = addEddsaJcsProof(withoutContext, options);
    expect('@context' in (signed.proof as JsonObject)).toBe(false);
    expect(verifyEddsaJcsProof(signed, publicKeyFromDidKey)).toEqual({ verified: true });
  });

  it.each<[string, JsonObject, Partial<typeof options> & { created?: unknown; proofPurpose?: unknown }, RegExp]>([
    ['a short seed', spec.unsecuredCredential, { secretKey: new Uint8Array(31) }, /32-byte Ed25519 seed/],
    ['a verification method that is no URL', spec.unsecuredCredential, { verificationMethod: 'key 1' }, /must be a URL/],
    ['a did:key of another key', spec.unsecuredCredential, { verificationMethod: otherVerificationMethod }, /names another key than secretKey's/],
    ['a malformed did:key', spec.unsecuredCredential, { verificationMethod: 'did:key:z6Mk' }, /did:key/],
    ['created without a time zone', spec.unsecuredCredential, { created: '2026-01-01T00:00:00' }, /created "2026-01-01T00:00:00" is not a date-time/],
    ['a Date past year 9999', spec.unsecuredCredential, { created: new Date(Date.UTC(10000, 0, 1)) }, /is not a date-time/],
    ['an invalid Date', spec.unsecuredCredential, { created: new Date(Number.NaN) }, /created "Invalid Date" is not a date-time/],
    ['an empty proof purpose', spec.unsecuredCredential, { proofPurpose: '' }, /proofPurpose/],
    ['a document with undefined', { ...spec.unsecuredCredential, note: undefined as unknown as string }, {}, /\$\.note is undefined/],
    ['a document with a lone surrogate', { ...spec.unsecuredCredential, name: '\ud800' }, {}, /\$\.name has a lone surrogate/],
    ['a string proof', { ...spec.unsecuredCredential, proof: 'signed' }, {}, /neither an object nor an array/],
  ])('refuses %s', (_, document, overrides, message) => {
    const call = () => addEddsaJcsProof(document, { ...options, ...overrides } as typeof options);
    expect(call).toThrow(CertificateError);
    expect(call).toThrow(message);
  });
});

describe('proof sets', () => {
  const foreignProof: JsonObject = {
    type: 'Ed25519Signature2020',
    created: '2023-02-24T23:36:38Z',
    verificationMethod: 'https://vc.example/issuers/5678#key-2020',
    proofPurpose: 'assertionMethod',
    proofValue: 'z57Mm1vboMtZiCyJ4aReZsv8co4Re64Y8GEjL1ZARzMbXZgkARFLqFs1P345NpPGG2hgCrS4nNdvJhpwnrNyG3kEF',
  };

  it('the spec proof still verifies beside a proof of another type', () => {
    const set = { ...spec.signedCredential, proof: [foreignProof, spec.signedCredential.proof as JsonObject] };
    expect(verifyEddsaJcsProof(set, publicKeyFromDidKey)).toEqual({ verified: true });
  });

  it('appends to an existing proof and signs the document without it', () => {
    const start = { ...spec.unsecuredCredential, proof: foreignProof };
    const signed = addEddsaJcsProof(start, { secretKey: specSeed, verificationMethod: spec.verificationMethod, created: spec.created });
    expect(signed.proof).toEqual([foreignProof, spec.signedCredential.proof]);
    const foreignChanged = edited(signed, (copy) => ((copy.proof as unknown as JsonObject[])[0] = { ...foreignProof, proofValue: 'zchanged' }));
    expect(verifyEddsaJcsProof(foreignChanged, publicKeyFromDidKey)).toEqual({ verified: true });
  });

  it('needs every eddsa-jcs-2022 proof of the set to verify', () => {
    const once = addEddsaJcsProof(spec.unsecuredCredential, { secretKey: specSeed, verificationMethod: spec.verificationMethod });
    const twice = addEddsaJcsProof(once, { secretKey: otherSeed, verificationMethod: otherVerificationMethod });
    expect(verifyEddsaJcsProof(twice, publicKeyFromDidKey)).toEqual({ verified: true });
    const onlyFirstKnown = (method: string) => (method === spec.verificationMethod ? publicKeyFromDidKey(method) : undefined);
    expect(reasonOf(twice, onlyFirstKnown)).toMatch(/^proof\[1\]: unknown verification method/);
    const firstBroken = edited(twice, (copy) => ((copy.proof as unknown as JsonObject[])[0]!.created = spec.created));
    expect(reasonOf(firstBroken)).toMatch(/^proof\[0\]: the signature does not verify/);
  });
});
