/** Why a byte string or value was refused; stable codes for machines, messages for people. */
export type CodecErrorCode =
  | 'TOO_LARGE'
  | 'MALFORMED'
  | 'TRAILING_BYTES'
  | 'NON_CANONICAL'
  | 'UNSUPPORTED_TYPE'
  | 'TOO_DEEP'
  | 'WRONG_SHAPE';

export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}
