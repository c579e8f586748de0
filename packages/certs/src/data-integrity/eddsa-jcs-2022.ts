// W3C "Data Integrity EdDSA Cryptosuites v1.0" (Recommendation, 15 May 2025), §3.3 eddsa-jcs-2022,
// with proof sets from "Verifiable Credential Data Integrity 1.0" §4.4–4.5.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual } from '@certledger/codec';
import { keyPairFromSeed, PUBLIC_KEY_BYTES, SEED_BYTES, SIGNATURE_BYTES, sign, verify } from '@certledger/crypto';
import { CertificateError } from '../errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { canonicalJson, canonicalJsonBytes, findNonJson } from './canonical-json.js';
import { decodeBase58btcMultibase, encodeBase58btcMultibase, publicKeyFromDidKey, quoteForMessage } from './multikey.js';

export const DATA_INTEGRITY_PROOF = 'DataIntegrityProof';
export const EDDSA_JCS_2022 = 'eddsa-jcs-2022';
const DEFAULT_PROOF_PURPOSE = 'assertionMethod';
/** XML Schema dateTimeStamp (a dateTime with a time zone), which Data Integrity requires of `created`. */
const DATE_TIME_STAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)$/;
/** Data Integrity requires `verificationMethod` to be a URL; a scheme and no spaces is what we can check offline. */
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export interface EddsaJcsProof extends JsonObject {
  type: typeof DATA_INTEGRITY_PROOF;
  cryptosuite: typeof EDDSA_JCS_2022;
  verificationMethod: string;
  proofPurpose: string;
  proofValue: string;
}

export interface AddEddsaJcsProofOptions {
  /** The signer's 32-byte Ed25519 seed. */
  secretKey: Uint8Array;
  /** URL of the public key, e.g. `did:key:z6Mk…#z6Mk…`; a did:key must name `secretKey`'s public key. */
  verificationMethod: string;
  /** When the proof was made; a Date is written to the second, e.g. 2026-01-01T00:00:00Z. Omitted when absent. */
  created?: Date | string;
  proofPurpose?: string;
}

export interface VerifyEddsaJcsProofOptions {
  /** Every eddsa-jcs-2022 proof must carry this purpose. Default: assertionMethod, the issuer's. */
  expectedProofPurpose?: string;
}

export type ProofVerification = { verified: true } | { verified: false; reason: string };

/** The key a verification method stands for, or undefined when the caller does not trust or know it. */
export type PublicKeyResolver = (verificationMethod: string) => Uint8Array | undefined;

function isDateTimeStamp(text: string): boolean {
  return DATE_TIME_STAMP.test(text) && Number.isFinite(Date.parse(text));
}

/** §3.3.4: SHA-256 of the JCS proof configuration, then SHA-256 of the JCS unsecured document. */
export function eddsaJcsHashData(unsecuredDocument: JsonObject, proofConfig: JsonObject): Uint8Array {
  const hashData = new Uint8Array(64);
  hashData.set(sha256(canonicalJsonBytes(proofConfig)), 0);
  hashData.set(sha256(canonicalJsonBytes(unsecuredDocument)), 32);
  return hashData;
}

function badOption(message: string): CertificateError {
  return new CertificateError('BAD_OPTIONS', message);
}

function createdText(created: Date | string): string {
  const text = created instanceof Date && !Number.isNaN(created.getTime()) ? created.toISOString().replace(/\.\d{3}Z$/, 'Z') : created;
  if (typeof text !== 'string' || !isDateTimeStamp(text)) {
    throw badOption(`created ${quoteForMessage(String(created))} is not a date-time with a time zone, e.g. 2026-01-01T00:00:00Z`);
  }
  return text;
}

