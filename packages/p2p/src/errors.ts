export type P2pErrorCode =
  | 'not-started'
  | 'not-connected'
  | 'queue-full'
  | 'timeout'
  | 'peer-disconnected'
  | 'stopped'
  | 'remote-error'
  | 'too-many-requests';

/** Failure of a network operation (as opposed to a programming error, which throws TypeError/RangeError). */
export class P2pError extends Error {
  override readonly name = 'P2pError';
  constructor(
    readonly code: P2pErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
