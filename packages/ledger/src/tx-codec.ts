import { CodecError, compareBytes, decode, encode, readArray, readBytes, readString, readTuple, readUint, taggedHash, type Value } from '@certledger/codec';
import { verify, verifyRemembered, type Signer } from '@certledger/crypto';
import { MAX_REVOCATIONS_PER_TX, MAX_TX_MAP_KEYS, actionPayload, readAction, readKind } from './action-codec.js';
import { LedgerRejection, fail, ok, reject, type Result } from './errors.js';
import { isGovernanceKind, type Approval, type Transaction, type TxBody } from './transaction.js';

export const TX_FORMAT_VERSION = 1;
export const DEFAULT_MAX_TX_BYTES = 64 * 1024;
const MAX_APPROVALS = 256;
/**
 * Values each of a transaction's two decodings may hold, so that bytes from a client or peer
 * cost work by what a transaction can hold, not by their length (a nil is one byte). The largest
 * body, a revocation of MAX_REVOCATIONS_PER_TX entries, holds 11 + 7 per entry = 7 011; the outer
 * array with MAX_APPROVALS approvals 4 + 3 per approval = 772. Twice the larger.
 */
const MAX_TX_VALUES = 2 * (11 + 7 * MAX_REVOCATIONS_PER_TX);

export function encodeTxBody(body: TxBody): Uint8Array {
  return encode([TX_FORMAT_VERSION, body.chainId, body.action.kind, body.sender, body.seq, actionPayload(body.action)]);
}

/** What the sender signs: the body bytes under their own tag, so a signature means one thing only. */
export function txSigningDigest(bodyBytes: Uint8Array): Uint8Array {
  return taggedHash('tx-signing', bodyBytes);
}

/**
 * Signature verdicts by decoded transaction. The check is a pure function of the object's
 * bytes, which nothing changes once decoded, so its answer (either way) stands for the object's
 * life: a node decodes a transaction once, on arrival, and the mempool, the proposer and the
 * validator of each proposal pay for one check between them.
 */
const signatureVerdicts = new WeakMap<Transaction, boolean>();

function verdictOf(tx: Transaction, check: typeof verify): boolean {
  let verdict = signatureVerdicts.get(tx);
  if (verdict === undefined) {
    verdict = check(tx.signature, txSigningDigest(tx.bodyBytes), tx.body.sender);
    signatureVerdicts.set(tx, verdict);
  }
  return verdict;
}

/**
 * Whether the sender's signature over the body verifies (strict Ed25519), checked once per
 * decoded transaction: the state transition asks this, so a node that keeps its decodings (the
 * mempool's, a proposal's) checks each transaction once between the pool, its block and the
 * validation of a proposal.
 */
export function hasValidSignature(tx: Transaction): boolean {
  return verdictOf(tx, verify);
}

/**
 * {@link hasValidSignature} that also remembers a valid signature by its bytes, for a process
 * that decodes the same transaction many times (a verifier meeting one anchor in many
 * certificates): a later decoding of those bytes is not checked again. A node keeps its
 * decodings instead, and there such a memory would be upkeep on every transaction.
 */
export function hasValidSignatureRemembered(tx: Transaction): boolean {
  return verdictOf(tx, verifyRemembered);
}

/** What each validator approving a governance action signs. */
export function governanceApprovalDigest(bodyBytes: Uint8Array): Uint8Array {
  return taggedHash('governance-approval', bodyBytes);
}

export function txId(bodyBytes: Uint8Array): Uint8Array {
  return taggedHash('tx', bodyBytes);
}

