import { bytesEqual, compareBytes, toHex } from '@certledger/codec';
import { leafHash } from '@certledger/merkle';
import { credentialDigest, entryDigest, flattenEntries, pointerOf, visitEntries, type Entry, type EntryKind, type HashedEntry, type PathSegment } from './entries.js';
import type { JsonObject } from './json.js';

/** Entries outside credentialSubject (issuer, dates, type) are always shown, so need no salt. */
const NO_SALT = new Uint8Array(0);

function isSubjectPath(path: readonly PathSegment[]): boolean {
  return path[0] === 'credentialSubject';
}

export function isSubjectEntry(entry: Entry): boolean {
  return isSubjectPath(entry.path);
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
  let saltsUsed = 0;
  for (const entry of flattenEntries(unsecured)) {
    if (!isSubjectEntry(entry)) {
      digests.push(entryDigest(entry, NO_SALT));
      continue;
    }
    if (isEmptiedSubject(entry, salts)) continue;
    const salt = salts.get(entry.pointer);
    if (!salt) return { ok: false, message: `the field ${entry.pointer} has no salt: it is not part of what was issued` };
    digests.push(entryDigest(entry, salt));
    saltsUsed++;
  }
  // A salt for a field the file does not show is not part of any honest file: refuse it, so one certificate has one form.
  if (saltsUsed !== salts.size) return { ok: false, message: 'the proof holds salts for fields the certificate does not show' };
  const all = [...digests, ...hiddenDigests].sort(compareBytes);
  for (let i = 1; i < all.length; i++) {
    if (bytesEqual(all[i - 1]!, all[i]!)) return { ok: false, message: `the field digest ${toHex(all[i]!)} appears twice` };
  }
  return { ok: true, leaf: leafHash(credentialDigest(all)) };
}

interface UnsaltedDigest {
  readonly entry: HashedEntry;
  readonly digest: Uint8Array;
}

function isSameEntry(a: HashedEntry, path: readonly PathSegment[], kind: EntryKind, text: string): boolean {
  return a.kind === kind && a.text === text && a.path.length === path.length && a.path.every((segment, i) => segment === path[i]);
}

export interface SaltedLeaf {
  readonly leaf: Uint8Array;
  /** The JSON Pointer of every subject entry, in the order of {@link visitEntries}. */
  readonly pointers: readonly string[];
  /**
   * Their salts, one after another. One buffer per credential rather than a map of salts: a
   * batch keeps them all until its tree is built, and one object is less for the garbage
   * collector to move than one per salt.
   */
  readonly salts: Uint8Array;
}

/**
 * Salts and hashes credentials being issued, in one walk over each credential's entries, with
 * a fresh salt for every subject entry. The unsalted entries (issuer, type, dates) repeat in
 * every credential of a batch, so the digest of the n-th one is remembered and reused while
 * its path, kind and text stay the same. Gives the leaf {@link leafFromDisclosure} computes
 * from the credential and its salts by pointer.
 */
export class IssuanceHasher {
  readonly #randomBytes: (length: number) => Uint8Array;
  readonly #saltBytes: number;
  readonly #unsalted: UnsaltedDigest[] = [];

  constructor(randomBytes: (length: number) => Uint8Array, saltBytes: number) {
    this.#randomBytes = randomBytes;
    this.#saltBytes = saltBytes;
  }

  leafOf(unsecured: JsonObject): SaltedLeaf {
    const digests: Uint8Array[] = [];
    const subjectEntries: HashedEntry[] = [];
    visitEntries(unsecured, (path, kind, text) => {
      if (isSubjectPath(path)) subjectEntries.push({ path: path.slice(), kind, text });
      else digests.push(this.#unsaltedDigest(digests.length, path, kind, text));
    });
    const saltBytes = this.#saltBytes;
    const salts = this.#randomBytes(subjectEntries.length * saltBytes);
    subjectEntries.forEach((entry, i) => digests.push(entryDigest(entry, salts.subarray(i * saltBytes, (i + 1) * saltBytes))));
    return { leaf: leafHash(credentialDigest(digests)), pointers: subjectEntries.map((entry) => pointerOf(entry.path)), salts };
  }

  #unsaltedDigest(position: number, path: readonly PathSegment[], kind: EntryKind, text: string): Uint8Array {
    const known = this.#unsalted[position];
    if (known && isSameEntry(known.entry, path, kind, text)) return known.digest;
    const entry = { path: path.slice(), kind, text };
    const digest = entryDigest(entry, NO_SALT);
    this.#unsalted[position] = { entry, digest };
    return digest;
  }
}

/** The salts {@link IssuanceHasher} drew for a credential, by the pointer of their entry. */
export function saltsByPointer({ pointers, salts }: SaltedLeaf, saltBytes: number): Map<string, Uint8Array> {
  return new Map(pointers.map((pointer, i) => [pointer, salts.subarray(i * saltBytes, (i + 1) * saltBytes)]));
}

/** Salts for every subject entry of one credential, e.g. to build a credential by hand in a test. */
export function saltSubject(unsecured: JsonObject, randomBytes: (length: number) => Uint8Array, saltBytes: number): Map<string, Uint8Array> {
  return saltsByPointer(new IssuanceHasher(randomBytes, saltBytes).leafOf(unsecured), saltBytes);
}
