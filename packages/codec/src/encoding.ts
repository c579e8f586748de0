import { CodecError } from './errors.js';
import { readCanonical } from './reader.js';
import { outrankingFault } from './refusal.js';
import { canonicalize, type Value } from './value.js';
import { writeCanonical } from './writer.js';

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** Canonical bytes of `value`: equal values give equal bytes, on every node and every run. */
export function encode(value: unknown): Uint8Array {
  try {
    return writeCanonical(value);
  } catch (error) {
    // The writer stops at the first fault in the order it writes; canonicalize names the fault
    // the codec has always named (the first in key order, with its path).
    canonicalize(value);
    throw error;
  }
}

export interface DecodeOptions {
  /** Refuse inputs longer than this before reading a byte of them. */
  maxBytes?: number;
}

/**
 * Decodes bytes that must be the canonical encoding of a {@link Value}. Anything else —
 * truncated, trailing bytes, floats, extension types, unsorted maps, over-long forms, strings
 * that are not well-formed UTF-8 — is refused with a {@link CodecError}, so one value has
 * exactly one accepted encoding. Byte strings in the value are views into `bytes`.
 */
export function decode(bytes: Uint8Array, options: DecodeOptions = {}): Value {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(bytes instanceof Uint8Array)) throw new CodecError('MALFORMED', 'input is not a byte array');
  if (bytes.length > maxBytes) throw new CodecError('TOO_LARGE', `input is ${bytes.length} bytes, the limit is ${maxBytes}`);
  if (bytes.length === 0) throw new CodecError('MALFORMED', 'input is empty');
  try {
    return readCanonical(bytes);
  } catch (error) {
    if (error instanceof CodecError && error.code !== 'MALFORMED' && error.code !== 'TRAILING_BYTES') throw outrankingFault(bytes) ?? error;
    throw error;
  }
}
