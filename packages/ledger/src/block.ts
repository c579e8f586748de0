import { CodecError, bytesEqual, decode, encode, readArray, readBytes, readString, readTuple, readUint, taggedHash, toHex, type Value } from '@certledger/codec';
import { leafHash, merkleRoot } from '@certledger/merkle';
import { LedgerRejection, fail, ok, reject, type Result } from './errors.js';
import { MAX_BLOCK_TXS } from './genesis.js';
import type { LedgerParams, State } from './state.js';

export const BLOCK_FORMAT_VERSION = 1;

export interface BlockHeader {
  readonly chainId: string;
  readonly height: number;
  /** Milliseconds since the Unix epoch, chosen by the proposer, strictly increasing. */
  readonly time: number;
  readonly previousHash: Uint8Array;
  readonly txRoot: Uint8Array;
  readonly txCount: number;
  /** State root after applying this block. */
  readonly stateRoot: Uint8Array;
  /** The set whose commit certificate finalises this block. */
  readonly validatorSetHash: Uint8Array;
  /** The set that signs the next block. */
  readonly nextValidatorSetHash: Uint8Array;
  readonly proposer: Uint8Array;
}

export interface Block {
  readonly header: BlockHeader;
  /** The header's exact bytes: the block hash is taken over these. */
  readonly headerBytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly txs: readonly Uint8Array[];
  readonly bytes: Uint8Array;
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  return encode([
    BLOCK_FORMAT_VERSION,
    h.chainId,
    h.height,
    h.time,
    h.previousHash,
    h.txRoot,
    h.txCount,
    h.stateRoot,
    h.validatorSetHash,
    h.nextValidatorSetHash,
    h.proposer,
  ]);
}

export function blockHash(headerBytes: Uint8Array): Uint8Array {
  return taggedHash('block-header', headerBytes);
}

/** RFC 9162 root over the transactions' exact bytes, so a header proves each one's inclusion. */
export function txRoot(txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map((tx) => leafHash(tx)));
}

/** Values a header holds when decoded: its array and eleven fields, none a container. */
const HEADER_VALUES = 12;

export function decodeHeader(headerBytes: Uint8Array): BlockHeader {
  const f = readTuple(decode(headerBytes, { maxBytes: 4096, maxValues: HEADER_VALUES }), 11, 'header');
  const version = readUint(f[0] as Value, 'header.version');
  if (version !== BLOCK_FORMAT_VERSION) reject('MALFORMED_BLOCK', `block format version ${version} is not supported`);
  return {
    chainId: readString(f[1] as Value, 'header.chainId', 64),
    height: readUint(f[2] as Value, 'header.height'),
    time: readUint(f[3] as Value, 'header.time'),
    previousHash: readBytes(f[4] as Value, 'header.previousHash', 32),
    txRoot: readBytes(f[5] as Value, 'header.txRoot', 32),
    txCount: readUint(f[6] as Value, 'header.txCount'),
    stateRoot: readBytes(f[7] as Value, 'header.stateRoot', 32),
    validatorSetHash: readBytes(f[8] as Value, 'header.validatorSetHash', 32),
    nextValidatorSetHash: readBytes(f[9] as Value, 'header.nextValidatorSetHash', 32),
    proposer: readBytes(f[10] as Value, 'header.proposer', 32),
  };
}

export function assembleBlock(header: BlockHeader, txs: readonly Uint8Array[]): Block {
  const headerBytes = encodeHeader(header);
  return { header, headerBytes, hash: blockHash(headerBytes), txs, bytes: encode([headerBytes, [...txs]]) };
}

/**
 * Values a block of at most `maxTxs` transactions may hold when decoded: its array, the header's
 * bytes and the transaction list (3), and a byte string per transaction. Twice the transactions
 * are admitted, so that a block just over the count is refused by the check that names it
 * ({@link decodeReceivedBlock}), while a frame of millions of small values is refused by count.
 */
function maxBlockValues(maxTxs: number): number {
  return 3 + 2 * maxTxs;
}

