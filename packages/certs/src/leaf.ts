import { bytesEqual, compareBytes, toHex } from '@certledger/codec';
import { leafHash } from '@certledger/merkle';
import { credentialDigest, credentialDigestOfSorted, entryDigest, pointerOf, visitEntries, type EntryKind, type HashedEntry, type PathSegment } from './entries.js';
import type { JsonObject } from './json.js';

/** Entries outside credentialSubject (issuer, dates, type) are always shown, so need no salt. */
const NO_SALT = new Uint8Array(0);

function isSubjectPath(path: readonly PathSegment[]): boolean {
  return path[0] === 'credentialSubject';
}

interface UnsaltedDigest {
  readonly entry: HashedEntry;
  readonly digest: Uint8Array;
}

function isSameEntry(a: HashedEntry, path: readonly PathSegment[], kind: EntryKind, text: string): boolean {
  if (a.kind !== kind || a.text !== text || a.path.length !== path.length) return false;
  for (let i = 0; i < path.length; i++) if (a.path[i] !== path[i]) return false;
  return true;
}

/** The credential's own id: never the same in two credentials, so never worth remembering. */
function isOwnId(path: readonly PathSegment[]): boolean {
  return path.length === 1 && path[0] === 'id';
}

/** Longer texts are hashed every time, so remembered entries stay small. */
const MAX_REMEMBERED_TEXT = 1024;

/**
 * Digests of unsalted entries: context, type, issuer, dates and schema repeat in every
 * credential of a type. Found by their text and reused only when path and kind are the same
 * too, so a digest is always that of exactly what would be hashed. Bounded: emptied when full.
 */
export class UnsaltedDigests {
  readonly #byText = new Map<string, UnsaltedDigest>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  digestOf(path: readonly PathSegment[], kind: EntryKind, text: string): Uint8Array {
    if (text.length > MAX_REMEMBERED_TEXT || isOwnId(path)) return entryDigest({ path, kind, text }, NO_SALT);
    const known = this.#byText.get(text);
    if (known && isSameEntry(known.entry, path, kind, text)) return known.digest;
    const entry = { path: path.slice(), kind, text };
    const digest = entryDigest(entry, NO_SALT);
    if (this.#byText.size >= this.#capacity) this.#byText.clear();
    this.#byText.set(text, { entry, digest });
    return digest;
  }
}

/** Shared by every verification: the digests depend on nothing but the entries. */
const verifiedUnsalted = new UnsaltedDigests(4096);

export type LeafResult = { readonly ok: true; readonly leaf: Uint8Array } | { readonly ok: false; readonly message: string };

/**
 * The credential's Merkle leaf from what the file shows: each shown entry hashed with its salt,
 * plus the digests of hidden ones. A shown subject entry without a salt was never issued.
 */
export function leafFromDisclosure(unsecured: JsonObject, salts: ReadonlyMap<string, Uint8Array>, hiddenDigests: readonly Uint8Array[]): LeafResult {
  const digests: Uint8Array[] = [];
  let saltsUsed = 0;
  let unsaltedField: string | undefined;
  visitEntries(unsecured, (path, kind, text) => {
    if (!isSubjectPath(path)) {
      digests.push(verifiedUnsalted.digestOf(path, kind, text));
      return;
    }
    if (unsaltedField !== undefined) return;
    const pointer = pointerOf(path);
    const salt = salts.get(pointer);
    if (salt) {
      digests.push(entryDigest({ path, kind, text }, salt));
      saltsUsed++;
    } else if (kind !== 'empty-object' || path.length !== 1) {
      // `credentialSubject: {}` left behind when a holder hid every field stands for nothing.
      unsaltedField = pointer;
    }
  });
  if (unsaltedField !== undefined) return { ok: false, message: `the field ${unsaltedField} has no salt: it is not part of what was issued` };
  // A salt for a field the file does not show is not part of any honest file: refuse it, so one certificate has one form.
  if (saltsUsed !== salts.size) return { ok: false, message: 'the proof holds salts for fields the certificate does not show' };
  for (const digest of hiddenDigests) digests.push(digest);
  digests.sort(compareBytes);
  for (let i = 1; i < digests.length; i++) {
    if (bytesEqual(digests[i - 1]!, digests[i]!)) return { ok: false, message: `the field digest ${toHex(digests[i]!)} appears twice` };
  }
  return { ok: true, leaf: leafHash(credentialDigestOfSorted(digests)) };
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
 * a fresh salt for every subject entry; the unsalted entries' digests are remembered. Gives
 * the leaf {@link leafFromDisclosure} computes from the credential and its salts by pointer.
 */
export class IssuanceHasher {
  readonly #randomBytes: (length: number) => Uint8Array;
  readonly #saltBytes: number;
  readonly #unsalted = new UnsaltedDigests(1024);

  constructor(randomBytes: (length: number) => Uint8Array, saltBytes: number) {
    this.#randomBytes = randomBytes;
    this.#saltBytes = saltBytes;
  }

  leafOf(unsecured: JsonObject): SaltedLeaf {
    const digests: Uint8Array[] = [];
    const subjectEntries: HashedEntry[] = [];
    visitEntries(unsecured, (path, kind, text) => {
      if (isSubjectPath(path)) subjectEntries.push({ path: path.slice(), kind, text });
      else digests.push(this.#unsalted.digestOf(path, kind, text));
    });
    const saltBytes = this.#saltBytes;
    const salts = this.#randomBytes(subjectEntries.length * saltBytes);
    subjectEntries.forEach((entry, i) => digests.push(entryDigest(entry, salts.subarray(i * saltBytes, (i + 1) * saltBytes))));
    return { leaf: leafHash(credentialDigest(digests)), pointers: subjectEntries.map((entry) => pointerOf(entry.path)), salts };
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
