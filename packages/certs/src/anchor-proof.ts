import { base64, base64urlnopad, hex } from '@scure/base';
import { bytesEqual, firstUnknownKey, HASH_BYTES } from '@certledger/codec';
import { BoundedLru } from '@certledger/crypto';
import { CertificateError } from './errors.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { MAX_ENTRIES } from './entries.js';

export const ANCHOR_PROOF_TYPE = 'CertLedgerAnchorProof';
export const SALT_BYTES = 16;
const MAX_PATH_LENGTH = 64;
const MAX_BLOB_CHARS = 256 * 1024;

/** Where the anchor transaction sits on the chain; with it a certificate can be checked offline. */
export interface AnchorLocation {
  readonly height: number;
  readonly blockHash: Uint8Array;
  readonly txIndex: number;
  readonly txCount: number;
  /** RFC 9162 path from the transaction's leaf to the header's txRoot. */
  readonly txInclusionPath: readonly Uint8Array[];
  /** The block header's bytes as the chain stores them, and the commit certificate finalising it. */
  readonly header: Uint8Array;
  readonly commit: Uint8Array;
}

/** certledger's proof in a credential's `proof`: everything that ties the fields to the ledger. */
export interface AnchorProof {
  readonly chainId: string;
  readonly leafIndex: number;
  /** Path from this credential's leaf to the batch root. */
  readonly inclusionPath: readonly Uint8Array[];
  /** Salt of every subject entry still shown, by JSON Pointer. */
  readonly salts: ReadonlyMap<string, Uint8Array>;
  /** Digests standing in for entries the holder chose to hide. */
  readonly hiddenDigests: readonly Uint8Array[];
  /** The issuer's signed anchor transaction, byte for byte: its signature is the signature over the root. */
  readonly anchorTransaction: Uint8Array;
  /** Null until the anchor is committed. */
  readonly anchor: AnchorLocation | null;
}

/**
 * base64 of bytes every credential of a batch repeats (its anchor transaction, block header and
 * commit): the last input is remembered, so a batch of 100k shares one string, not 100k copies.
 */
function base64OfRepeated(): (bytes: Uint8Array) => string {
  let last: { readonly bytes: Uint8Array; readonly text: string } | undefined;
  return (bytes) => {
    if (!last || !bytesEqual(last.bytes, bytes)) last = { bytes: bytes.slice(), text: base64.encode(bytes) };
    return last.text;
  };
}

const anchorTransactionText = base64OfRepeated();
const headerText = base64OfRepeated();
const commitText = base64OfRepeated();

/**
 * Hashes as hex with @scure/base, whose strings are flat: codec's toHex builds each one by
 * concatenation, a rope ten times the size, and a batch keeps 17 of them per credential.
 */
const hashText = (hash: Uint8Array): string => hex.encode(hash);

/**
 * Hex of a hash path whose upper hashes repeat from one call to the next: credentials of a
 * batch are written in leaf order, and neighbours share all but the lowest hashes of their
 * inclusion paths. Strings are reused where the bytes equal the last path's at the same
 * place, so a batch holds about two path strings per credential instead of seventeen.
 */
function pathTextOfRepeated(): (path: readonly Uint8Array[]) => string[] {
  let last: readonly { readonly bytes: Uint8Array; readonly text: string }[] = [];
  return (path) => {
    const next = path.map((hash, i) => {
      const known = last[i];
      return known && bytesEqual(known.bytes, hash) ? known : { bytes: hash.slice(), text: hashText(hash) };
    });
    last = next;
    return next.map((entry) => entry.text);
  };
}

const inclusionPathText = pathTextOfRepeated();
const txInclusionPathText = pathTextOfRepeated();

export function anchorProofToJson(proof: AnchorProof): JsonObject {
  const json: JsonObject = {
    type: ANCHOR_PROOF_TYPE,
    chainId: proof.chainId,
    leafIndex: proof.leafIndex,
    inclusionPath: inclusionPathText(proof.inclusionPath),
    salts: Object.fromEntries([...proof.salts].map(([pointer, salt]) => [pointer, base64urlnopad.encode(salt)])),
    hiddenDigests: proof.hiddenDigests.map(hashText),
    anchorTransaction: anchorTransactionText(proof.anchorTransaction),
  };
  if (proof.anchor) {
    const a = proof.anchor;
    json.anchor = {
      height: a.height,
      blockHash: hashText(a.blockHash),
      txIndex: a.txIndex,
      txCount: a.txCount,
      txInclusionPath: txInclusionPathText(a.txInclusionPath),
      header: headerText(a.header),
      commit: commitText(a.commit),
    };
  }
  return json;
}

