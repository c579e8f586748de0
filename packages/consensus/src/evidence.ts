import { CodecError, bytesEqual, compareBytes, decode, encode, readBytes, readTuple, toHex } from '@certledger/codec';
import { verify as verifySignature } from '@certledger/crypto';
import type { VerifyFn } from './commit.js';
import { ConsensusError } from './errors.js';
import { decodeMessage, proposalDigest, voteDigest, type Proposal, type Vote } from './messages.js';
import type { ValidatorSet } from './validator-set.js';

/**
 * Proof that a validator signed two different messages for one height, round and step:
 * both messages exactly as they arrived. Anyone holding the validator set can check it, so
 * it can be put on chain.
 */
export interface Evidence {
  readonly validator: Uint8Array;
  readonly height: number;
  readonly round: number;
  readonly step: 'proposal' | 'prevote' | 'precommit';
  /** The two wire messages, in byte order. */
  readonly messages: readonly [Uint8Array, Uint8Array];
}

const MAX_EVIDENCE_MESSAGE_BYTES = 4096;
/** Values evidence holds when decoded: the pair and its two messages as byte strings. */
const EVIDENCE_VALUES = 3;

type Signed = Vote | Omit<Proposal, 'block'>;

function signerOf(message: Signed): Uint8Array {
  return message.kind === 'vote' ? message.validator : message.proposer;
}

function stepOf(message: Signed): Evidence['step'] {
  return message.kind === 'vote' ? message.type : 'proposal';
}

/** Evidence from two conflicting signed messages already checked by the caller. */
export function makeEvidence(first: Uint8Array, second: Uint8Array, a: Signed): Evidence {
  const ordered = compareBytes(first, second) <= 0 ? ([first, second] as const) : ([second, first] as const);
  return { validator: signerOf(a), height: a.height, round: a.round, step: stepOf(a), messages: ordered };
}

export function encodeEvidence(evidence: Evidence): Uint8Array {
  return encode([...evidence.messages]);
}

/**
 * Checks evidence bytes: two well-formed messages on this chain by one member of `validators`,
 * same height, round and step, different blocks, both signatures valid. Proposals in evidence
 * carry an empty block: only the signed body matters.
 */
export function verifyEvidence(bytes: Uint8Array, chainId: string, validators: ValidatorSet, verify: VerifyFn = verifySignature): Evidence {
  let pair: readonly [Uint8Array, Uint8Array];
  try {
    const [first, second] = readTuple(decode(bytes, { maxBytes: 2 * MAX_EVIDENCE_MESSAGE_BYTES + 16, maxValues: EVIDENCE_VALUES }), 2, 'evidence');
    pair = [readBytes(first!, 'evidence message 1', undefined, MAX_EVIDENCE_MESSAGE_BYTES), readBytes(second!, 'evidence message 2', undefined, MAX_EVIDENCE_MESSAGE_BYTES)];
  } catch (error) {
    if (error instanceof CodecError) throw new ConsensusError('MALFORMED', error.message);
    throw error;
  }
  if (compareBytes(pair[0], pair[1]) >= 0) throw new ConsensusError('MALFORMED', 'evidence messages must be distinct and in byte order');
  const [a, b] = pair.map((m) => decodeMessage(m, chainId, MAX_EVIDENCE_MESSAGE_BYTES));
  if (!a || !b || (a.kind !== 'vote' && a.kind !== 'proposal') || (b.kind !== 'vote' && b.kind !== 'proposal')) throw new ConsensusError('MALFORMED', 'evidence must be two votes or two proposals');
  if (a.kind !== b.kind || stepOf(a) !== stepOf(b) || a.height !== b.height || a.round !== b.round || !bytesEqual(signerOf(a), signerOf(b))) {
    throw new ConsensusError('NOT_EQUIVOCATION', 'evidence messages are not by one validator for one height, round and step');
  }
  const sameBlock = a.blockHash === null ? b.blockHash === null : b.blockHash !== null && bytesEqual(a.blockHash, b.blockHash);
  if (sameBlock) throw new ConsensusError('NOT_EQUIVOCATION', 'evidence messages name the same block');
  const signer = signerOf(a);
  if (!validators.has(signer)) throw new ConsensusError('UNKNOWN_VALIDATOR', `evidence signer ${toHex(signer)} is not in the validator set`);
  for (const message of [a, b]) {
    const digest = message.kind === 'vote' ? voteDigest(message.body) : proposalDigest(message.body);
    if (!verify(message.signature, digest, signer)) throw new ConsensusError('BAD_SIGNATURE', 'an evidence message signature does not verify');
  }
  return { validator: signer, height: a.height, round: a.round, step: stepOf(a), messages: pair };
}
