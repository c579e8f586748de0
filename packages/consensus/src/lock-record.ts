import { CodecError, decode, encode, readArray, readBytes, readTuple, readUint } from '@certledger/codec';
import { ConsensusError } from './errors.js';
import { MAX_ROUND } from './messages.js';

/**
 * The block a validator locked on and the prevote quorum that justified the lock, persisted
 * when the lock is taken. A restarted validator needs both: the lock alone would make it refuse
 * every other block, while without the block and its quorum it could never propose the locked
 * one again, and a network where enough validators restarted that way would stall.
 */
export interface LockRecord {
  readonly height: number;
  readonly round: number;
  readonly block: Uint8Array;
  /** The prevotes for the block in that round, as they arrived. */
  readonly prevotes: readonly Uint8Array[];
}

const MAX_LOCK_PREVOTES = 1000;

export function encodeLockRecord(record: LockRecord): Uint8Array {
  return encode([record.height, record.round, record.block, [...record.prevotes]]);
}

export function decodeLockRecord(bytes: Uint8Array, maxBlockBytes: number): LockRecord {
  try {
    const [height, round, block, prevotes] = readTuple(decode(bytes, { maxBytes: maxBlockBytes + 1024 * MAX_LOCK_PREVOTES }), 4, 'lock record');
    return {
      height: readUint(height!, 'lock record height'),
      round: readUint(round!, 'lock record round', MAX_ROUND),
      block: readBytes(block!, 'lock record block', undefined, maxBlockBytes),
      prevotes: readArray(prevotes!, MAX_LOCK_PREVOTES, 'lock record prevotes').map((p, i) => readBytes(p, `lock record prevote ${i}`, undefined, 1024)),
    };
  } catch (error) {
    if (error instanceof CodecError) throw new ConsensusError('MALFORMED', `the lock record is damaged: ${error.message}`);
    throw error;
  }
}
