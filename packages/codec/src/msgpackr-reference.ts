import { Packr } from 'msgpackr';
import { CodecError } from './errors.js';
import { bytesEqual } from './hex.js';
import { canonicalize, isPlainMap, type Value } from './value.js';

/**
 * The codec as validators ran it before the one-pass reader and writer, kept for the equivalence
 * tests and the benchmark only (msgpackr is a dev dependency): msgpackr 2.1.3 (with its native
 * string extractor on Node), a copying normalization, canonicalize, and a re-encode whose bytes
 * must equal the input. The codec must still accept exactly what this accepts, give the same
 * values, write the same bytes and refuse with the same codes, with the exceptions
 * msgpackr-equivalence.test.ts documents.
 */
const packr = new Packr({ useRecords: false, bundleStrings: false, structuredClone: false, moreTypes: false, mapsAsObjects: true, variableMapSize: true, int64AsType: 'bigint', useFloat32: 0 });

function widenLargeIntegers(value: Value): unknown {
  if (typeof value === 'number') return value < -(2 ** 31) || value > 2 ** 32 - 1 ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(widenLargeIntegers);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = widenLargeIntegers(item);
    return out;
  }
  return value;
}

export function oldEncode(value: unknown): Uint8Array {
  const packed = packr.pack(widenLargeIntegers(canonicalize(value)));
  return new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
}

function normalizeDecoded(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CodecError('UNSUPPORTED_TYPE', 'integer outside the safe range');
    return Number(value);
  }
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(normalizeDecoded);
  if (isPlainMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = normalizeDecoded(item);
    return out;
  }
  return value;
}

export function oldDecode(bytes: Uint8Array): Value {
  if (bytes.length === 0) throw new CodecError('MALFORMED', 'input is empty');
  let raw: unknown;
  try {
    raw = packr.unpack(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/end of buffer not reached/i.test(message)) throw new CodecError('TRAILING_BYTES', 'bytes follow the encoded value');
    if (err instanceof RangeError && /call stack/i.test(message)) throw new CodecError('TOO_DEEP', 'nested too deeply');
    throw new CodecError('MALFORMED', `not valid MessagePack: ${message}`);
  }
  const value = canonicalize(normalizeDecoded(raw));
  if (!bytesEqual(oldEncode(value), bytes)) throw new CodecError('NON_CANONICAL', 'not the canonical encoding of its value');
  return value;
}

