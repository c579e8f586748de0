// Test vectors of W3C Recommendation "Data Integrity EdDSA Cryptosuites v1.0" (15 May 2025,
// https://www.w3.org/TR/2025/REC-vc-di-eddsa-20250515/), Appendix B.3 "Representation:
// eddsa-jcs-2022", Examples 29–39, copied value for value.
import type { JsonObject } from '../json.js';

/** Multicodec varint header of an Ed25519 secret key (code 0x1300, ed25519-priv). */
export const ED25519_SECRET_KEY_HEADER = Uint8Array.of(0x80, 0x26);

/** Example 29. */
export const keyPair = {
  publicKeyMultibase: 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
  secretKeyMultibase: 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq',
};

/** Example 30: Credential without Proof. */
export const unsecuredCredential: JsonObject = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
  type: ['VerifiableCredential', 'AlumniCredential'],
  name: 'Alumni Credential',
  description: 'A minimum viable example of an Alumni Credential.',
  issuer: 'https://vc.example/issuers/5678',
  validFrom: '2023-01-01T00:00:00Z',
  credentialSubject: {
    id: 'did:example:abcdefgh',
    alumniOf: 'The School of Examples',
  },
};

/** Example 31: Canonical Credential without Proof. */
export const canonicalCredential =
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},"description":"A minimum viable example of an Alumni Credential.","id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678","name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],"validFrom":"2023-01-01T00:00:00Z"}';

/** Example 32. */
export const credentialHashHex = '59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19';

export const verificationMethod =
  'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2';
export const created = '2023-02-24T23:36:38Z';

/** Example 33: Proof Options Document. */
export const proofOptions: JsonObject = {
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-jcs-2022',
  created,
  verificationMethod,
  proofPurpose: 'assertionMethod',
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
};

/** Example 34: Canonical Proof Options Document. */
export const canonicalProofOptions =
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022","proofPurpose":"assertionMethod","type":"DataIntegrityProof","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}';

/** Example 35. */
export const proofOptionsHashHex = '66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db';

/** Example 36: Combine hashes of Proof Options and Credential. */
export const hashDataHex =
  '66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19';

/** Example 37. */
export const signatureHex =
  '407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b80351da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808';

/** Example 38. */
export const proofValue = 'z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX';

/**
 * Example 39: Signed Credential. As the appendix assembles it: Example 30 with `proof` set to the
 * proof options of Example 33 plus the proofValue of Example 38 (member for member equal to it).
 */
export const signedCredential: JsonObject = {
  ...unsecuredCredential,
  proof: { ...proofOptions, proofValue },
};
