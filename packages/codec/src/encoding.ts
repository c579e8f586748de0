import { CodecError, type CodecErrorCode } from './errors.js';
import { readCanonical } from './reader.js';
import { outrankingFault } from './refusal.js';
import { canonicalize, type Value } from './value.js';
import { writeCanonical } from './writer.js';

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/**
 * Values `decode` builds at most unless told otherwise: work grows with the values, not the
 * bytes (a nil is one byte). Decoders of bytes from peers and clients pass bounds of their own;
 * the callers left on this default read the node's own small records (the largest, a lock
 * record, holds about 1 000), and 2^16 admits those with room while holding one call to
 * milliseconds of work.
 */
export const DEFAULT_MAX_VALUES = 65_536;

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

/** Refusals no other fault of the input outranks: `decode` reports them without looking further. */
const FINAL_CODES: ReadonlySet<CodecErrorCode> = new Set(['MALFORMED', 'TOO_LARGE', 'TRAILING_BYTES']);

export interface DecodeOptions {
  /** Refuse inputs longer than this before reading a byte of them. */
  maxBytes?: number;
  /**
   * Refuse inputs holding more values than this (every scalar, string, byte string, array, map
   * and map key is one), as soon as a container announces them. Callers bound each kind of
   * input by the most values its largest honest instance holds.
   */
  maxValues?: number;
  /**
   * Refuse a map announcing more keys than this, before reading its keys. Keys cost far more to
   * build than other values (a text each, kept in order), so inputs whose maps have a few known
   * fields bound them here. No bound unless given.
   */
  maxMapKeys?: number;
}

/**
 * Decodes bytes that must be the canonical encoding of a {@link Value}. Anything else —
 * truncated, trailing bytes, floats, extension types, unsorted maps, over-long forms, strings
 * that are not well-formed UTF-8 — is refused with a {@link CodecError}, so one value has
 * exactly one accepted encoding. Byte strings in the value are views into `bytes`.
 */
export function decode(bytes: Uint8Array, options: DecodeOptions = {}): Value {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxValues = options.maxValues ?? DEFAULT_MAX_VALUES;
  if (!(bytes instanceof Uint8Array)) throw new CodecError('MALFORMED', 'input is not a byte array');
  if (bytes.length > maxBytes) throw new CodecError('TOO_LARGE', `input is ${bytes.length} bytes, the limit is ${maxBytes}`);
  if (bytes.length === 0) throw new CodecError('MALFORMED', 'input is empty');
  try {
    return readCanonical(bytes, maxValues, options.maxMapKeys ?? Number.POSITIVE_INFINITY);
  } catch (error) {
    if (error instanceof CodecError && !FINAL_CODES.has(error.code)) throw outrankingFault(bytes, maxValues) ?? error;
    throw error;
  }
}
