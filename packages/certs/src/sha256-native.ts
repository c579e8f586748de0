import { hash } from 'node:crypto';

/** SHA-256 through OpenSSL in one call: issuance hashes millions of small inputs. */
export function sha256(data: Uint8Array): Uint8Array {
  const digest = hash('sha256', data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