function malformed(path: string, what: string): never {
  throw new CertificateError('MALFORMED', `${path}: ${what}`);
}

function readCount(value: Json | undefined, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) malformed(path, 'must be a whole number ≥ 0');
  return value;
}

function readText(value: Json | undefined, path: string, maxChars = 256): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars) malformed(path, `must be a text of 1 to ${maxChars} characters`);
  return value;
}

const NOT_HEX = 0xff;
/** The value of each lowercase hex digit by character code, NOT_HEX for every other code below 128. */
const HEX_DIGITS = Uint8Array.from({ length: 128 }, (_, code) => {
  const digit = '0123456789abcdef'.indexOf(String.fromCharCode(code));
  return digit < 0 ? NOT_HEX : digit;
});

/** 64 lowercase hex digits, checked and decoded in one pass: files hold many, so no regex and second pass. */
function hashFromHex(value: Json | undefined): Uint8Array | undefined {
  if (typeof value !== 'string' || value.length !== 2 * HASH_BYTES) return undefined;
  const hash = new Uint8Array(HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i++) {
    const high = HEX_DIGITS[value.charCodeAt(2 * i)] ?? NOT_HEX;
    const low = HEX_DIGITS[value.charCodeAt(2 * i + 1)] ?? NOT_HEX;
    if (high === NOT_HEX || low === NOT_HEX) return undefined;
    hash[i] = high * 16 + low;
  }
  return hash;
}

function readHash(value: Json | undefined, path: string): Uint8Array {
  return hashFromHex(value) ?? malformed(path, 'must be 64 lowercase hex digits');
}

function readHashList(value: Json | undefined, path: string, max: number): Uint8Array[] {
  if (!Array.isArray(value) || value.length > max) malformed(path, `must be a list of at most ${max} hashes`);
  return value.map((item, i) => readHash(item, `${path}[${i}]`));
}

export function readBase64(value: Json | undefined, path: string): Uint8Array {
  if (typeof value !== 'string' || value.length > MAX_BLOB_CHARS) malformed(path, 'must be base64 text');
  try {
    return base64.decode(value);
  } catch {
    return malformed(path, 'is not valid base64');
  }
}

/** Longer header or commit texts are decoded every time, so the memory below stays small. */
const MAX_REMEMBERED_BLOB_CHARS = 16 * 1024;
/**
 * The block header and commit of an anchor's location, decoded by their base64 text: every
 * credential of a batch carries the same ones, and base64 costs more than the rest of the
 * proof. Credentials read from the same text share the bytes, which no reader writes into.
 */
const rememberedBlobs = new BoundedLru<string, Uint8Array>(64);

function readRepeatedBase64(value: Json | undefined, path: string): Uint8Array {
  if (typeof value !== 'string' || value.length > MAX_REMEMBERED_BLOB_CHARS) return readBase64(value, path);
  return rememberedBlobs.getOrAdd(value, () => readBase64(value, path));
}

function readSalts(value: Json | undefined, path: string): Map<string, Uint8Array> {
  if (!isJsonObject(value)) malformed(path, 'must be an object of salts by JSON Pointer');
  const keys = Object.keys(value);
  if (keys.length > MAX_ENTRIES) malformed(path, `holds more than ${MAX_ENTRIES} salts`);
  const salts = new Map<string, Uint8Array>();
  for (const pointer of keys) {
    const text = value[pointer];
    let salt: Uint8Array | undefined;
    try {
      salt = typeof text === 'string' ? base64urlnopad.decode(text) : undefined;
    } catch {
      salt = undefined;
    }
    if (!salt || salt.length !== SALT_BYTES) malformed(`${path}["${pointer.slice(0, 80)}"]`, `must be ${SALT_BYTES} bytes in unpadded base64url`);
    salts.set(pointer, salt);
  }
  return salts;
}

