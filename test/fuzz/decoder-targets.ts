import { bytesEqual, CodecError, concatBytes, decode, encode, toHex } from '@certledger/codec';
import { ConsensusError, decodeCommit, decodeMessage, encodeCommit, encodeMessage, proposalBody, voteBody } from '@certledger/consensus';
import { blockHash, decodeBlock, decodeHeader, decodeTransaction, DEFAULT_PARAMS, encodeHeader, encodeTxBody, LedgerRejection } from '@certledger/ledger';
import { encodeFrame, FrameDecoder, FrameError, type Frame } from '@certledger/p2p';
import fc from 'fast-check';
import { buildCorpus, FRAME_CHANNELS, type Corpus } from './corpus.js';
import type { FuzzTarget, TargetFamily } from './harness.js';
import { hostileBytes } from './mutations.js';

const MAX_BLOCK_BYTES = DEFAULT_PARAMS.maxBlockBytes;
const MAX_FRAME_PAYLOAD = 4096;

/** A decoded value must encode back to its bytes: otherwise one value has two byte strings. */
function expectSameBytes(reencoded: Uint8Array, original: Uint8Array, what: string): void {
  if (!bytesEqual(reencoded, original)) throw new Error(`${what} decoded but re-encodes to other bytes: ${toHex(original).slice(0, 160)} became ${toHex(reencoded).slice(0, 160)}`);
}

/**
 * The code of a refusal in a package's own error type. Anything else thrown is a bug (a
 * TypeError or RangeError from reading past what was checked) and is thrown on.
 */
function refusalCode(error: unknown): string {
  if (error instanceof CodecError || error instanceof ConsensusError || error instanceof LedgerRejection || error instanceof FrameError) return `${error.constructor.name} ${error.code}`;
  throw error;
}

/**
 * A decoder fed hostile bytes. Decoders that answer a `Result` refuse by returning it and may
 * throw nothing; the others refuse by throwing their package's error.
 */
function byteDecoder(name: string, corpus: readonly Uint8Array[], decodeOrRefuse: (bytes: Uint8Array) => string, refusesByThrowing = true): FuzzTarget<Uint8Array> {
  return {
    name,
    arbitrary: hostileBytes(corpus),
    run: (bytes) => {
      if (!refusesByThrowing) return decodeOrRefuse(bytes);
      try {
        return decodeOrRefuse(bytes);
      } catch (error) {
        return refusalCode(error);
      }
    },
  };
}

function codecTarget(corpus: Corpus): FuzzTarget<Uint8Array> {
  const all = [...corpus.txs, ...corpus.messages, ...corpus.commits, ...corpus.headers];
  return byteDecoder('codec', all, (bytes) => {
    const value = decode(bytes);
    expectSameBytes(encode(value), bytes, 'a value');
    return `decoded ${Array.isArray(value) ? 'array' : value instanceof Uint8Array ? 'bytes' : value === null ? 'null' : typeof value}`;
  });
}

function transactionTarget(corpus: Corpus): FuzzTarget<Uint8Array> {
  return byteDecoder('transaction', corpus.txs, (bytes) => {
    const decoded = decodeTransaction(bytes);
    if (!decoded.ok) return decoded.error.code;
    const tx = decoded.value;
    expectSameBytes(encodeTxBody(tx.body), tx.bodyBytes, 'a transaction body');
    expectSameBytes(encode([tx.bodyBytes, tx.signature, tx.approvals.map((a) => [a.publicKey, a.signature])]), bytes, 'a transaction');
    return `decoded ${tx.body.action.kind}`;
  }, false);
}

function blockTarget(corpus: Corpus): FuzzTarget<Uint8Array> {
  return byteDecoder('block', corpus.blocks, (bytes) => {
    const decoded = decodeBlock(bytes, MAX_BLOCK_BYTES);
    if (!decoded.ok) return decoded.error.code;
    const block = decoded.value;
    expectSameBytes(encodeHeader(block.header), block.headerBytes, 'a block header');
    expectSameBytes(encode([block.headerBytes, [...block.txs]]), bytes, 'a block');
    expectSameBytes(blockHash(block.headerBytes), block.hash, 'a block hash');
    return 'decoded';
  }, false);
}

