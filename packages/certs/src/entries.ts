import { compareBytes, sha256, type HashTag } from '@certledger/codec';
import { CertificateError } from './errors.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';

export type PathSegment = string | number;

/**
 * The kind is part of every hashed entry, so `true` cannot turn into `"true"`, `1` into `"1"`,
 * or `null` into `"null"`; empty objects and arrays are entries of their own, so inserting
 * `{}` or `[]` anywhere changes the hash (formats that hash only leaf values miss both).
 */
export type EntryKind = 'null' | 'boolean' | 'number' | 'string' | 'empty-object' | 'empty-array';

export interface Entry {
  /** Object keys as strings, array positions as numbers: `a.0` and `a[0]` hash differently. */
  readonly path: readonly PathSegment[];
  /** RFC 6901 JSON Pointer of the path, used to name the entry's salt in a certificate file. */
  readonly pointer: string;
  readonly kind: EntryKind;
  /** The value as text: numbers in JavaScript's shortest round-trip form, the same as JSON's. */
  readonly text: string;
}

/** What an entry's hash covers: everything but its pointer, which is its path written out. */
export type HashedEntry = Pick<Entry, 'path' | 'kind' | 'text'>;

export const MAX_ENTRIES = 10_000;
export const MAX_DEPTH = 32;

function escapePointerSegment(segment: PathSegment): string {
  if (typeof segment === 'number') return String(segment);
  return segment.includes('~') || segment.includes('/') ? segment.replaceAll('~', '~0').replaceAll('/', '~1') : segment;
}

export function pointerOf(path: readonly PathSegment[]): string {
  let pointer = '';
  for (const segment of path) pointer += `/${escapePointerSegment(segment)}`;
  return pointer;
}

/**
 * An object's keys in code-unit order, as Array#sort orders them. Insertion sort for the few
 * keys records have: Array#sort allocates about a kilobyte per call, twice per object issued.
 */
function sortedKeys(node: JsonObject): string[] {
  const keys = Object.keys(node);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
}

/** What {@link visitEntries} shows of an entry. `path` is the walker's own array: copy it to keep it. */
export type EntryVisitor = (path: readonly PathSegment[], kind: EntryKind, text: string) => void;

/** One walk's state, passed down rather than closed over: the walk is on every verification's hot path. */
interface Walk {
  readonly path: PathSegment[];
  readonly prefixLength: number;
  readonly visit: EntryVisitor;
  count: number;
}

function emit(walk: Walk, kind: EntryKind, text: string): void {
  if (++walk.count > MAX_ENTRIES) throw new CertificateError('MALFORMED', `more than ${MAX_ENTRIES} fields`);
  walk.visit(walk.path, kind, text);
}

