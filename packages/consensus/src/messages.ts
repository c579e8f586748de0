import { CodecError, decode, encode, readBytes, readString, readTuple, readUint, taggedHash, type Value } from '@certledger/codec';
import { HASH_BYTES } from '@certledger/codec';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, type Signer } from '@certledger/crypto';
import { ConsensusError } from './errors.js';

export type VoteType = 'prevote' | 'precommit';

/** Position of a signed message within a round; the sign-guard orders messages by it. */
export const Step = { propose: 0, prevote: 1, precommit: 2 } as const;
export type Step = (typeof Step)[keyof typeof Step];

/** Rounds beyond this are refused: at growing timeouts they would take years to reach. */
export const MAX_ROUND = 1_000_000;
/** Bytes a consensus message may take beyond the block it carries. */
const ENVELOPE_BYTES = 1024;
/**
 * Values a consensus message, or the signed body inside it, may hold when decoded: a proposal,
 * the largest, holds 6 (its array and five fields; the block travels as one byte string, decoded
 * later under its own bound), a proposal or vote body 6 too. A frame of millions of small values
 * is refused after 16 instead of being built.
 */
const MAX_MESSAGE_VALUES = 16;

const MessageKind = { proposal: 0, vote: 1, decision: 2, status: 3 } as const;
const voteTypeCode: Record<VoteType, number> = { prevote: 1, precommit: 2 };

export interface Proposal {
  readonly kind: 'proposal';
  readonly height: number;
  readonly round: number;
  /** The round whose prevote quorum justifies re-proposing this block, or -1. */
  readonly polRound: number;
  readonly blockHash: Uint8Array;
  readonly proposer: Uint8Array;
  readonly signature: Uint8Array;
  /** The exact signed bytes as received. */
  readonly body: Uint8Array;
  readonly block: Uint8Array;
}

export interface Vote {
  readonly kind: 'vote';
  readonly type: VoteType;
  readonly height: number;
  readonly round: number;
  /** null is a vote for no block ("nil"). */
  readonly blockHash: Uint8Array | null;
  readonly validator: Uint8Array;
  readonly signature: Uint8Array;
  readonly body: Uint8Array;
}

/** A decided block with its commit certificate, sent to validators that fell behind. */
export interface Decision {
  readonly kind: 'decision';
  readonly block: Uint8Array;
  readonly commit: Uint8Array;
}

/**
 * Where a node stands, sent with every re-broadcast. Unsigned: it only prompts peers to send
 * decisions to a node that fell behind, which they check like any decision.
 */
export interface Status {
  readonly kind: 'status';
  readonly height: number;
  readonly round: number;
}

export type ConsensusMessage = Proposal | Vote | Decision | Status;

export function proposalBody(chainId: string, height: number, round: number, polRound: number, blockHash: Uint8Array): Uint8Array {
  return encode([chainId, height, round, polRound < 0 ? null : polRound, blockHash]);
}

export function voteBody(chainId: string, type: VoteType, height: number, round: number, blockHash: Uint8Array | null): Uint8Array {
  return encode([chainId, height, round, voteTypeCode[type], blockHash]);
}

export function proposalDigest(body: Uint8Array): Uint8Array {
  return taggedHash('proposal', body);
}

export function voteDigest(body: Uint8Array): Uint8Array {
  return taggedHash('vote', body);
}

export function signProposal(
  signer: Signer,
  chainId: string,
  fields: { height: number; round: number; polRound: number; blockHash: Uint8Array; block: Uint8Array },
): Proposal {
  const body = proposalBody(chainId, fields.height, fields.round, fields.polRound, fields.blockHash);
  return { kind: 'proposal', ...fields, proposer: signer.publicKey, signature: signer.sign(proposalDigest(body)), body };
}

export function signVote(
  signer: Signer,
  chainId: string,
  fields: { type: VoteType; height: number; round: number; blockHash: Uint8Array | null },
): Vote {
  const body = voteBody(chainId, fields.type, fields.height, fields.round, fields.blockHash);
  return { kind: 'vote', ...fields, validator: signer.publicKey, signature: signer.sign(voteDigest(body)), body };
}

export function encodeMessage(message: ConsensusMessage): Uint8Array {
  switch (message.kind) {
    case 'proposal':
      return encode([MessageKind.proposal, message.body, message.proposer, message.signature, message.block]);
    case 'vote':
      return encode([MessageKind.vote, message.body, message.validator, message.signature]);
    case 'decision':
      return encode([MessageKind.decision, message.block, message.commit]);
    case 'status':
      return encode([MessageKind.status, message.height, message.round]);
  }
}

function readRound(value: Value, path: string): number {
  return readUint(value, path, MAX_ROUND);
}

function readHash(value: Value, path: string): Uint8Array {
  return readBytes(value, path, HASH_BYTES);
}

