import { CodecError } from './errors.js';
import { compareKeys } from './key-order.js';
import { decodeShortText, decodeUtf8 } from './utf8.js';
import { MAX_DEPTH, type Value } from './value.js';

const TWO_TO_32 = 2 ** 32;
/** A uint64 whose high word is below this holds a safe integer. */
const SAFE_HIGH_WORD = 2 ** 21;

function nonCanonical(message: string): CodecError {
  return new CodecError('NON_CANONICAL', message);
}

function unsupported(message: string): CodecError {
  return new CodecError('UNSUPPORTED_TYPE', message);
}

export function tooManyValues(maxValues: number): CodecError {
  return new CodecError('TOO_LARGE', `input holds more than ${maxValues} values`);
}

/**
 * Reads, in one pass, exactly the byte strings the writer produces and throws a CodecError at
 * the first byte that departs from them. MALFORMED (the bytes run out, or a map key has no
 * string form), TOO_LARGE and TRAILING_BYTES are final; the other codes only say where reading
 * stopped, and `decode` asks `refusal.ts` which fault of the input outranks the others.
 */
class CanonicalReader {
  at = 0;
  /** Values the input may still hold: each container takes its items from it when it opens. */
  #valuesLeft: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly maxValues: number,
    readonly maxMapKeys: number,
  ) {
    this.#valuesLeft = maxValues;
  }

  /**
   * Counts `count` more values, refusing the input once they pass `maxValues`: before they are
   * read, so a hostile count costs no work. Every value is the root or an item of one
   * container (a map's keys count too), so this counts each value once, at one check a container.
   */
  announce(count: number): void {
    this.#valuesLeft -= count;
    if (this.#valuesLeft < 0) throw tooManyValues(this.maxValues);
  }

  value(depth: number): Value {
    if (depth > MAX_DEPTH) throw new CodecError('TOO_DEEP', `nested deeper than ${MAX_DEPTH} levels`);
    const token = this.#uint(1);
    if (token < 0x80) return token;
    if (token >= 0xe0) return token - 0x100;
    if (token < 0x90) return this.#map(token - 0x80, depth);
    if (token < 0xa0) return this.#array(token - 0x90, depth);
    if (token < 0xc0) return this.#string(token - 0xa0, decodeShortText);
    switch (token) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.#binary(this.#uint(1));
      case 0xc5:
        return this.#binary(this.#unsigned(2, 0x100, 'byte string length'));
      case 0xc6:
        return this.#binary(this.#unsigned(4, 0x10000, 'byte string length'));
      case 0xcc:
        return this.#unsigned(1, 0x80, 'integer');
      case 0xcd:
        return this.#unsigned(2, 0x100, 'integer');
      case 0xce:
        return this.#unsigned(4, 0x10000, 'integer');
      case 0xcf:
        if (this.#uint(4) >= SAFE_HIGH_WORD) throw unsupported('integer outside the safe range');
        throw nonCanonical('an integer written as uint64, a form the encoder never uses');
      case 0xd0:
        return this.#signed(1, -0x20);
      case 0xd1:
        return this.#signed(2, -0x80);
      case 0xd2:
        return this.#signed(4, -0x8000);
      case 0xd3:
        return this.#int64();
      case 0xca:
      case 0xcb:
        throw this.#float(token === 0xca ? 4 : 8);
      case 0xd9:
      case 0xda:
      case 0xdb:
        return this.#string(this.#stringLength(token));
      case 0xdc:
        return this.#array(this.#unsigned(2, 0x10, 'array length'), depth);
      case 0xdd:
        return this.#array(this.#unsigned(4, 0x10000, 'array length'), depth);
      case 0xde:
        return this.#map(this.#unsigned(2, 0x10, 'map length'), depth);
      case 0xdf:
        return this.#map(this.#unsigned(4, 0x10000, 'map length'), depth);
      case 0xc1:
        throw unsupported('the reserved byte 0xc1');
      default:
        throw unsupported(`extension type at byte ${this.at - 1}`);
    }
  }

  #truncated(): CodecError {
    return new CodecError('MALFORMED', `not valid MessagePack: the input ends inside a value at byte ${this.at}`);
  }

  /** The next `size` bytes as an unsigned big-endian integer. */
  #uint(size: 1 | 2 | 4): number {
    const bytes = this.bytes;
    const at = this.at;
    if (at + size > bytes.length) throw this.#truncated();
    this.at = at + size;
    if (size === 1) return bytes[at] as number;
    if (size === 2) return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
    return ((bytes[at] as number) * 0x1000000 + (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number)));
  }

  #int(size: 1 | 2 | 4): number {
    const value = this.#uint(size);
    return size === 1 ? (value << 24) >> 24 : size === 2 ? (value << 16) >> 16 : value | 0;
  }

  /** An unsigned number that needs all `size` bytes: one below `least` has a shorter form. */
  #unsigned(size: 1 | 2 | 4, least: number, what: string): number {
    const value = this.#uint(size);
    if (value < least) throw nonCanonical(`${what} ${value} written in ${size} bytes, where it has a shorter form`);
    return value;
  }

  /** A negative integer that needs all `size` bytes: one from `limit` up has a shorter form. */
  #signed(size: 1 | 2 | 4, limit: number): number {
    const value = this.#int(size);
    if (value >= limit) throw nonCanonical(`integer ${value} written in ${size} bytes, where it has a shorter form`);
    return value;
  }

  #stringLength(token: number): number {
    if (token === 0xd9) return this.#unsigned(1, 0x20, 'string length');
    return token === 0xda ? this.#unsigned(2, 0x100, 'string length') : this.#unsigned(4, 0x10000, 'string length');
  }

  #int64(): number {
    const high = this.#int(4);
    const low = this.#uint(4);
    const value = high * TWO_TO_32 + low;
    if (!Number.isSafeInteger(value)) throw unsupported('integer outside the safe range');
    if (value >= -0x80000000 && value < TWO_TO_32) throw nonCanonical('an integer written as int64 that has a shorter form');
    return value;
  }

  /** Floats are refused: integral ones as another form of an integer, the rest as unsupported. */
  #float(size: 4 | 8): CodecError {
    const start = this.at;
    this.#uint(4);
    if (size === 8) this.#uint(4);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + start, size);
    const value = size === 4 ? view.getFloat32(0) : view.getFloat64(0);
    return Number.isSafeInteger(value) ? nonCanonical('an integer written as a float') : unsupported(`the non-integer number ${value}`);
  }

  #take(length: number): number {
    const start = this.at;
    if (length > this.bytes.length - start) throw this.#truncated();
    this.at = start + length;
    return start;
  }

  #string(length: number, decode = decodeUtf8): string {
    const start = this.#take(length);
    const text = decode(this.bytes, start, this.at);
    if (text === undefined) throw nonCanonical(`the string at byte ${start} is not well-formed UTF-8`);
    return text;
  }

  #binary(length: number): Uint8Array {
    const start = this.#take(length);
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + start, length);
  }

  #array(length: number, depth: number): Value[] {
    // Every item takes a byte at least: a longer count cannot be met, and is not allocated.
    if (length > this.bytes.length - this.at) throw this.#truncated();
    this.announce(length);
    const items: Value[] = [];
    for (let i = 0; i < length; i++) items.push(this.value(depth + 1));
    return items;
  }

  #map(length: number, depth: number): Record<string, Value> {
    if (length * 2 > this.bytes.length - this.at) throw this.#truncated();
    if (length > this.maxMapKeys) throw new CodecError('TOO_LARGE', `a map holds ${length} keys; at most ${this.maxMapKeys} are accepted`);
    this.announce(length * 2);
    const map: Record<string, Value> = {};
    let previous: string | undefined;
    for (let i = 0; i < length; i++) {
      const key = this.#key();
      if (previous !== undefined && compareKeys(previous, key) >= 0) throw nonCanonical(`map key ${JSON.stringify(key.slice(0, 40))} is out of order or repeated`);
      if (key === '__proto__') throw nonCanonical('the map key "__proto__" is not allowed');
      map[key] = this.value(depth + 1);
      previous = key;
    }
    return map;
  }

  #key(): string {
    const token = this.#uint(1);
    if (token >= 0xa0 && token < 0xc0) return this.#string(token - 0xa0, decodeShortText);
    if (token >= 0xd9 && token <= 0xdb) return this.#string(this.#stringLength(token), decodeShortText);
    if (isScalarToken(token)) throw nonCanonical(`the map key at byte ${this.at - 1} is not a string`);
    throw new CodecError('MALFORMED', `not valid MessagePack: the map key at byte ${this.at - 1} has no string form`);
  }
}

/** Nil, booleans and numbers: the map keys msgpackr turned into strings instead of refusing. */
export function isScalarToken(token: number): boolean {
  return token < 0x80 || token >= 0xe0 || token === 0xc0 || token === 0xc2 || token === 0xc3 || (token >= 0xca && token <= 0xd3);
}

/** The Value `bytes` canonically encode, or a CodecError where they depart from that encoding. */
export function readCanonical(bytes: Uint8Array, maxValues: number, maxMapKeys: number): Value {
  const reader = new CanonicalReader(bytes, maxValues, maxMapKeys);
  reader.announce(1);
  const value = reader.value(0);
  if (reader.at !== bytes.length) throw new CodecError('TRAILING_BYTES', `${bytes.length - reader.at} bytes follow the encoded value`);
  return value;
}