/** Our own format: a field it does not define is refused, so a certificate has one form. */
function onlyFields(value: JsonObject, path: string, fields: readonly string[]): void {
  const unknown = firstUnknownKey(value, fields);
  if (unknown !== undefined) malformed(path, `has a field "${unknown.slice(0, 40)}" that it does not define`);
}

function readLocation(value: Json | undefined, path: string): AnchorLocation {
  if (!isJsonObject(value)) malformed(path, 'must be an object');
  onlyFields(value, path, ['height', 'blockHash', 'txIndex', 'txCount', 'txInclusionPath', 'header', 'commit']);
  return {
    height: readCount(value.height, `${path}.height`),
    blockHash: readHash(value.blockHash, `${path}.blockHash`),
    txIndex: readCount(value.txIndex, `${path}.txIndex`),
    txCount: readCount(value.txCount, `${path}.txCount`),
    txInclusionPath: readHashList(value.txInclusionPath, `${path}.txInclusionPath`, MAX_PATH_LENGTH),
    header: readRepeatedBase64(value.header, `${path}.header`),
    commit: readRepeatedBase64(value.commit, `${path}.commit`),
  };
}

/**
 * Reads a certledger proof. `anchorTransaction`, when given, must be the bytes of the proof's
 * own `anchorTransaction` text, already decoded by the caller (parseCertificate remembers a
 * batch's transaction by its text).
 */
export function parseAnchorProof(value: Json, path = 'proof', anchorTransaction?: Uint8Array): AnchorProof {
  if (!isJsonObject(value) || value.type !== ANCHOR_PROOF_TYPE) malformed(path, `must be a ${ANCHOR_PROOF_TYPE}`);
  onlyFields(value, path, ['type', 'chainId', 'leafIndex', 'inclusionPath', 'salts', 'hiddenDigests', 'anchorTransaction', 'anchor']);
  return {
    chainId: readText(value.chainId, `${path}.chainId`, 64),
    leafIndex: readCount(value.leafIndex, `${path}.leafIndex`),
    inclusionPath: readHashList(value.inclusionPath, `${path}.inclusionPath`, MAX_PATH_LENGTH),
    salts: readSalts(value.salts, `${path}.salts`),
    hiddenDigests: readHashList(value.hiddenDigests, `${path}.hiddenDigests`, MAX_ENTRIES),
    anchorTransaction: anchorTransaction ?? readBase64(value.anchorTransaction, `${path}.anchorTransaction`),
    anchor: value.anchor === undefined || value.anchor === null ? null : readLocation(value.anchor, `${path}.anchor`),
  };
}

/** The credential without `proof` (what its leaf and any Data Integrity proof cover) and its proofs. */
export function splitProofs(credential: JsonObject): { unsecured: JsonObject; proofs: JsonObject[] } {
  const { proof, ...unsecured } = credential;
  const list = proof === undefined ? [] : Array.isArray(proof) ? proof : [proof];
  return { unsecured, proofs: list.filter(isJsonObject) };
}

/** Among a credential's proofs, the certledger proof as the file writes it (not yet read), and the others. */
export function selectAnchorProof(proofs: readonly JsonObject[]): { ours: JsonObject; others: JsonObject[] } {
  const ours = proofs.filter((p) => p.type === ANCHOR_PROOF_TYPE);
  if (ours.length !== 1) malformed('proof', `must hold exactly one ${ANCHOR_PROOF_TYPE}, found ${ours.length}`);
  return { ours: ours[0] as JsonObject, others: proofs.filter((p) => p.type !== ANCHOR_PROOF_TYPE) };
}

/** The credential's certledger proof, and the other proofs beside it. */
export function findAnchorProof(credential: JsonObject): { proof: AnchorProof; others: JsonObject[] } {
  const { ours, others } = selectAnchorProof(splitProofs(credential).proofs);
  return { proof: parseAnchorProof(ours), others };
}

/** The same credential with its certledger proof replaced. */
export function withAnchorProof(credential: JsonObject, proof: AnchorProof): JsonObject {
  const { unsecured, proofs } = splitProofs(credential);
  const others = proofs.filter((p) => p.type !== ANCHOR_PROOF_TYPE);
  const all = [...others, anchorProofToJson(proof)];
  return { ...unsecured, proof: all.length === 1 ? (all[0] as JsonObject) : all };
}
