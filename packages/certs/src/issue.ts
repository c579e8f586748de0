import { MerkleTree } from '@certledger/merkle';
import { checkIdentifier, prepareTransaction, signTransaction, txId } from '@certledger/ledger';
import type { Signer } from '@certledger/crypto';
import { SALT_BYTES, withAnchorProof, type AnchorLocation, type AnchorProof } from './anchor-proof.js';
import { buildCredential, checkValidityDates, type CredentialTemplate } from './credential.js';
import { CertificateError } from './errors.js';
import { isJsonObject, type JsonObject } from './json.js';
import { leafFromDisclosure, saltSubject } from './leaf.js';
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

function platformRandomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

function uuidV4(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
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
  const drafts = records.map((record, i) => {
    const credential = buildCredential(template, uuidV4(ids.subarray(i * 16, i * 16 + 16)), structuredClone(record as JsonObject));
    const salts = saltSubject(credential, randomBytes, SALT_BYTES);
    const leaf = leafFromDisclosure(credential, salts, []);
    if (!leaf.ok) throw new CertificateError('BAD_RECORD', `record ${i + 1}: ${leaf.message}`);
    if ((i + 1) % PROGRESS_EVERY === 0) options.onProgress?.(i + 1, records.length);
    return { credential, salts, leaf: leaf.leaf };
  });
  const leaves = drafts.map((d) => d.leaf);
  const tree = new MerkleTree(leaves);
  const unsigned = prepareTransaction({
    chainId: options.chainId,
    sender: options.signer.publicKey,
    seq: options.seq,
    action: { kind: 'anchor', issuerId: options.issuerId, typeId: options.typeId, typeVersion: options.typeVersion, root: tree.root, leafCount: leaves.length },
  });
  const anchorTransaction = signTransaction(unsigned, options.signer);
  const credentials = drafts.map(({ credential, salts }, i) => {
    const proof: AnchorProof = {
      chainId: options.chainId,
      leafIndex: i,
      inclusionPath: tree.inclusionProof(i),
      salts,
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
