import { base58 } from '@scure/base';
import { PUBLIC_KEY_BYTES } from '@certledger/crypto';
import { CertificateError } from './errors.js';

/** Multicodec varint prefix of an Ed25519 public key (0xed, 0x01). */
const ED25519_PUB_PREFIX = Uint8Array.of(0xed, 0x01);
const DID_KEY = 'did:key:';

/** `did:key:z6Mk…`: the standard self-describing name of an Ed25519 key, as W3C verifiers expect. */
export function didKeyFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new CertificateError('BAD_OPTIONS', `an Ed25519 public key is ${PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}`);
  const bytes = new Uint8Array(ED25519_PUB_PREFIX.length + publicKey.length);
  bytes.set(ED25519_PUB_PREFIX);
  bytes.set(publicKey, ED25519_PUB_PREFIX.length);
  return `${DID_KEY}z${base58.encode(bytes)}`;
}

/** The key named by `did:key:z6Mk…` or its verification method `did:key:z6Mk…#z6Mk…`. */
export function publicKeyFromDidKey(did: string): Uint8Array {
  const [base, fragment] = did.split('#', 2) as [string, string | undefined];
  if (!base.startsWith(`${DID_KEY}z`)) throw new CertificateError('MALFORMED', `"${did.slice(0, 80)}" is not a did:key identifier`);
  const multibase = base.slice(DID_KEY.length);
  if (fragment !== undefined && fragment !== multibase) throw new CertificateError('MALFORMED', `the fragment of "${did.slice(0, 120)}" names another key`);
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(multibase.slice(1));
  } catch {
    throw new CertificateError('MALFORMED', `"${did.slice(0, 80)}" is not valid base58btc`);
  }
  if (bytes.length !== ED25519_PUB_PREFIX.length + PUBLIC_KEY_BYTES || bytes[0] !== 0xed || bytes[1] !== 0x01) {
    throw new CertificateError('MALFORMED', `"${did.slice(0, 80)}" does not name an Ed25519 key`);
  }
  return bytes.slice(ED25519_PUB_PREFIX.length);
}
