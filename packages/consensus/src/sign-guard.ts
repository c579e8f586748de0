import { CodecError, HASH_BYTES, bytesEqual, decode, encode, readArray, readBytes, readTuple, readUint, type Value } from '@certledger/codec';
import { ConsensusError } from './errors.js';
import { MAX_ROUND, Step } from './messages.js';

export type SignedStep = 'proposal' | 'prevote' | 'precommit';

const stepNames: readonly SignedStep[] = ['proposal', 'prevote', 'precommit'];

/**
 * What a validator signed in its latest round, with the lock it held then. The node persists
 * it before a signed message leaves, so that after a restart the engine neither signs a
 * conflicting message nor forgets its lock, and can re-send exactly what it had signed.
 */
export interface SignRecord {
  readonly height: number;
  readonly round: number;
  /** Block hash (null: nil) signed at each step of that round; a missing step was not signed. */
  readonly signed: Readonly<Partial<Record<SignedStep, Uint8Array | null>>>;
  readonly lockedRound: number;
  readonly lockedBlockHash: Uint8Array | null;
}

/** Where a sign record is kept; `store` implements it on LevelDB. */
export interface SignRecordStore {
  readSignRecord(): Promise<Uint8Array | undefined>;
  writeSignRecord(bytes: Uint8Array): Promise<void>;
}

export type SignDecision = 'sign' | 'repeat' | 'refuse';

export interface SignPosition {
  readonly height: number;
  readonly round: number;
  readonly step: Step;
  readonly blockHash: Uint8Array | null;
}

function sameValue(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : bytesEqual(a, b);
}

/**
 * May a validator whose record is `record` sign at this position? A later round is new; in
 * the record's round a step already signed may only be repeated with the same block (same
 * bytes: Ed25519 is deterministic), and an unsigned step only if no later step was signed.
 */
export function checkSignPosition(record: SignRecord | null, position: SignPosition): SignDecision {
  if (!record) return 'sign';
  const order = Math.sign(position.height - record.height) || Math.sign(position.round - record.round);
  if (order !== 0) return order > 0 ? 'sign' : 'refuse';
  const earlier = record.signed[stepNames[position.step]!];
  if (earlier !== undefined) return sameValue(earlier, position.blockHash) ? 'repeat' : 'refuse';
  const laterSigned = stepNames.slice(position.step + 1).some((name) => record.signed[name] !== undefined);
  return laterSigned ? 'refuse' : 'sign';
}

/** The record after signing at `position` (which {@link checkSignPosition} allowed). */
export function recordSignature(record: SignRecord | null, position: SignPosition, lock: { round: number; blockHash: Uint8Array | null }): SignRecord {
  const sameRound = record !== null && record.height === position.height && record.round === position.round;
  return {
    height: position.height,
    round: position.round,
    signed: { ...(sameRound ? record.signed : {}), [stepNames[position.step]!]: position.blockHash },
    lockedRound: lock.round,
    lockedBlockHash: lock.blockHash,
  };
}

export function encodeSignRecord(record: SignRecord): Uint8Array {
  const signed = stepNames.flatMap((name, step) => (record.signed[name] === undefined ? [] : [[step, record.signed[name]]]));
  return encode([record.height, record.round, signed, record.lockedRound < 0 ? null : record.lockedRound, record.lockedBlockHash]);
}

function readOptionalHash(value: Value, path: string): Uint8Array | null {
  return value === null ? null : readBytes(value, path, HASH_BYTES);
}

export function decodeSignRecord(bytes: Uint8Array): SignRecord {
  try {
    const [height, round, signedSteps, lockedRound, lockedBlockHash] = readTuple(decode(bytes), 5, 'sign record');
    const signed: Partial<Record<SignedStep, Uint8Array | null>> = {};
    for (const entry of readArray(signedSteps!, stepNames.length, 'sign record steps')) {
      const [step, hash] = readTuple(entry, 2, 'sign record step');
      signed[stepNames[readUint(step!, 'sign record step', Step.precommit)]!] = readOptionalHash(hash!, 'sign record block hash');
    }
    return {
      height: readUint(height!, 'sign record height'),
      round: readUint(round!, 'sign record round', MAX_ROUND),
      signed,
      lockedRound: lockedRound === null ? -1 : readUint(lockedRound!, 'sign record locked round', MAX_ROUND),
      lockedBlockHash: readOptionalHash(lockedBlockHash!, 'sign record locked block hash'),
    };
  } catch (error) {
    if (error instanceof CodecError) throw new ConsensusError('MALFORMED', `the sign record is damaged: ${error.message}`);
    throw error;
  }
}
