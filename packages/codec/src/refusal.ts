import { CodecError } from './errors.js';
import { isScalarToken, tooManyValues } from './reader.js';
import { MAX_DEPTH } from './value.js';

/** Bytes after the token of each MessagePack type from 0xc0 to 0xdf; -1 where a length comes first. */
const FIXED_SIZES = [0, 0, 0, 0, -1, -1, -1, -1, -1, -1, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8, 2, 3, 5, 9, 17, -1, -1, -1, -1, -1, -1, -1];
/**
 * Nesting past which the input is refused as TOO_DEEP without reading further: the msgpackr
 * decoder the codec used to run ran out of call stack a few thousand levels down and answered
 * TOO_DEEP there, and reading on would only spend time and memory on hostile input.
 */
const HOPELESS_DEPTH = 1000;

const enum Open {
  Array,
  MapAtKey,
  MapAtValue,
}

function truncated(): CodecError {
  return new CodecError('MALFORMED', 'not valid MessagePack: the input ends inside a value');
}

/**
 * When the reader stops at a fault, the input may hold others further on, and the code reported
 * is the one the codec has always given by its order of checks (it parsed the whole input with
 * msgpackr, then looked for out-of-range integers, then walked the value for types and depth,
 * then compared bytes):
 *
 * 1. MALFORMED when the bytes are not one whole MessagePack value, or TOO_LARGE when they hold
 *    more than `maxValues` values, whichever comes first; TRAILING_BYTES when more bytes follow;
 * 2. UNSUPPORTED_TYPE when an integer anywhere lies outside the safe range;
 * 3. the first of TOO_DEEP (a value deeper than MAX_DEPTH) or UNSUPPORTED_TYPE (a non-integer
 *    float, an extension type, the reserved byte 0xc1);
 * 4. otherwise none, and the reader's NON_CANONICAL stands.
 *
 * This walks the input once more over every MessagePack type, keeping open containers on a stack
 * of its own so that no nesting can exhaust the call stack, and counting values as the reader
 * does, so that a fault early in a hostile input cannot buy a walk over all of it. It runs only
 * on refused input.
 */
export function outrankingFault(bytes: Uint8Array, maxValues: number): CodecError | undefined {
  const end = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  /** Items still to come in each open container (a map counts keys and values), and what it is. */
  const left = new Float64Array(HOPELESS_DEPTH);
  const kinds = new Uint8Array(HOPELESS_DEPTH);
  let open = 0;
  let at = 0;
  let valuesLeft = maxValues - 1;
  let outOfRange = false;
  let firstUnsupported: CodecError | undefined;
  do {
    const depth = open;
    let isKey = false;
    if (open > 0) {
      const kind = kinds[open - 1] as Open;
      isKey = kind === Open.MapAtKey;
      if (kind !== Open.Array) kinds[open - 1] = isKey ? Open.MapAtValue : Open.MapAtKey;
      left[open - 1] = (left[open - 1] as number) - 1;
    }
    if (at >= end) return truncated();
    const token = bytes[at++] as number;
    let length = 0;
    let items = 0;
    if (token < 0x80 || token >= 0xe0) {
      // A fixint: nothing follows.
    } else if (token < 0xa0) {
      items = token < 0x90 ? 2 * (token & 0x0f) : token & 0x0f;
    } else if (token < 0xc0) {
      length = token & 0x1f;
    } else {
      length = FIXED_SIZES[token - 0xc0] as number;
      if (length < 0) {
        // bin, ext and str 8/16/32 take 1, 2 or 4 length bytes; array and map 16/32 take 2 or 4.
        const lengthBytes = token <= 0xc6 ? 1 << (token - 0xc4) : token <= 0xc9 ? 1 << (token - 0xc7) : token <= 0xdb ? 1 << (token - 0xd9) : token & 1 ? 4 : 2;
        if (lengthBytes > end - at) return truncated();
        const count = lengthBytes === 1 ? (bytes[at] as number) : lengthBytes === 2 ? view.getUint16(at) : view.getUint32(at);
        at += lengthBytes;
        length = token >= 0xdc ? 0 : token >= 0xc7 && token <= 0xc9 ? count + 1 : count;
        items = token >= 0xde ? 2 * count : token >= 0xdc ? count : 0;
      }
    }
    if (length > end - at) return truncated();
    if (isKey && !isScalarToken(token) && !((token >= 0xa0 && token < 0xc0) || (token >= 0xd9 && token <= 0xdb))) {
      return new CodecError('MALFORMED', 'not valid MessagePack: a map key has no string form');
    }
    if (!isKey) {
      if (token === 0xcf || token === 0xd3) outOfRange ||= isOutOfRange(view, at, token === 0xd3);
      if (depth > MAX_DEPTH) firstUnsupported ??= new CodecError('TOO_DEEP', `nested deeper than ${MAX_DEPTH} levels`);
      else if (isUnsupported(view, token, at)) firstUnsupported ??= new CodecError('UNSUPPORTED_TYPE', 'a float, an extension type or the reserved byte 0xc1');
    }
    at += length;
    if (items > 0) {
      // Each item takes a byte at least.
      if (items > end - at) return truncated();
      valuesLeft -= items;
      if (valuesLeft < 0) return tooManyValues(maxValues);
      if (open === HOPELESS_DEPTH) return new CodecError('TOO_DEEP', `nested deeper than ${MAX_DEPTH} levels`);
      left[open] = items;
      kinds[open++] = token < 0x90 || token >= 0xde ? Open.MapAtKey : Open.Array;
    }
    while (open > 0 && left[open - 1] === 0) open--;
  } while (open > 0);
  if (at < end) return new CodecError('TRAILING_BYTES', `${end - at} bytes follow the encoded value`);
  return outOfRange ? new CodecError('UNSUPPORTED_TYPE', 'integer outside the safe range') : firstUnsupported;
}

/** A non-integer float, an extension type or the reserved byte 0xc1, whose data starts at `at`. */
function isUnsupported(view: DataView, token: number, at: number): boolean {
  if (token === 0xca) return !Number.isSafeInteger(view.getFloat32(at));
  if (token === 0xcb) return !Number.isSafeInteger(view.getFloat64(at));
  return token === 0xc1 || (token >= 0xc7 && token <= 0xc9) || (token >= 0xd4 && token <= 0xd8);
}

function isOutOfRange(view: DataView, at: number, signed: boolean): boolean {
  const value = signed ? view.getBigInt64(at) : view.getBigUint64(at);
  return value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER);
}
