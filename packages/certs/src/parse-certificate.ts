import { BoundedLru } from '@certledger/crypto';
import { decodeTransaction, type Anchor, type Transaction } from '@certledger/ledger';
import { parseAnchorProof, readBase64, selectAnchorProof, splitProofs, type AnchorProof } from './anchor-proof.js';
import { CREDENTIAL_TYPE, VC_CONTEXT_V2, parseCertTypeUrn, parseDateTimeStamp } from './credential.js';
import { publicKeyFromDidKey } from './data-integrity/multikey.js';
import { malformed } from './errors.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { decodeUtf8, parseStrictJson } from './strict-json.js';

export const MAX_CERTIFICATE_BYTES = 1024 * 1024;

/** A certificate file whose structure has been checked; nothing about it is trusted yet. */
export interface ParsedCertificate {
  readonly credential: JsonObject;
  /** The credential without `proof`: what the leaf covers. */
  readonly unsecured: JsonObject;
  readonly proof: AnchorProof;
  readonly otherProofs: readonly JsonObject[];
  readonly id: string;
  readonly issuerDid: string;
  readonly issuerKey: Uint8Array;
  readonly issuerName: string;
  readonly claimedType: { readonly chainId: string; readonly typeId: string; readonly version: number };
  readonly typeName: string;
  readonly validFrom: string;
  readonly validFromMs: number;
  readonly validUntil: string | null;
  readonly validUntilMs: number | null;
  readonly subject: JsonObject;
  readonly anchorTx: Transaction;
  readonly anchorAction: Anchor;
}

/**
 * A certificate's JSON object from its file's bytes or text (read strictly: UTF-8 only, each
 * key once per object), or an object already parsed, which is taken as it is.
 */
export function parseCertificateJson(input: unknown): JsonObject {
  let value = input;
  if (input instanceof Uint8Array) {
    if (input.length > MAX_CERTIFICATE_BYTES) malformed(`the file is ${input.length} bytes; a certificate is at most ${MAX_CERTIFICATE_BYTES}`);
    value = decodeUtf8(input);
  }
  if (typeof value === 'string') {
    if (value.length > MAX_CERTIFICATE_BYTES) malformed(`the file is ${value.length} characters; a certificate is at most ${MAX_CERTIFICATE_BYTES}`);
    value = parseStrictJson(value);
  }
  if (!isJsonObject(value)) malformed('a certificate is a JSON object');
  return value;
}

interface DecodedAnchor {
  readonly bytes: Uint8Array;
  readonly tx: Transaction;
  readonly action: Anchor;
}

/*
 * Every certificate of a batch carries the same anchor transaction text and issuer did:key.
 * Decoding them (base64, the transaction and its hash; base58) costs more than the rest
 * of parsing, so what they decode to is remembered by their text: a pure function's result,
 * never a guess. Only what decoded is remembered, and a valid anchor transaction or key is
 * short, so memory stays bounded. The values are shared by every certificate parsed from the
 * same text: their objects are frozen, and no reader writes into their bytes.
 */
const REMEMBERED_BATCHES = 256;
const anchorTransactions = new BoundedLru<string, DecodedAnchor>(REMEMBERED_BATCHES);
const issuerKeys = new BoundedLru<string, Uint8Array>(REMEMBERED_BATCHES);

function decodeAnchorTransaction(value: Json | undefined): DecodedAnchor {
  const bytes = readBase64(value, 'proof.anchorTransaction');
  const decoded = decodeTransaction(bytes);
  if (!decoded.ok) malformed(`proof.anchorTransaction: ${decoded.error.message}`);
  const tx = decoded.value;
  const action = tx.body.action;
  if (action.kind !== 'anchor') malformed(`proof.anchorTransaction is a ${action.kind} transaction, not an anchor`);
  [action, tx.body, tx.approvals, tx].forEach(Object.freeze);
  return Object.freeze({ bytes, tx, action });
}

function readAnchorTransaction(value: Json | undefined): DecodedAnchor {
  return typeof value === 'string' ? anchorTransactions.getOrAdd(value, decodeAnchorTransaction) : decodeAnchorTransaction(value);
}

/** Checks a certificate's structure (text, bytes or parsed JSON); throws CertificateError MALFORMED. */
export function parseCertificate(input: unknown): ParsedCertificate {
  const credential = parseCertificateJson(input);
  const context = credential['@context'];
  if (!Array.isArray(context) || context[0] !== VC_CONTEXT_V2) malformed(`@context must be a list starting with ${VC_CONTEXT_V2}`);
  const types = credential.type;
  if (!Array.isArray(types) || !types.includes('VerifiableCredential') || !types.includes(CREDENTIAL_TYPE)) {
    malformed(`type must list VerifiableCredential and ${CREDENTIAL_TYPE}`);
  }
  if (typeof credential.id !== 'string') malformed('id must be a text');
  const issuer = credential.issuer;
  if (!isJsonObject(issuer) || typeof issuer.id !== 'string' || typeof issuer.name !== 'string') malformed('issuer must be an object with id and name');
  const issuerKey = issuerKeys.getOrAdd(issuer.id, publicKeyFromDidKey);
  const validFromMs = parseDateTimeStamp(credential.validFrom);
  if (validFromMs === undefined) malformed('validFrom must be a date-time with a time zone');
  const hasUntil = credential.validUntil !== undefined;
  const validUntilMs = hasUntil ? parseDateTimeStamp(credential.validUntil) : null;
  if (validUntilMs === undefined) malformed('validUntil must be a date-time with a time zone');
  const schema = credential.credentialSchema;
  const claimedType = isJsonObject(schema) && typeof schema.id === 'string' ? parseCertTypeUrn(schema.id) : undefined;
  if (!claimedType) malformed('credentialSchema.id must name a certificate type: urn:certledger:<chain>:cert-type:<type>:<version>');
  if (!isJsonObject(credential.credentialSubject)) malformed('credentialSubject must be an object');
  const { unsecured, proofs } = splitProofs(credential);
  const { ours, others } = selectAnchorProof(proofs);
  const anchor = readAnchorTransaction(ours.anchorTransaction);
  const proof = parseAnchorProof(ours, 'proof', anchor.bytes);
  const { tx, action } = anchor;
  if (tx.body.chainId !== proof.chainId) malformed(`proof.chainId "${proof.chainId}" differs from the anchor transaction's chain "${tx.body.chainId}"`);
  return {
    credential,
    unsecured,
    proof,
    otherProofs: others,
    id: credential.id,
    issuerDid: issuer.id,
    issuerKey,
    issuerName: issuer.name,
    claimedType,
    typeName: typeof credential.name === 'string' ? credential.name : claimedType.typeId,
    validFrom: credential.validFrom as string,
    validFromMs,
    validUntil: hasUntil ? (credential.validUntil as string) : null,
    validUntilMs,
    subject: credential.credentialSubject,
    anchorTx: tx,
    anchorAction: action,
  };
}
