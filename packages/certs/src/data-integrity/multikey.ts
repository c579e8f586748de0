import { base58 } from '@scure/base';
import { PUBLIC_KEY_BYTES } from '@certledger/crypto';
import { CertificateError } from '../errors.js';

/** Multicodec varint header of an Ed25519 public key (code 0xed), as Multikey and did:key use it. */
const ED25519_PUBLIC_KEY_HEADER = Uint8Array.of(0xed, 0x01);
const BASE58BTC_PREFIX = 'z';
const DID_KEY_PREFIX = 'did:key:';
/** Longest piece of a caller's string repeated in an error message. */
const QUOTE_LIMIT = 100;

export function quoteForMessage(text: string): string {
  return JSON.stringify(text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);
}

export function encodeBase58btcMultibase(bytes: Uint8Array): string {
  return BASE58BTC_PREFIX + base58.encode(bytes);
}

/** Bytes of a base58btc Multibase string; `what` names the value in the error. */
export function decodeBase58btcMultibase(value: string, what: string): Uint8Array {
  if (!value.startsWith(BASE58BTC_PREFIX)) {
    throw new CertificateError('MALFORMED', `${what} is not base58btc Multibase: it must start with "z"`);
  }
  try {
    return base58.decode(value.slice(BASE58BTC_PREFIX.length));
  } catch {
    throw new CertificateError('MALFORMED', `${what} is not valid base58btc`);
  }
}

/** The key bytes of a Multikey value: base58btc of `header || key`, with the key `keyBytes` long. */
export function decodeMultikey(multibase: string, header: Uint8Array, keyBytes: number, what: string): Uint8Array {
  const bytes = decodeBase58btcMultibase(multibase, what);
  const hasHeader = header.every((byte, index) => bytes[index] === byte);
  if (!hasHeader || bytes.length !== header.length + keyBytes) {
    throw new CertificateError('MALFORMED', `${what} is not a ${keyBytes}-byte key with multicodec header 0x${toHexHeader(header)}`);
  }
  return bytes.slice(header.length);
}

function toHexHeader(header: Uint8Array): string {
  return Array.from(header, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function requirePublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) {
    const got = publicKey instanceof Uint8Array ? `${publicKey.length} bytes` : typeof publicKey;
    throw new CertificateError('BAD_OPTIONS', `an Ed25519 public key is a ${PUBLIC_KEY_BYTES}-byte Uint8Array, got ${got}`);
  }
}

/** Multikey `publicKeyMultibase` of an Ed25519 key: `z6Mk…`. */
export function publicKeyMultibase(publicKey: Uint8Array): string {
  requirePublicKey(publicKey);
  const bytes = new Uint8Array(ED25519_PUBLIC_KEY_HEADER.length + PUBLIC_KEY_BYTES);
  bytes.set(ED25519_PUBLIC_KEY_HEADER);
  bytes.set(publicKey, ED25519_PUBLIC_KEY_HEADER.length);
  return encodeBase58btcMultibase(bytes);
}

/** The Ed25519 key of a Multikey `publicKeyMultibase` (`z6Mk…`); any other key type is refused. */
export function publicKeyFromMultibase(multibase: string): Uint8Array {
  const what = `publicKeyMultibase ${quoteForMessage(multibase)}`;
  return decodeMultikey(multibase, ED25519_PUBLIC_KEY_HEADER, PUBLIC_KEY_BYTES, what);
}

/** `did:key:z6Mk…`: the self-describing identifier of an Ed25519 key that W3C verifiers resolve offline. */
export function didKeyFromPublicKey(publicKey: Uint8Array): string {
  return DID_KEY_PREFIX + publicKeyMultibase(publicKey);
}

/**
 * The Ed25519 key named by `did:key:z6Mk…` or by its verification method `did:key:z6Mk…#z6Mk…`
 * (the fragment must repeat the key). Anything else (another DID method, key type, path or
 * query) is refused with a `CertificateError` saying why.
 */
export function publicKeyFromDidKey(didOrVerificationMethod: string): Uint8Array {
  if (typeof didOrVerificationMethod !== 'string') {
    throw new CertificateError('MALFORMED', `a did:key identifier is a string, got ${typeof didOrVerificationMethod}`);
  }
  const quoted = quoteForMessage(didOrVerificationMethod);
  if (!didOrVerificationMethod.startsWith(DID_KEY_PREFIX)) {
    throw new CertificateError('MALFORMED', `${quoted} is not a did:key identifier`);
  }
  const hashIndex = didOrVerificationMethod.indexOf('#');
  const multibase = didOrVerificationMethod.slice(DID_KEY_PREFIX.length, hashIndex < 0 ? undefined : hashIndex);
  if (hashIndex >= 0 && didOrVerificationMethod.slice(hashIndex + 1) !== multibase) {
    throw new CertificateError('MALFORMED', `the fragment of ${quoted} does not repeat its key, so it names another verification method`);
  }
  return decodeMultikey(multibase, ED25519_PUBLIC_KEY_HEADER, PUBLIC_KEY_BYTES, `${quoted} (an Ed25519 did:key)`);
}
