import { bytesEqual, toHex } from '@certledger/codec';
import { ConsensusError, ValidatorSet, verifyCommit, type Validator } from '@certledger/consensus';
import { verifyRemembered } from '@certledger/crypto';
import { blockHash, decodeHeader } from '@certledger/ledger';
import { leafHash, verifyInclusion } from '@certledger/merkle';
import type { AnchorLocation } from './anchor-proof.js';

/** The validators a verifier trusts to have finalised the chain (e.g. from the network's genesis). */
export interface TrustedValidators {
  readonly chainId: string;
  readonly validators: readonly Validator[];
}

/**
 * Checks, without asking anyone, that the anchor transaction is in a block finalised by the
 * trusted validators: header hash, commit certificate, and the transaction's inclusion path to
 * the header's txRoot. Returns a sentence saying what failed, or undefined when all holds.
 */
export function offlineAnchorProblem(anchorTx: Uint8Array, location: AnchorLocation, trust: TrustedValidators): string | undefined {
  if (!bytesEqual(blockHash(location.header), location.blockHash)) return 'the block header in the file does not hash to the block hash it names';
  let header;
  try {
    header = decodeHeader(location.header);
  } catch (err) {
    return `the block header in the file is not valid: ${(err as Error).message}`;
  }
  if (header.chainId !== trust.chainId) return `the block belongs to chain "${header.chainId}", not the trusted "${trust.chainId}"`;
  if (header.height !== location.height) return `the block header is for height ${header.height}, the file says ${location.height}`;
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
  if (location.txCount !== header.txCount || !verifyInclusion(leafHash(anchorTx), location.txIndex, location.txCount, location.txInclusionPath, header.txRoot)) {
    return `the anchor transaction is not in block ${location.height}: its inclusion path does not reach the header's transaction root`;
  }
  return undefined;
}