function proofOptionsFor(document: JsonObject, options: AddEddsaJcsProofOptions): JsonObject {
  const { secretKey, verificationMethod, created, proofPurpose = DEFAULT_PROOF_PURPOSE } = options;
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== SEED_BYTES) {
    throw badOption(`secretKey must be a ${SEED_BYTES}-byte Ed25519 seed`);
  }
  if (typeof verificationMethod !== 'string' || !URL_LIKE.test(verificationMethod)) {
    throw badOption(`verificationMethod must be a URL such as did:key:z6Mk…#z6Mk…`);
  }
  if (verificationMethod.startsWith('did:key:')) {
    const named = publicKeyFromDidKey(verificationMethod);
    if (!bytesEqual(named, keyPairFromSeed(secretKey).publicKey)) {
      throw badOption(`verificationMethod ${quoteForMessage(verificationMethod)} names another key than secretKey's`);
    }
  }
  if (typeof proofPurpose !== 'string' || proofPurpose === '') throw badOption('proofPurpose must be a non-empty string');
  return {
    type: DATA_INTEGRITY_PROOF,
    cryptosuite: EDDSA_JCS_2022,
    ...(created === undefined ? {} : { created: createdText(created) }),
    verificationMethod,
    proofPurpose,
    // §3.3.1 step 2: binding the context makes the proof safe to combine with others in a set.
    ...(document['@context'] === undefined ? {} : { '@context': document['@context'] }),
  };
}

/**
 * A copy of `document` with an eddsa-jcs-2022 Data Integrity proof added (§3.3.1). A document
 * that already has `proof` gets a proof set: the new proof is appended, and it signs the
 * document without any of the existing proofs. Throws `CertificateError` on bad input.
 */
export function addEddsaJcsProof<T extends JsonObject>(document: T, options: AddEddsaJcsProofOptions): Omit<T, 'proof'> & { proof: EddsaJcsProof | Json[] } {
  if (!isJsonObject(document)) throw badOption('the document must be a JSON object');
  const nonJson = findNonJson(document);
  if (nonJson !== undefined) throw badOption(`the document is not JSON: ${nonJson}`);
  const { proof: existing, ...unsecured } = document;
  if (existing !== undefined && !isJsonObject(existing) && !Array.isArray(existing)) {
    throw badOption('the document has a proof that is neither an object nor an array of proofs');
  }
  const proofOptions = proofOptionsFor(document, options);
  const signature = sign(eddsaJcsHashData(unsecured, proofOptions), options.secretKey);
  const proof = { ...proofOptions, proofValue: encodeBase58btcMultibase(signature) } as EddsaJcsProof;
  const proofs = existing === undefined ? proof : [...(Array.isArray(existing) ? existing : [existing]), proof];
  return structuredClone({ ...unsecured, proof: proofs });
}

function isEddsaJcsProof(value: Json): value is JsonObject {
  return isJsonObject(value) && value.type === DATA_INTEGRITY_PROOF && value.cryptosuite === EDDSA_JCS_2022;
}

function quoteField(field: Json | undefined): string {
  return typeof field === 'string' ? quoteForMessage(field) : 'none';
}

