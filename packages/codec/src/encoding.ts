import { Packr } from 'msgpackr';
import { CodecError } from './errors.js';
import { bytesEqual } from './hex.js';
import { canonicalize, isPlainMap, type Value } from './value.js';

/**
 * The single encoder of consensus-critical bytes. Records, bundled strings and structured
 * clones are off because they make the output depend on the encoder's history; maps become
 * plain objects so decoding cannot produce a Map with non-string keys.
 */
const packr = new Packr({
  useRecords: false,
  bundleStrings: false,
  structuredClone: false,
  moreTypes: false,
  mapsAsObjects: true,
  variableMapSize: true,
  int64AsType: 'bigint',
  useFloat32: 0,
});

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

const INT32_MIN = -(2 ** 31);
const UINT32_MAX = 2 ** 32 - 1;

/** msgpackr writes integers beyond 32 bits as float64; bigints make it write int64 instead. */
function widenLargeIntegers(value: Value): unknown {
  if (typeof value === 'number') return value < INT32_MIN || value > UINT32_MAX ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(widenLargeIntegers);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = widenLargeIntegers(item);
    return out;
  }
  return value;
}

/** Canonical bytes of `value`: equal values give equal bytes, on every node and every run. */
export function encode(value: unknown): Uint8Array {
  const packed = packr.pack(widenLargeIntegers(canonicalize(value)));
  return new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
}

function normalizeDecoded(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CodecError('UNSUPPORTED_TYPE', 'integer outside the safe range');
    }
    return Number(value);
  }
  if (value instanceof Uint8Array) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Array.isArray(value)) return value.map(normalizeDecoded);
  if (isPlainMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = normalizeDecoded(item);
    return out;
  }
  return value;
}


export interface DecodeOptions {
  /** Refuse inputs longer than this before reading a byte of them. */
  maxBytes?: number;
}

/**
 * Decodes bytes that must be the canonical encoding of a {@link Value}. Anything else —
 * truncated, trailing bytes, floats, extension types, unsorted maps, over-long integer
 * forms — is refused with a {@link CodecError}, so one value has exactly one accepted encoding.
 */
export function decode(bytes: Uint8Array, options: DecodeOptions = {}): Value {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(bytes instanceof Uint8Array)) throw new CodecError('MALFORMED', 'input is not a byte array');
  if (bytes.length > maxBytes) throw new CodecError('TOO_LARGE', `input is ${bytes.length} bytes, the limit is ${maxBytes}`);
  if (bytes.length === 0) throw new CodecError('MALFORMED', 'input is empty');
  let raw: unknown;
  try {
    // A fresh view: msgpackr caches a DataView on the array it reads, and the caller's stays untouched.
    raw = packr.unpack(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/end of buffer not reached/i.test(message)) throw new CodecError('TRAILING_BYTES', 'bytes follow the encoded value');
    if (err instanceof RangeError && /call stack/i.test(message)) throw new CodecError('TOO_DEEP', 'nested too deeply');
    throw new CodecError('MALFORMED', `not valid MessagePack: ${message}`);
  }
  const value = canonicalize(normalizeDecoded(raw));
  if (!bytesEqual(encode(value), bytes)) throw new CodecError('NON_CANONICAL', 'not the canonical encoding of its value');
  return value;
}