function readChain(value: Value, chainId: string): void {
  const claimed = readString(value, 'chain id', 128);
  if (claimed !== chainId) throw new ConsensusError('WRONG_CHAIN', `message is for chain "${claimed}", this is "${chainId}"`);
}

function parseProposal(items: readonly Value[], chainId: string): Proposal {
  const [, bodyValue, proposerValue, signatureValue, blockValue] = readTuple(items, 5, 'proposal');
  const body = readBytes(bodyValue!, 'proposal body', undefined, ENVELOPE_BYTES);
  const [chain, height, round, polRound, blockHash] = readTuple(decode(body, { maxBytes: ENVELOPE_BYTES, maxValues: MAX_MESSAGE_VALUES }), 5, 'proposal body');
  readChain(chain!, chainId);
  const parsed = {
    height: readUint(height!, 'proposal height'),
    round: readRound(round!, 'proposal round'),
    polRound: polRound === null ? -1 : readRound(polRound!, 'proposal pol round'),
    blockHash: readHash(blockHash!, 'proposal block hash'),
  };
  if (parsed.polRound >= parsed.round) throw new ConsensusError('MALFORMED', 'proposal pol round must be before its round');
  return {
    kind: 'proposal',
    ...parsed,
    proposer: readBytes(proposerValue!, 'proposer key', PUBLIC_KEY_BYTES),
    signature: readBytes(signatureValue!, 'proposal signature', SIGNATURE_BYTES),
    body,
    block: readBytes(blockValue!, 'proposal block', undefined, Number.MAX_SAFE_INTEGER),
  };
}

function parseVote(items: readonly Value[], chainId: string): Vote {
  const [, bodyValue, validatorValue, signatureValue] = readTuple(items, 4, 'vote');
  const body = readBytes(bodyValue!, 'vote body', undefined, ENVELOPE_BYTES);
  const [chain, height, round, typeCode, blockHash] = readTuple(decode(body, { maxBytes: ENVELOPE_BYTES, maxValues: MAX_MESSAGE_VALUES }), 5, 'vote body');
  readChain(chain!, chainId);
  const code = readUint(typeCode!, 'vote type', 2);
  if (code === 0) throw new ConsensusError('MALFORMED', 'vote type must be 1 (prevote) or 2 (precommit)');
  return {
    kind: 'vote',
    type: code === voteTypeCode.prevote ? 'prevote' : 'precommit',
    height: readUint(height!, 'vote height'),
    round: readRound(round!, 'vote round'),
    blockHash: blockHash === null ? null : readHash(blockHash!, 'vote block hash'),
    validator: readBytes(validatorValue!, 'validator key', PUBLIC_KEY_BYTES),
    signature: readBytes(signatureValue!, 'vote signature', SIGNATURE_BYTES),
    body,
  };
}

function parseDecision(items: readonly Value[]): Decision {
  const [, block, commit] = readTuple(items, 3, 'decision');
  return {
    kind: 'decision',
    block: readBytes(block!, 'decision block', undefined, Number.MAX_SAFE_INTEGER),
    commit: readBytes(commit!, 'decision commit', undefined, Number.MAX_SAFE_INTEGER),
  };
}

function parseStatus(items: readonly Value[]): Status {
  const [, height, round] = readTuple(items, 3, 'status');
  return { kind: 'status', height: readUint(height!, 'status height'), round: readRound(round!, 'status round') };
}

const parsers: Record<number, (items: readonly Value[], chainId: string) => ConsensusMessage> = {
  [MessageKind.proposal]: parseProposal,
  [MessageKind.vote]: parseVote,
  [MessageKind.decision]: parseDecision,
  [MessageKind.status]: parseStatus,
};

/**
 * Reads a message from the wire and checks its shape and chain; signatures are checked by
 * the engine, which knows the validator set. Throws {@link ConsensusError} with the reason.
 */
export function decodeMessage(bytes: Uint8Array, chainId: string, maxBlockBytes: number): ConsensusMessage {
  try {
    const items = decode(bytes, { maxBytes: maxBlockBytes * 2 + ENVELOPE_BYTES, maxValues: MAX_MESSAGE_VALUES });
    if (!Array.isArray(items) || items.length === 0) throw new ConsensusError('MALFORMED', 'a consensus message must be a non-empty array');
    const kind = readUint(items[0] as Value, 'message kind', MessageKind.status);
    const message = parsers[kind]!(items, chainId);
    if ((message.kind === 'proposal' || message.kind === 'decision') && message.block.length > maxBlockBytes) {
      throw new ConsensusError('MALFORMED', `block of ${message.block.length} bytes exceeds the limit of ${maxBlockBytes}`);
    }
    return message;
  } catch (error) {
    if (error instanceof CodecError) throw new ConsensusError('MALFORMED', error.message);
    throw error;
  }
}
