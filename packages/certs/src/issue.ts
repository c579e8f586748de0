import { hex } from '@scure/base';
import { MerkleTree } from '@certledger/merkle';
import { checkIdentifier, prepareTransaction, signTransaction, txId } from '@certledger/ledger';
import type { Signer } from '@certledger/crypto';
import { SALT_BYTES, withAnchorProof, type AnchorLocation, type AnchorProof } from './anchor-proof.js';
import { buildCredential, checkValidityDates, type CredentialTemplate } from './credential.js';
import { CertificateError } from './errors.js';
import { MAX_DEPTH, pointerOf, type PathSegment } from './entries.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { IssuanceHasher, saltsByPointer, type SaltedLeaf } from './leaf.js';
import { compileRecordSchema } from './schema.js';
import { findAnchorProof } from './anchor-proof.js';

export interface IssueBatchOptions {
  readonly chainId: string;
  readonly issuerId: string;
  readonly issuerDisplayName: string;
  /** The department's current key: it signs the anchor transaction, which stands for the root signature. */
  readonly signer: Signer;
  /** The department's next transaction sequence number on the ledger. */
  readonly seq: number;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly typeDisplayName: string;
  /** The type's JSON Schema; its {@link schemaHash} must be the one registered on the ledger. */
  readonly schema: JsonObject;
  readonly validFrom: string;
  readonly validUntil?: string | null;
  /** Source of salts and credential ids; the platform's CSPRNG unless a test passes its own. */
  readonly randomBytes?: (length: number) => Uint8Array;
  /** Adds a further proof to each credential before anchoring (e.g. an eddsa-jcs-2022 proof). */
  readonly addProof?: (credential: JsonObject) => JsonObject;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface IssuedBatch {
  /** One credential per record, in record order, each with its proof but not yet its anchor location. */
  readonly credentials: JsonObject[];
  readonly root: Uint8Array;
  readonly leaves: Uint8Array[];
  /** The signed anchor transaction to submit to the ledger. */
  readonly anchorTransaction: Uint8Array;
  readonly anchorTxId: Uint8Array;
}

export const MAX_BATCH = 1_000_000;
const PROGRESS_EVERY = 1000;
const RANDOM_BYTES_PER_DRAW = 64 * 1024;

function platformRandomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

/**
 * Random bytes cut from large draws, so the random source is called a few times per batch
 * rather than once per credential. Each piece is a view of the draw it came from.
 */
function randomPool(randomBytes: (length: number) => Uint8Array): (length: number) => Uint8Array {
  let pool: Uint8Array = new Uint8Array(0);
  let offset = 0;
  return (length) => {
    if (offset + length > pool.length) {
      pool = randomBytes(Math.max(length, RANDOM_BYTES_PER_DRAW));
      offset = 0;
    }
    offset += length;
    return pool.subarray(offset - length, offset);
  };
}

function uuidV4(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const digits = hex.encode(b);
  // join, not a template: the id is kept by its credential, and a template of slices is a rope.
  return ['urn:uuid:', digits.slice(0, 8), '-', digits.slice(8, 12), '-', digits.slice(12, 16), '-', digits.slice(16, 20), '-', digits.slice(20, 32)].join('');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/**
 * What every credential of the batch has in common (context, type, issuer, dates, schema),
 * built once and frozen: a batch of 100k then holds those objects once, and a change to one
 * credential's shared part throws instead of changing them all. Only id and subject differ.
 */
function batchCredentialMaker(template: CredentialTemplate): (id: string, subject: JsonObject) => JsonObject {
  const base = buildCredential(template, '', {});
  Object.values(base).forEach(deepFreeze);
  return (id, subject) => ({ ...base, id, credentialSubject: subject });
}

function describeValue(value: unknown): string {
  if (value === undefined || typeof value === 'number') return String(value);
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`;
  return `a ${value.constructor?.name ?? 'non-plain object'}`;
}

/** In Unicode mode a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The text with its lone surrogates written as escapes, to show it in a message. */
function escapeLoneSurrogates(text: string): string {
  return text.replace(/\p{Cs}/gu, (half) => `\\u${half.charCodeAt(0).toString(16)}`);
}

/**
 * The record's own copy for its credential. Anything JSON cannot hold (undefined, NaN, a Date,
 * a Map…) is refused, since the certificate must verify from its JSON file exactly as issued;
 * so are texts that are not Unicode (a lone surrogate: I-JSON forbids it, UTF-8 cannot write
 * it, and JSON readers differ on it) and integers past 2^53 - 1, which a JSON reader has
 * already rounded (2^53 + 1 reads as 2^53). Keys are checked before they join the path, so
 * the path in a message is always Unicode. Strings are shared rather than copied: they cannot
 * change.
 */
function copyRecord(record: JsonObject, recordNumber: number): JsonObject {
  const path: PathSegment[] = [];
  const refuse = (what: string): never => {
    throw new CertificateError('BAD_RECORD', `record ${recordNumber}: ${pointerOf(path) || 'the record'} ${what}`);
  };
  const copy = (value: unknown): Json => {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const loneSurrogateAt = value.search(LONE_SURROGATE);
      if (loneSurrogateAt >= 0) refuse(`holds a lone surrogate at character ${loneSurrogateAt + 1}, which is not Unicode text`);
      return value;
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        refuse(`is ${value}, past the integers a JSON number holds exactly (up to 2^53 - 1 either side of zero), so it may already have been rounded: send it as a string`);
      }
      return value;
    }
    // Hashing refuses depth past MAX_DEPTH with the field's pointer; this only stops the recursion.
    if (path.length > MAX_DEPTH) throw new CertificateError('BAD_RECORD', `record ${recordNumber}: nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      const out: Json[] = [];
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        out.push(copy(value[i]));
        path.pop();
      }
      return out;
    }
    const prototype = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (prototype === Object.prototype || prototype === null) {
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(value as object)) {
        if (LONE_SURROGATE.test(key)) refuse(`has the key "${escapeLoneSurrogates(key)}", which holds a lone surrogate and is not Unicode text`);
        path.push(key);
        const itemCopy = copy(item);
        // A key "__proto__" (JSON.parse makes such keys) must stay a key, not set a prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value: itemCopy, enumerable: true, writable: true, configurable: true });
        else out[key] = itemCopy;
        path.pop();
      }
      return out;
    }
    return refuse(`is ${describeValue(value)}, which JSON cannot hold`);
  };
  return copy(record) as JsonObject;
}

