import { hash } from 'node:crypto';

/**
 * SHA-256 through OpenSSL in one call, on Node. The digest is asked for as a 'binary' (latin1) string
 * (one character per byte) and copied out: a Buffer result costs an allocation outside the
 * JavaScript heap that the collector must later free, about five times the hashing of a
 * short input.
 */
export function sha256(data: Uint8Array): Uint8Array {
  const digest = hash('sha256', data, 'binary');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = digest.charCodeAt(i);
  return out;
}
