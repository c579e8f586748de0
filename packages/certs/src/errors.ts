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