function readBody(bodyBytes: Uint8Array): TxBody {
  const fields = readTuple(decode(bodyBytes, { maxValues: MAX_TX_VALUES, maxMapKeys: MAX_TX_MAP_KEYS }), 6, 'tx.body');
  const version = readUint(fields[0] as Value, 'tx.body.version');
  if (version !== TX_FORMAT_VERSION) reject('MALFORMED_TX', `transaction format version ${version} is not supported (expected ${TX_FORMAT_VERSION})`);
  const kind = readKind(fields[2] as Value, 'tx.body.kind');
  return {
    chainId: readString(fields[1] as Value, 'tx.body.chainId', 64),
    sender: readBytes(fields[3] as Value, 'tx.body.sender', 32),
    seq: readUint(fields[4] as Value, 'tx.body.seq'),
    action: readAction(kind, fields[5] as Value, 'tx.body.action'),
  };
}

function readApprovals(value: Value): Approval[] {
  const items = readArray(value, MAX_APPROVALS, 'tx.approvals');
  const approvals = items.map((item, i) => {
    const pair = readTuple(item, 2, `tx.approvals[${i}]`);
    return { publicKey: readBytes(pair[0] as Value, `tx.approvals[${i}].publicKey`, 32), signature: readBytes(pair[1] as Value, `tx.approvals[${i}].signature`, 64) };
  });
  for (let i = 1; i < approvals.length; i++) {
    if (compareBytes((approvals[i - 1] as Approval).publicKey, (approvals[i] as Approval).publicKey) >= 0) {
      reject('BAD_APPROVALS', 'approvals must be sorted by public key, each key once');
    }
  }
  return approvals;
}

/**
 * Parses a transaction from the bytes a client or peer sent. Structure only: signatures and
 * rules are the state transition's job. The bytes are kept as received, never re-encoded.
 */
export function decodeTransaction(bytes: Uint8Array, maxBytes = DEFAULT_MAX_TX_BYTES): Result<Transaction> {
  if (!(bytes instanceof Uint8Array)) return fail('MALFORMED_TX', 'a transaction must be a byte string');
  if (bytes.length > maxBytes) return fail('TX_TOO_LARGE', `the transaction is ${bytes.length} bytes; the limit is ${maxBytes}`);
  try {
    const outer = readTuple(decode(bytes, { maxBytes, maxValues: MAX_TX_VALUES, maxMapKeys: MAX_TX_MAP_KEYS }), 3, 'tx');
    const bodyBytes = readBytes(outer[0] as Value, 'tx.body', undefined, maxBytes);
    const body = readBody(bodyBytes);
    const signature = readBytes(outer[1] as Value, 'tx.signature', 64);
    const approvals = readApprovals(outer[2] as Value);
    if (!isGovernanceKind(body.action.kind) && approvals.length > 0) {
      reject('BAD_APPROVALS', `a ${body.action.kind} transaction carries no approvals`);
    }
    return ok({ body, bodyBytes, signature, approvals, id: txId(bodyBytes), bytes });
  } catch (err) {
    if (err instanceof LedgerRejection) return fail(err.code, err.message);
    if (err instanceof CodecError) return fail('MALFORMED_TX', err.message);
    throw err;
  }
}

export interface UnsignedTx {
  readonly body: TxBody;
  readonly bodyBytes: Uint8Array;
}

/** Encodes a body and checks it would decode: a builder never produces a transaction peers refuse. */
export function prepareTransaction(body: TxBody): UnsignedTx {
  const bodyBytes = encodeTxBody(body);
  readBody(bodyBytes);
  return { body, bodyBytes };
}

export function approveGovernance(unsigned: UnsignedTx, approver: Signer): Approval {
  return { publicKey: approver.publicKey, signature: approver.sign(governanceApprovalDigest(unsigned.bodyBytes)) };
}

/** Signs and assembles a transaction; approvals (governance only) are sorted here. */
export function signTransaction(unsigned: UnsignedTx, sender: Signer, approvals: readonly Approval[] = []): Uint8Array {
  const sorted = [...approvals].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  const signature = sender.sign(txSigningDigest(unsigned.bodyBytes));
  return encode([unsigned.bodyBytes, signature, sorted.map((a) => [a.publicKey, a.signature])]);
}