/**
 * Parses block bytes from a peer or the store: structure only; `applyBlock` judges the content.
 * `maxTxs` is the chain's maxBlockTxs where known; any chain's blocks hold at most MAX_BLOCK_TXS.
 */
export function decodeBlock(bytes: Uint8Array, maxBlockBytes: number, maxTxs = MAX_BLOCK_TXS): Result<Block> {
  if (bytes.length > maxBlockBytes) return fail('BLOCK_TOO_LARGE', `the block is ${bytes.length} bytes; the limit is ${maxBlockBytes}`);
  try {
    const outer = readTuple(decode(bytes, { maxBytes: maxBlockBytes, maxValues: maxBlockValues(maxTxs) }), 2, 'block');
    const headerBytes = readBytes(outer[0] as Value, 'block.header', undefined, 4096);
    const header = decodeHeader(headerBytes);
    const txs = readArray(outer[1] as Value, 1_000_000, 'block.txs').map((tx, i) => readBytes(tx, `block.txs[${i}]`, undefined, maxBlockBytes));
    return ok({ header, headerBytes, hash: blockHash(headerBytes), txs, bytes });
  } catch (err) {
    if (err instanceof LedgerRejection) return fail(err.code, err.message);
    if (err instanceof CodecError) return fail('MALFORMED_BLOCK', err.message);
    throw err;
  }
}

export const TXS_MISMATCH = 'the transactions do not match the header';
/** Blocks whose transactions were found to be those their header names: each is hashed once. */
const txsMatched = new WeakSet<Block>();

/** Whether the block holds exactly the transactions its header names, by count and RFC 9162 root. */
export function txsMatchHeader(block: Block): boolean {
  if (txsMatched.has(block)) return true;
  if (block.header.txCount !== block.txs.length || !bytesEqual(block.header.txRoot, txRoot(block.txs))) return false;
  txsMatched.add(block);
  return true;
}

/**
 * {@link decodeBlock} for bytes from a peer. The block hash covers the header only, so bytes
 * holding other transactions would pass for the block signed or committed under that hash;
 * they are refused here, and so is a count of transactions no block may hold, before any is
 * hashed. Blocks a node stored itself need not pay for these checks.
 */
export function decodeReceivedBlock(bytes: Uint8Array, params: LedgerParams): Result<Block> {
  const decoded = decodeBlock(bytes, params.maxBlockBytes, params.maxBlockTxs);
  if (!decoded.ok) return decoded;
  const count = decoded.value.txs.length;
  if (count > params.maxBlockTxs) return fail('BLOCK_TOO_LARGE', `the block holds ${count} transactions; the limit is ${params.maxBlockTxs}`);
  return txsMatchHeader(decoded.value) ? decoded : fail('BAD_TX_ROOT', TXS_MISMATCH);
}

/** Header checks that need only the previous state: the link, height, time and signer set. */
export function checkHeaderLinks(state: State, header: BlockHeader, validatorSetHashNow: Uint8Array): void {
  if (header.chainId !== state.chainId) reject('WRONG_CHAIN', `the block is for chain "${header.chainId}", this is "${state.chainId}"`);
  if (header.height !== state.height + 1) reject('BAD_HEIGHT', `expected height ${state.height + 1}, got ${header.height}`);
  if (!bytesEqual(header.previousHash, state.lastBlockHash)) {
    reject('BAD_PREVIOUS_HASH', `the block does not follow ${toHex(state.lastBlockHash)}`);
  }
  if (header.time <= state.lastBlockTime) reject('BAD_TIME', `block time ${header.time} is not after the previous block's ${state.lastBlockTime}`);
  if (!bytesEqual(header.validatorSetHash, validatorSetHashNow)) reject('BAD_VALIDATOR_SET_HASH', 'the header names another validator set');
  if (!state.validators.some((v) => bytesEqual(v.publicKey, header.proposer))) reject('BAD_PROPOSER', 'the proposer is not a validator');
}
