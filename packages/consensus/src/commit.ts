import { CodecError, HASH_BYTES, bytesEqual, compareBytes, decode, encode, readArray, readBytes, readTuple, readUint, toHex } from '@certledger/codec';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verify as verifySignature } from '@certledger/crypto';
import { ConsensusError } from './errors.js';
import { MAX_ROUND, voteBody, voteDigest } from './messages.js';
import type { ValidatorSet } from './validator-set.js';

export type VerifyFn = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

export interface CommitSignature {
  readonly validator: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * A commit certificate: precommits for one block at one round from validators holding more
 * than two thirds of the voting power. Each signature is over the precommit vote body,
 * which anyone can rebuild from (chain id, height, round, block hash).
 */
export interface Commit {
  readonly height: number;
  readonly round: number;
  readonly blockHash: Uint8Array;
  readonly signatures: readonly CommitSignature[];
}

const MAX_COMMIT_SIGNATURES = 1000;
/**
 * Values a commit may hold when decoded: its array, three fields and the signature list (5),
 * and 3 per signature (a pair of two byte strings). A commit signed by the most validators a chain
 * may have (the ledger's MAX_VALIDATORS, 150) holds 455; this admits the MAX_COMMIT_SIGNATURES
 * the shape check takes, 3 005.
 */
const MAX_COMMIT_VALUES = 5 + 3 * MAX_COMMIT_SIGNATURES;

export function encodeCommit(commit: Commit): Uint8Array {
  const signatures = [...commit.signatures].sort((a, b) => compareBytes(a.validator, b.validator));
  return encode([commit.height, commit.round, commit.blockHash, signatures.map((s) => [s.validator, s.signature])]);
}

export function decodeCommit(bytes: Uint8Array): Commit {
  try {
    const [height, round, blockHash, signatureValues] = readTuple(decode(bytes, { maxBytes: 256 * MAX_COMMIT_SIGNATURES, maxValues: MAX_COMMIT_VALUES }), 4, 'commit');
    const signatures = readArray(signatureValues!, MAX_COMMIT_SIGNATURES, 'commit signatures').map((entry, i) => {
      const [validator, signature] = readTuple(entry, 2, `commit signature ${i}`);
      return {
        validator: readBytes(validator!, `commit signature ${i} key`, PUBLIC_KEY_BYTES),
        signature: readBytes(signature!, `commit signature ${i}`, SIGNATURE_BYTES),
      };
    });
    // encodeCommit sorts: accepting another order would give one commit several byte strings.
    for (let i = 1; i < signatures.length; i++) {
      if (compareBytes(signatures[i - 1]!.validator, signatures[i]!.validator) >= 0) {
        throw new ConsensusError('MALFORMED', 'commit signatures must be sorted by validator key, each key once');
      }
    }
    return {
      height: readUint(height!, 'commit height'),
      round: readUint(round!, 'commit round', MAX_ROUND),
      blockHash: readBytes(blockHash!, 'commit block hash', HASH_BYTES),
      signatures,
    };
  } catch (error) {
    if (error instanceof CodecError) throw new ConsensusError('MALFORMED', error.message);
    throw error;
  }
}

export interface CommitExpectation {
  readonly chainId: string;
  readonly validators: ValidatorSet;
  readonly height?: number;
  readonly blockHash?: Uint8Array;
  readonly verify?: VerifyFn;
}

/**
 * Checks that a commit certificate finalises its block under the given validator set: every
 * signer is a distinct member, every signature is valid, and together they hold a quorum.
 * Throws {@link ConsensusError} naming the first problem found.
 */
export function verifyCommit(commitOrBytes: Commit | Uint8Array, expected: CommitExpectation): Commit {
  const commit = commitOrBytes instanceof Uint8Array ? decodeCommit(commitOrBytes) : commitOrBytes;
  if (expected.height !== undefined && commit.height !== expected.height) {
    throw new ConsensusError('WRONG_HEIGHT', `commit is for height ${commit.height}, expected ${expected.height}`);
  }
  if (expected.blockHash && !bytesEqual(commit.blockHash, expected.blockHash)) {
    throw new ConsensusError('BAD_BLOCK_HASH', `commit is for block ${toHex(commit.blockHash)}, not ${toHex(expected.blockHash)}`);
  }
  const verify = expected.verify ?? verifySignature;
  const digest = voteDigest(voteBody(expected.chainId, 'precommit', commit.height, commit.round, commit.blockHash));
  const seen = new Set<string>();
  let power = 0;
  for (const { validator, signature } of commit.signatures) {
    const key = toHex(validator);
    if (seen.has(key)) throw new ConsensusError('DUPLICATE_SIGNER', `validator ${key} signs the commit twice`);
    seen.add(key);
    const weight = expected.validators.powerOf(validator);
    if (weight === 0) throw new ConsensusError('UNKNOWN_VALIDATOR', `commit signer ${key} is not in the validator set`);
    if (!verify(signature, digest, validator)) throw new ConsensusError('BAD_SIGNATURE', `commit signature of ${key} does not verify`);
    power += weight;
  }
  if (power < expected.validators.quorum) {
    throw new ConsensusError('NO_QUORUM', `commit signers hold ${power} of ${expected.validators.totalPower} voting power; ${expected.validators.quorum} needed`);
  }
  return commit;
}
