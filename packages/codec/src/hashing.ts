import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

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

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** SHA-256 over a length-prefixed tag followed by the parts, in order. */
export function taggedHash(tag: HashTag, ...parts: Uint8Array[]): Uint8Array {
  const h = nobleSha256.create().update(prefixFor(tag));
  for (const part of parts) h.update(part);
  return h.digest();
}
