import { bytesEqual, toHex } from '@certledger/codec';
import { ConsensusError, ValidatorSet, verifyCommit, type Validator } from '@certledger/consensus';
import { BoundedLru, verifyRemembered } from '@certledger/crypto';
import { blockHash, decodeHeader } from '@certledger/ledger';
import { leafHash, verifyInclusion } from '@certledger/merkle';
import type { AnchorLocation } from './anchor-proof.js';

/** The validators a verifier trusts to have finalised the chain (e.g. from the network's genesis). */
export interface TrustedValidators {
  readonly chainId: string;
  readonly validators: readonly Validator[];
}

interface CheckedLocation {
  readonly anchorTx: Uint8Array;
  readonly location: AnchorLocation;
  readonly chainId: string;
  readonly problem: string | undefined;
}

/**
 * Locations checked lately, by block and transaction: every certificate of a batch carries the
 * same one. An answer is reused only when every input equals the one it was computed from,
 * byte for byte (copies are kept), so it is always the answer a fresh check would give.
 */
const checkedLocations = new BoundedLru<string, CheckedLocation>(64);

function sameLocation(a: AnchorLocation, b: AnchorLocation): boolean {
  return (
    a.height === b.height &&
    a.txIndex === b.txIndex &&
    a.txCount === b.txCount &&
    bytesEqual(a.blockHash, b.blockHash) &&
    bytesEqual(a.header, b.header) &&
    a.txInclusionPath.length === b.txInclusionPath.length &&
    a.txInclusionPath.every((hash, i) => bytesEqual(hash, b.txInclusionPath[i]!))
  );
}

/**
 * Checks that the location a file gives is self-consistent: the header hashes to the block
 * hash, names the height, and its txRoot includes the anchor transaction. Says what failed,
 * or returns undefined. Whether the block is final is a separate question (see below).
 */
export function locationProblem(anchorTx: Uint8Array, location: AnchorLocation, chainId: string): string | undefined {
  const key = `${toHex(location.blockHash)}/${location.txIndex}`;
  const known = checkedLocations.get(key);
  if (known && known.chainId === chainId && bytesEqual(known.anchorTx, anchorTx) && sameLocation(known.location, location)) return known.problem;
  const problem = checkLocation(anchorTx, location, chainId);
  const copy = { ...location, blockHash: location.blockHash.slice(), header: location.header.slice(), txInclusionPath: location.txInclusionPath.map((hash) => hash.slice()) };
  checkedLocations.set(key, { anchorTx: anchorTx.slice(), location: copy, chainId, problem });
  return problem;
}

function checkLocation(anchorTx: Uint8Array, location: AnchorLocation, chainId: string): string | undefined {
  if (!bytesEqual(blockHash(location.header), location.blockHash)) return 'the block header in the file does not hash to the block hash it names';
  let header;
  try {
    header = decodeHeader(location.header);
  } catch (err) {
    return `the block header in the file is not valid: ${(err as Error).message}`;
  }
  if (header.chainId !== chainId) return `the block belongs to chain "${header.chainId}", not "${chainId}"`;
  if (header.height !== location.height) return `the block header is for height ${header.height}, the file says ${location.height}`;
  if (location.txCount !== header.txCount || !verifyInclusion(leafHash(anchorTx), location.txIndex, location.txCount, location.txInclusionPath, header.txRoot)) {
    return `the anchor transaction is not in block ${location.height}: its inclusion path does not reach the header's transaction root`;
  }
  return undefined;
}

/**
 * Checks, without asking anyone, that the anchor transaction is in a block finalised by the
 * trusted validators: a consistent location plus a commit certificate signed by a quorum.
 */
export function offlineAnchorProblem(anchorTx: Uint8Array, location: AnchorLocation, trust: TrustedValidators): string | undefined {
  const inconsistent = locationProblem(anchorTx, location, trust.chainId);
  if (inconsistent) return inconsistent;
  try {
    verifyCommit(location.commit, {
      chainId: trust.chainId,
      validators: new ValidatorSet(trust.validators),
      height: location.height,
      blockHash: location.blockHash,
      verify: verifyRemembered,
    });
  } catch (err) {
    const why = err instanceof ConsensusError ? err.message : `it is not valid: ${(err as Error).message}`;
    return `the commit certificate does not finalise block ${toHex(location.blockHash)} under the trusted validators: ${why}`;
  }
  return undefined;
}
