/** Why a consensus message, commit or evidence was refused. */
export type ConsensusErrorCode =
  | 'MALFORMED'
  | 'WRONG_CHAIN'
  | 'UNKNOWN_VALIDATOR'
  | 'NOT_PROPOSER'
  | 'BAD_SIGNATURE'
  | 'BAD_BLOCK_HASH'
  | 'DUPLICATE_SIGNER'
  | 'NO_QUORUM'
  | 'WRONG_HEIGHT'
  | 'NOT_EQUIVOCATION';

export class ConsensusError extends Error {
  override readonly name = 'ConsensusError';
  constructor(
    readonly code: ConsensusErrorCode,
    message: string,
  ) {
    super(message);
  }
}