function walkNode(walk: Walk, node: Json): void {
  const { path } = walk;
  if (path.length - walk.prefixLength > MAX_DEPTH) throw new CertificateError('MALFORMED', `${pointerOf(path)}: nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(node)) {
    if (node.length === 0) emit(walk, 'empty-array', '');
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      walkNode(walk, node[i] as Json);
      path.pop();
    }
  } else if (isJsonObject(node)) {
    const keys = sortedKeys(node);
    if (keys.length === 0) emit(walk, 'empty-object', '');
    for (const key of keys) {
      path.push(key);
      walkNode(walk, node[key] as Json);
      path.pop();
    }
  } else if (node === null) {
    emit(walk, 'null', '');
  } else if (typeof node === 'boolean') {
    emit(walk, 'boolean', node ? 'true' : 'false');
  } else if (typeof node === 'string') {
    emit(walk, 'string', node);
  } else if (typeof node === 'number' && Number.isFinite(node)) {
    emit(walk, 'number', String(node));
  } else {
    const what = typeof node === 'number' ? `${node} is not a JSON number` : `${typeof node} is not a JSON value`;
    throw new CertificateError('MALFORMED', `${pointerOf(path)}: ${what}`);
  }
}

/**
 * Visits every leaf of a JSON value with its path, in a fixed order (object keys sorted).
 * Containers with children contribute nothing themselves: their shape is in their children's
 * paths. One walk for issuance and verification alike, allocating nothing per entry.
 */
export function visitEntries(value: Json, visit: EntryVisitor, prefix: readonly PathSegment[] = []): void {
  walkNode({ path: [...prefix], prefixLength: prefix.length, visit, count: 0 }, value);
}

/** Every entry of a JSON value, in {@link visitEntries}' order. */
export function flattenEntries(value: Json, prefix: readonly PathSegment[] = []): Entry[] {
  const out: Entry[] = [];
  visitEntries(value, (path, kind, text) => out.push({ path: path.slice(), pointer: pointerOf(path), kind, text }), prefix);
  return out;
}

/**
 * What codec's taggedHash puts before the parts: the name's length, then "certledger/<tag>".
 * Entries hash with one SHA-256 call over prefix and bytes together, native on Node, where
 * the streaming noble hasher behind taggedHash costs more than the hashing itself.
 * entries.test.ts checks the digests equal taggedHash's.
 */
function tagPrefix(tag: HashTag): Uint8Array {
  const name = new TextEncoder().encode(`certledger/${tag}`);
  return Uint8Array.of(name.length, ...name);
}

const FIELD_TAG = tagPrefix('cert-field');
const LEAF_TAG = tagPrefix('cert-leaf');

const KIND_CODES: Readonly<Record<EntryKind, number>> = { null: 0, boolean: 1, number: 2, string: 3, 'empty-object': 4, 'empty-array': 5 };
const KEY_SEGMENT = 0;
const INDEX_SEGMENT = 1;

/**
 * Writes an entry's hashed bytes (or a credential digest's) into one growing buffer, reused
 * because issuance hashes millions of entries. Every variable-length part carries its length,
 * so one byte string stands for exactly one (path, salt, kind, text).
 */
class EntryWriter {
  #bytes = new Uint8Array(1024);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  /** The tag prefix, then the entry: the whole input of its tagged hash, in one piece. */
  taggedBytesOf(entry: HashedEntry, salt: Uint8Array): Uint8Array {
    this.#length = 0;
    this.#raw(FIELD_TAG);
    this.#byte(KIND_CODES[entry.kind]);
    this.#uint32(entry.path.length);
    for (const segment of entry.path) {
      if (typeof segment === 'number') {
        this.#byte(INDEX_SEGMENT);
        this.#uint32(segment);
      } else {
        this.#byte(KEY_SEGMENT);
        this.#text(segment);
      }
    }
    this.#uint32(salt.length);
    this.#raw(salt);
    this.#text(entry.text);
    return this.#bytes.subarray(0, this.#length);
  }

  /** The leaf tag prefix, then the digests one after another: the whole input of a credential digest. */
  taggedDigestsOf(digests: readonly Uint8Array[]): Uint8Array {
    this.#length = 0;
    this.#raw(LEAF_TAG);
    for (const digest of digests) this.#raw(digest);
    return this.#bytes.subarray(0, this.#length);
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.#bytes.length, this.#length + extra));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  #raw(data: Uint8Array): void {
    this.#reserve(data.length);
    this.#bytes.set(data, this.#length);
    this.#length += data.length;
  }

  #byte(value: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = value;
  }

  #uint32(value: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#length, value);
    this.#length += 4;
  }

  /**
   * Byte length, then WTF-8: UTF-8 for every well-formed string, and a lone surrogate (which
   * JSON.parse can produce) as its own 3-byte form, so distinct strings never share bytes.
   */
  #text(text: string): void {
    this.#reserve(4 + 3 * text.length);
    const start = this.#length + 4;
    let at = start;
    const bytes = this.#bytes;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        bytes[at++] = code;
        continue;
      }
      if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      if (code < 0x800) {
        bytes[at++] = 0xc0 | (code >> 6);
      } else if (code < 0x10000) {
        bytes[at++] = 0xe0 | (code >> 12);
        bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
      } else {
        bytes[at++] = 0xf0 | (code >> 18);
        bytes[at++] = 0x80 | ((code >> 12) & 0x3f);
        bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
      }
      bytes[at++] = 0x80 | (code & 0x3f);
    }
    this.#view.setUint32(this.#length, at - start);
    this.#length = at;
  }
}

const writer = new EntryWriter();

/**
 * One entry's hash: taggedHash('cert-field', bytes) where bytes are
 *   kind code (1 byte: null 0, boolean 1, number 2, string 3, empty-object 4, empty-array 5)
 *   ‖ number of path segments (4 bytes)
 *   ‖ each segment: 0 (1 byte) ‖ key as text, or 1 (1 byte) ‖ array index (4 bytes)
 *   ‖ salt length (4 bytes) ‖ salt
 *   ‖ value text
 * with a text written as its byte length (4 bytes) ‖ its WTF-8 bytes, all integers big-endian.
 * Subject entries carry a random salt so a hidden value cannot be guessed.
 */
export function entryDigest(entry: HashedEntry, salt: Uint8Array): Uint8Array {
  return sha256(writer.taggedBytesOf(entry, salt));
}

/**
 * The certificate's digest: its entry digests sorted, so hiding an entry (keeping only its
 * digest) leaves the result unchanged and reveals nothing about where the entry was.
 */
export function credentialDigest(digests: readonly Uint8Array[]): Uint8Array {
  return credentialDigestOfSorted([...digests].sort(compareBytes));
}

/** {@link credentialDigest} of digests the caller has already sorted. */
export function credentialDigestOfSorted(sorted: readonly Uint8Array[]): Uint8Array {
  return sha256(writer.taggedDigestsOf(sorted));
}