/** The credential's leaf; a record too deep or with too many fields is named in the error. */
function leafOfRecord(hasher: IssuanceHasher, credential: JsonObject, recordNumber: number): SaltedLeaf {
  try {
    return hasher.leafOf(credential);
  } catch (err) {
    if (err instanceof CertificateError) throw new CertificateError('BAD_RECORD', `record ${recordNumber}: ${err.message}`);
    throw err;
  }
}

function checkOptions(options: IssueBatchOptions, count: number): void {
  if (count === 0) throw new CertificateError('BAD_OPTIONS', 'there are no records to issue');
  if (count > MAX_BATCH) throw new CertificateError('BAD_OPTIONS', `a batch holds at most ${MAX_BATCH} records, got ${count}`);
  for (const [what, id] of [['issuer id', options.issuerId], ['type id', options.typeId]] as const) {
    try {
      checkIdentifier(id, what);
    } catch (err) {
      throw new CertificateError('BAD_OPTIONS', (err as Error).message);
    }
  }
  checkValidityDates(options.validFrom, options.validUntil ?? null);
}

/**
 * Builds a batch: each record becomes a W3C credential whose subject fields are salted and
 * hashed into one Merkle leaf; the department signs one anchor transaction for the root.
 * Records are checked against the type's schema first; one bad record stops the batch.
 */
export function issueBatch(records: readonly unknown[], options: IssueBatchOptions): IssuedBatch {
  checkOptions(options, records.length);
  const validate = compileRecordSchema(options.schema);
  records.forEach((record, i) => {
    if (!isJsonObject(record)) throw new CertificateError('BAD_RECORD', `record ${i + 1}: must be a JSON object`);
    const problem = validate(record);
    if (problem) throw new CertificateError('SCHEMA_MISMATCH', `record ${i + 1}: ${problem}`);
  });
  const randomBytes = options.randomBytes ?? platformRandomBytes;
  const template: CredentialTemplate = {
    chainId: options.chainId,
    issuerPublicKey: options.signer.publicKey,
    issuerDisplayName: options.issuerDisplayName,
    typeId: options.typeId,
    typeVersion: options.typeVersion,
    typeDisplayName: options.typeDisplayName,
    validFrom: options.validFrom,
    validUntil: options.validUntil ?? null,
  };
  const ids = randomBytes(records.length * 16);
  const hasher = new IssuanceHasher(randomPool(randomBytes), SALT_BYTES);
  const makeCredential = batchCredentialMaker(template);
  const drafts = records.map((record, i) => {
    const credential = makeCredential(uuidV4(ids.subarray(i * 16, i * 16 + 16)), copyRecord(record as JsonObject, i + 1));
    const salted = leafOfRecord(hasher, credential, i + 1);
    if ((i + 1) % PROGRESS_EVERY === 0) options.onProgress?.(i + 1, records.length);
    return { credential, salted };
  });
  const leaves = drafts.map((draft) => draft.salted.leaf);
  const tree = new MerkleTree(leaves);
  const unsigned = prepareTransaction({
    chainId: options.chainId,
    sender: options.signer.publicKey,
    seq: options.seq,
    action: { kind: 'anchor', issuerId: options.issuerId, typeId: options.typeId, typeVersion: options.typeVersion, root: tree.root, leafCount: leaves.length },
  });
  const anchorTransaction = signTransaction(unsigned, options.signer);
  const credentials = drafts.map(({ credential, salted }, i) => {
    const proof: AnchorProof = {
      chainId: options.chainId,
      leafIndex: i,
      inclusionPath: tree.inclusionProof(i),
      salts: saltsByPointer(salted, SALT_BYTES),
      hiddenDigests: [],
      anchorTransaction,
      anchor: null,
    };
    return withAnchorProof(options.addProof ? options.addProof(credential) : credential, proof);
  });
  options.onProgress?.(records.length, records.length);
  return { credentials, root: tree.root, leaves, anchorTransaction, anchorTxId: txId(unsigned.bodyBytes) };
}

/** The credential with the location of its committed anchor, so it can be checked offline too. */
export function attachAnchorLocation(credential: JsonObject, location: AnchorLocation): JsonObject {
  const { proof } = findAnchorProof(credential);
  return withAnchorProof(credential, { ...proof, anchor: location });
}
