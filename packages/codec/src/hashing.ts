import { utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256 as digest } from '#sha256';
import { concatBytes } from './hex.js';

export const HASH_BYTES = 32;

/**
 * Every hash that means something on the ledger is taken under a tag naming what it is, so
 * the bytes of one kind of thing can never be passed off as the hash of another.
 */
export type HashTag =
  | 'tx'
  | 'block-header'
  | 'vote'
  | 'proposal'
  | 'state'
  | 'state-entry'
  | 'validator-set'
  | 'key-id'
  | 'tx-signing'
  | 'governance-approval'
  | 'cert-leaf'
  | 'cert-field'
  | 'evidence';

const tagPrefixes = new Map<string, Uint8Array>();

function prefixFor(tag: string): Uint8Array {
  let prefix = tagPrefixes.get(tag);
  if (!prefix) {
    const name = utf8ToBytes(`certledger/${tag}`);
    prefix = new Uint8Array(1 + name.length);
    prefix[0] = name.length;
    prefix.set(name, 1);
    tagPrefixes.set(tag, prefix);
  }
  return prefix;
}

/** SHA-256: Node's native one on Node, @noble/hashes elsewhere (package.json "imports"). */
export function sha256(data: Uint8Array): Uint8Array {
  return digest(data);
}

/**
 * Inputs made of parts are gathered here and hashed in one native call: cheaper than a
 * streaming hash object, and than a fresh array, which costs an allocation outside the
 * JavaScript heap once it is over 64 bytes (about 2 µs for a transaction's 227). Safe because
 * hashing is synchronous.
 */
const SCRATCH_BYTES = 4096;
const scratch = new Uint8Array(SCRATCH_BYTES);

/** SHA-256 over the parts one after another, as if concatenated. */
export function sha256OfParts(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  if (length > SCRATCH_BYTES) return digest(concatBytes(...parts));
  let offset = 0;
  for (const part of parts) {
    scratch.set(part, offset);
    offset += part.length;
  }
  return digest(scratch.subarray(0, length));
}

/** SHA-256 over a length-prefixed tag followed by the parts, in order. */
export function taggedHash(tag: HashTag, ...parts: Uint8Array[]): Uint8Array {
  return sha256OfParts(prefixFor(tag), ...parts);
}