function headerTarget(corpus: Corpus): FuzzTarget<Uint8Array> {
  return byteDecoder('header', corpus.headers, (bytes) => {
    expectSameBytes(encodeHeader(decodeHeader(bytes)), bytes, 'a block header');
    return 'decoded';
  });
}

function messageTarget(corpus: Corpus): FuzzTarget<Uint8Array> {
  return byteDecoder('consensus-message', corpus.messages, (bytes) => {
    const message = decodeMessage(bytes, corpus.chainId, MAX_BLOCK_BYTES);
    expectSameBytes(encodeMessage(message), bytes, `a ${message.kind} message`);
    if (message.kind === 'proposal') {
      expectSameBytes(proposalBody(corpus.chainId, message.height, message.round, message.polRound, message.blockHash), message.body, 'a proposal body');
    } else if (message.kind === 'vote') {
      expectSameBytes(voteBody(corpus.chainId, message.type, message.height, message.round, message.blockHash), message.body, 'a vote body');
    }
    return `decoded ${message.kind}`;
  });
}

function commitTarget(corpus: Corpus): FuzzTarget<Uint8Array> {
  return byteDecoder('commit', corpus.commits, (bytes) => {
    expectSameBytes(encodeCommit(decodeCommit(bytes)), bytes, 'a commit');
    return 'decoded';
  });
}

interface FrameInput {
  readonly bytes: Uint8Array;
  /** Where the stream is cut into chunks, as fractions of its length. */
  readonly cuts: readonly number[];
}

/** Frames decoded from `chunks`, and how the decoder ended: "complete", or its refusal (a cut-off frame included). */
function decodeFrames(chunks: readonly Uint8Array[]): { frames: Frame[]; end: string } {
  const decoder = new FrameDecoder({ maxPayloadBytes: MAX_FRAME_PAYLOAD, isKnownChannel: (name) => (FRAME_CHANNELS as readonly string[]).includes(name) });
  const frames: Frame[] = [];
  try {
    for (const chunk of chunks) frames.push(...decoder.push(chunk));
    decoder.finish();
    return { frames, end: 'complete' };
  } catch (error) {
    return { frames, end: refusalCode(error) };
  }
}

/**
 * The stream decoder: any split of the bytes into chunks gives the same verdict as the whole
 * and the same frames (or more, before an error), and the frames are exactly the bytes they came from.
 */
function frameTarget(corpus: Corpus): FuzzTarget<FrameInput> {
  return {
    name: 'frame',
    arbitrary: fc.record({ bytes: hostileBytes(corpus.frames), cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }) }),
    run: ({ bytes, cuts }) => {
      const whole = decodeFrames([bytes]);
      const offsets = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
      const boundaries = [0, ...offsets, bytes.length];
      const split = decodeFrames(boundaries.slice(1).map((end, i) => bytes.subarray(boundaries[i], end)));
      const wholeBytes = concatBytes(...whole.frames.map(encodeFrame));
      const splitBytes = concatBytes(...split.frames.map(encodeFrame));
      expectSameBytes(splitBytes, bytes.subarray(0, splitBytes.length), 'a frame sequence');
      // Frames sharing a chunk with an invalid byte are dropped with the stream, so an error may cost the whole run frames.
      const sameFrames = whole.end === 'complete' ? bytesEqual(splitBytes, wholeBytes) : bytesEqual(splitBytes.subarray(0, wholeBytes.length), wholeBytes);
      if (split.end !== whole.end || !sameFrames) {
        throw new Error(`split at ${offsets.join(',')} the decoder ended "${split.end}" after ${split.frames.length} frames, whole it ended "${whole.end}" after ${whole.frames.length}`);
      }
      return `${whole.end} after ${Math.min(whole.frames.length, 3)}${whole.frames.length > 3 ? '+' : ''} frames`;
    },
  };
}

export function decoderFamily(): TargetFamily {
  const corpus = buildCorpus();
  const targets: FuzzTarget<unknown>[] = [codecTarget, transactionTarget, blockTarget, headerTarget, messageTarget, commitTarget, frameTarget].map((make) => make(corpus));
  return { name: 'decoders', targets: targets.map((target) => ({ name: `decoders/${target.name}`, start: async () => target })) };
}
