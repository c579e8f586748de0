import { encode, taggedHash, compareBytes } from '@certledger/codec';
import { CertificateError } from './errors.js';
import { isJsonObject, type Json } from './json.js';

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

export const MAX_ENTRIES = 10_000;
export const MAX_DEPTH = 32;

function escapePointerSegment(segment: PathSegment): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointerOf(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${escapePointerSegment(segment)}`).join('');
}

function scalarEntry(path: PathSegment[], value: Json): Entry {
  const pointer = pointerOf(path);
  if (value === null) return { path, pointer, kind: 'null', text: '' };
  if (typeof value === 'boolean') return { path, pointer, kind: 'boolean', text: String(value) };
  if (typeof value === 'string') return { path, pointer, kind: 'string', text: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CertificateError('MALFORMED', `${pointer}: ${value} is not a JSON number`);
    return { path, pointer, kind: 'number', text: String(value) };
  }
  throw new CertificateError('MALFORMED', `${pointer}: ${typeof value} is not a JSON value`);
}

/**
 * Every leaf of a JSON value with its path, in a fixed order (object keys sorted). Containers
 * with children contribute nothing themselves: their shape is in their children's paths.
 */
export function flattenEntries(value: Json, prefix: readonly PathSegment[] = []): Entry[] {
  const out: Entry[] = [];
  const walk = (node: Json, path: PathSegment[]): void => {
    if (path.length - prefix.length > MAX_DEPTH) throw new CertificateError('MALFORMED', `${pointerOf(path)}: nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(node)) {
      if (node.length === 0) out.push({ path, pointer: pointerOf(path), kind: 'empty-array', text: '' });
      node.forEach((item, i) => walk(item, [...path, i]));
    } else if (isJsonObject(node)) {
      const keys = Object.keys(node).sort();
      if (keys.length === 0) out.push({ path, pointer: pointerOf(path), kind: 'empty-object', text: '' });
      for (const key of keys) walk(node[key] as Json, [...path, key]);
    } else {
      out.push(scalarEntry(path, node));
    }
    if (out.length > MAX_ENTRIES) throw new CertificateError('MALFORMED', `more than ${MAX_ENTRIES} fields`);
  };
  walk(value, [...prefix]);
  return out;
}

/** One entry's hash. Subject entries carry a random salt so a hidden value cannot be guessed. */
export function entryDigest(entry: Entry, salt: Uint8Array): Uint8Array {
  return taggedHash('cert-field', encode([entry.path as PathSegment[], salt, entry.kind, entry.text]));
}

/**
 * The certificate's digest: its entry digests sorted, so hiding an entry (keeping only its
 * digest) leaves the result unchanged and reveals nothing about where the entry was.
 */
export function credentialDigest(digests: readonly Uint8Array[]): Uint8Array {
  return taggedHash('cert-leaf', ...[...digests].sort(compareBytes));
}
