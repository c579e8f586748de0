import { toHex } from '@certledger/codec';
import { leafHash } from '@certledger/merkle';
import { credentialDigest, entryDigest, flattenEntries, type Entry } from './entries.js';
import type { JsonObject } from './json.js';

/** Entries outside credentialSubject (issuer, dates, type) are always shown, so need no salt. */
const NO_SALT = new Uint8Array(0);

export function isSubjectEntry(entry: Entry): boolean {
  return entry.path[0] === 'credentialSubject';
}

/** `credentialSubject: {}` left behind when a holder hid every field stands for nothing. */
function isEmptiedSubject(entry: Entry, salts: ReadonlyMap<string, Uint8Array>): boolean {
  return entry.kind === 'empty-object' && entry.path.length === 1 && !salts.has(entry.pointer);
}

export type LeafResult = { readonly ok: true; readonly leaf: Uint8Array } | { readonly ok: false; readonly message: string };

/**
 * The credential's Merkle leaf from what the file shows: each shown entry hashed with its salt,
 * plus the digests of hidden ones. A shown subject entry without a salt was never issued.
 */
export function leafFromDisclosure(unsecured: JsonObject, salts: ReadonlyMap<string, Uint8Array>, hiddenDigests: readonly Uint8Array[]): LeafResult {
  const digests: Uint8Array[] = [];
  for (const entry of flattenEntries(unsecured)) {
    if (!isSubjectEntry(entry)) {
      digests.push(entryDigest(entry, NO_SALT));
      continue;
    }
    if (isEmptiedSubject(entry, salts)) continue;
    const salt = salts.get(entry.pointer);
    if (!salt) return { ok: false, message: `the field ${entry.pointer} has no salt: it is not part of what was issued` };
    digests.push(entryDigest(entry, salt));
  }
  const seen = new Set<string>();
  for (const digest of [...digests, ...hiddenDigests]) {
    const hex = toHex(digest);
    if (seen.has(hex)) return { ok: false, message: `the field digest ${hex} appears twice` };
    seen.add(hex);
  }
  return { ok: true, leaf: leafHash(credentialDigest([...digests, ...hiddenDigests])) };
}

/** Salts for every subject entry of a credential being issued, taken from one random buffer. */
export function saltSubject(unsecured: JsonObject, randomBytes: (length: number) => Uint8Array, saltBytes: number): Map<string, Uint8Array> {
  const subjectEntries = flattenEntries(unsecured).filter(isSubjectEntry);
  const pool = randomBytes(subjectEntries.length * saltBytes);
  return new Map(subjectEntries.map((entry, i) => [entry.pointer, pool.subarray(i * saltBytes, (i + 1) * saltBytes)]));
}
