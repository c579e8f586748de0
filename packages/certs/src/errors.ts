/** Thrown for bad input to issuance and disclosure; verification reports failures instead. */
export class CertificateError extends Error {
  constructor(
    readonly code: 'BAD_RECORD' | 'BAD_OPTIONS' | 'SCHEMA_MISMATCH' | 'MALFORMED' | 'BAD_DISCLOSURE' | 'BAD_ANCHOR',
    message: string,
  ) {
    super(message);
    this.name = 'CertificateError';
  }
}

/** Throws the error for a certificate file that is not well-formed. */
export function malformed(message: string): never {
  throw new CertificateError('MALFORMED', message);
}