function describeProof(value: Json): string {
  if (!isJsonObject(value)) return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return `type ${quoteField(value.type)} with cryptosuite ${quoteField(value.cryptosuite)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'the resolver threw a non-Error';
}

function failure(reason: string): ProofVerification {
  return { verified: false, reason };
}

function signatureOf(proofValue: Json | undefined): Uint8Array | string {
  if (typeof proofValue !== 'string') return 'proofValue is missing or not a string';
  let signature: Uint8Array;
  try {
    signature = decodeBase58btcMultibase(proofValue, 'proofValue');
  } catch (error) {
    return messageOf(error);
  }
  if (signature.length !== SIGNATURE_BYTES) {
    return `proofValue is malformed: it decodes to ${signature.length} bytes, not a ${SIGNATURE_BYTES}-byte Ed25519 signature`;
  }
  return signature;
}

function resolveKey(verificationMethod: string, resolvePublicKey: PublicKeyResolver): Uint8Array | string {
  const quoted = quoteForMessage(verificationMethod);
  let publicKey: Uint8Array | undefined;
  try {
    publicKey = resolvePublicKey(verificationMethod);
  } catch (error) {
    return `verification method ${quoted} could not be resolved: ${messageOf(error)}`;
  }
  if (publicKey === undefined) return `unknown verification method ${quoted}`;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) {
    return `verification method ${quoted} resolved to something other than a ${PUBLIC_KEY_BYTES}-byte Ed25519 key`;
  }
  return publicKey;
}

/** §3.3.2 for one proof, where `unsecured` is the document without its `proof` member. */
function verifyOneProof(
  unsecured: JsonObject,
  proof: JsonObject,
  resolvePublicKey: PublicKeyResolver,
  expectedProofPurpose: string,
): ProofVerification {
  const { proofValue, ...proofOptions } = proof;
  const signature = signatureOf(proofValue);
  if (typeof signature === 'string') return failure(signature);
  const { verificationMethod, proofPurpose, created } = proofOptions;
  if (typeof verificationMethod !== 'string') return failure('proof.verificationMethod is missing or not a string');
  if (proofPurpose !== expectedProofPurpose) {
    return failure(`proof.proofPurpose is ${quoteField(proofPurpose)}, expected ${quoteForMessage(expectedProofPurpose)}`);
  }
  if (created !== undefined && (typeof created !== 'string' || !isDateTimeStamp(created))) {
    return failure('proof.created is not a date-time with a time zone');
  }
  // The Recommendation accepts a proof context that is a prefix of the document's and then signs
  // the shorter one, so contexts added later would go unsigned; we require the same context.
  const proofContext = proofOptions['@context'];
  if (proofContext !== undefined && (unsecured['@context'] === undefined || canonicalJson(proofContext) !== canonicalJson(unsecured['@context']))) {
    return failure(`proof.@context differs from the document's @context`);
  }
  const publicKey = resolveKey(verificationMethod, resolvePublicKey);
  if (typeof publicKey === 'string') return failure(publicKey);
  if (!verify(signature, eddsaJcsHashData(unsecured, proofOptions), publicKey)) {
    return failure(`the signature does not verify under ${quoteForMessage(verificationMethod)}`);
  }
  return { verified: true };
}

/**
 * Checks every eddsa-jcs-2022 proof in `document.proof` (one object, or a proof set whose other
 * proof types are ignored); all of them must verify. Keys come only from `resolvePublicKey`, so
 * it decides whom to trust. Never throws: a failure says what is wrong.
 */
export function verifyEddsaJcsProof(
  document: unknown,
  resolvePublicKey: PublicKeyResolver,
  options: VerifyEddsaJcsProofOptions = {},
): ProofVerification {
  try {
    return verifyDocument(document, resolvePublicKey, options.expectedProofPurpose ?? DEFAULT_PROOF_PURPOSE);
  } catch (error) {
    // Only exotic objects get here (throwing getters, proxies); parsed JSON never does.
    return failure(`the document could not be read: ${messageOf(error)}`);
  }
}

function verifyDocument(document: unknown, resolvePublicKey: PublicKeyResolver, expectedProofPurpose: string): ProofVerification {
  if (!isJsonObject(document)) return failure('the document is not a JSON object');
  const nonJson = findNonJson(document);
  if (nonJson !== undefined) return failure(`the document is not JSON: ${nonJson}`);
  const { proof, ...unsecured } = document;
  if (proof === undefined) return failure('the document has no proof');
  const proofs = Array.isArray(proof) ? proof : [proof];
  const ours = proofs.flatMap((candidate, index) => (isEddsaJcsProof(candidate) ? [{ candidate, index }] : []));
  if (ours.length === 0) {
    const found = proofs.map(describeProof).join(', ') || 'an empty proof set';
    return failure(`no ${DATA_INTEGRITY_PROOF} with cryptosuite ${EDDSA_JCS_2022} in proof (found ${found})`);
  }
  for (const { candidate, index } of ours) {
    const result = verifyOneProof(unsecured, candidate, resolvePublicKey, expectedProofPurpose);
    if (!result.verified) return Array.isArray(proof) ? failure(`proof[${index}]: ${result.reason}`) : result;
  }
  return { verified: true };
}
