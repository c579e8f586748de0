import { CodecError } from './errors.js';
import { canonicalKeys } from './key-order.js';
import { encodeUtf8, hasUtf8Form } from './utf8.js';
import { isPlainMap, MAX_DEPTH } from './value.js';

/**
 * Small outputs are handed out as views into shared slabs of this size, since a fresh
 * ArrayBuffer per output would cost more than writing a transaction; a kept output keeps its
 * slab alive, as msgpackr's did. Outputs over a quarter of a slab get a buffer of their own.
 */
const SLAB_BYTES = 16 * 1024;
/** A scratch buffer grown past this for one big value is given back afterwards. */
const KEPT_SCRATCH_BYTES = 4 * 1024 * 1024;
const TWO_TO_32 = 2 ** 32;

/**
 * Writes canonical MessagePack in one walk, sorting each map's keys as it goes. The forms are
 * the smallest MessagePack has for each value, except that integers beyond 32 bits are always
 * int64 (0xd3), never uint64: the bytes the msgpackr-based encoder wrote, kept byte for byte.
 */
class CanonicalWriter {
  #bytes: Uint8Array = new Uint8Array(SLAB_BYTES);
  #at = 0;
  #slab = new Uint8Array(SLAB_BYTES);
  #slabUsed = 0;

  /** The output written since the last call, in memory of its own. */
  written(): Uint8Array {
    const length = this.#at;
    const scratch = this.#bytes;
    this.reset();
    if (length > SLAB_BYTES / 4) return scratch.slice(0, length);
    if (this.#slabUsed + length > SLAB_BYTES) {
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#slabUsed = 0;
    }
    const output = this.#slab.subarray(this.#slabUsed, this.#slabUsed + length);
    output.set(scratch.subarray(0, length));
    this.#slabUsed += length;
    return output;
  }

  reset(): void {
    this.#at = 0;
    if (this.#bytes.length > KEPT_SCRATCH_BYTES) this.#bytes = new Uint8Array(SLAB_BYTES);
  }

  #room(count: number): Uint8Array {
    const needed = this.#at + count;
    if (needed > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.#at));
      this.#bytes = grown;
    }
    return this.#bytes;
  }

  write(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new CodecError('TOO_DEEP', `nested deeper than ${MAX_DEPTH} levels`);
    switch (typeof value) {
      case 'number':
        if (!Number.isSafeInteger(value)) throw new CodecError('UNSUPPORTED_TYPE', `${value} is not a safe integer`);
        this.#integer(value);
        return;
      case 'string':
        this.#string(value);
        return;
      case 'boolean':
        this.#room(1)[this.#at++] = value ? 0xc3 : 0xc2;
        return;
      case 'object':
        if (value === null) this.#room(1)[this.#at++] = 0xc0;
        else if (value instanceof Uint8Array) this.#binary(value);
        else if (Array.isArray(value)) this.#array(value, depth);
        else if (isPlainMap(value)) this.#map(value, depth);
        else throw new CodecError('UNSUPPORTED_TYPE', 'an object that is not an array, a plain object or a Uint8Array');
        return;
      default:
        throw new CodecError('UNSUPPORTED_TYPE', `a value of type ${typeof value}`);
    }
  }

  #integer(value: number): void {
    const bytes = this.#room(9);
    let at = this.#at;
    if (value >= 0) {
      if (value < 0x80) {
        bytes[at++] = value;
      } else if (value < 0x100) {
        bytes[at++] = 0xcc;
        bytes[at++] = value;
      } else if (value < 0x10000) {
        bytes[at++] = 0xcd;
        at = writeUint(bytes, at, value, 2);
      } else if (value < TWO_TO_32) {
        bytes[at++] = 0xce;
        at = writeUint(bytes, at, value, 4);
      } else {
        at = writeInt64(bytes, at, value);
      }
    } else if (value >= -0x20) {
      bytes[at++] = value;
    } else if (value >= -0x80) {
      bytes[at++] = 0xd0;
      bytes[at++] = value;
    } else if (value >= -0x8000) {
      bytes[at++] = 0xd1;
      at = writeUint(bytes, at, value, 2);
    } else if (value >= -0x80000000) {
      bytes[at++] = 0xd2;
      at = writeUint(bytes, at, value, 4);
    } else {
      at = writeInt64(bytes, at, value);
    }
    this.#at = at;
  }

  #string(text: string): void {
    if (!hasUtf8Form(text)) throw new CodecError('UNSUPPORTED_TYPE', 'a string with a lone surrogate, which has no UTF-8 form');
    const bytes = this.#room(5 + text.length * 3);
    // The header's size depends on the byte count, known only once the text is written: write
    // after room for the header a string of this many units could need, then close any gap.
    const reserved = headerSize(text.length);
    const length = encodeUtf8(text, bytes, this.#at + reserved);
    const header = headerSize(length);
    if (header !== reserved) bytes.copyWithin(this.#at + header, this.#at + reserved, this.#at + reserved + length);
    this.#header(header, 0xa0, 0xd9, length);
    this.#at += length;
  }

  #binary(data: Uint8Array): void {
    const length = data.length;
    const bytes = this.#room(5 + length);
    this.#header(length < 0x100 ? 2 : length < 0x10000 ? 3 : 5, -1, 0xc4, length);
    bytes.set(data, this.#at);
    this.#at += length;
  }

  #array(items: readonly unknown[], depth: number): void {
    const length = items.length;
    this.#room(5);
    this.#header(length < 0x10 ? 1 : length < 0x10000 ? 3 : 5, 0x90, 0xdb, length);
    // A hole reads as undefined and is refused like undefined.
    for (let i = 0; i < length; i++) this.write(items[i], depth + 1);
  }

  #map(map: Readonly<Record<string, unknown>>, depth: number): void {
    const keys = canonicalKeys(map);
    this.#room(5);
    this.#header(keys.length < 0x10 ? 1 : keys.length < 0x10000 ? 3 : 5, 0x80, 0xdd, keys.length);
    for (const key of keys) {
      if (key === '__proto__') throw new CodecError('UNSUPPORTED_TYPE', 'the key "__proto__" is not allowed');
      this.#string(key);
      this.write(map[key], depth + 1);
    }
  }

  /**
   * A length header of `size` bytes: the one-byte form `fixBase | length`, or the form whose
   * first byte is `base8` for an 8-bit length, one more for 16 bits, two more for 32 bits.
   * MessagePack numbers the str, bin, array and map headers that way; arrays and maps have no
   * 8-bit form, so their `base8` is one below their 16-bit form.
   */
  #header(size: 1 | 2 | 3 | 5, fixBase: number, base8: number, length: number): void {
    const bytes = this.#bytes;
    if (size === 1) {
      bytes[this.#at++] = fixBase | length;
      return;
    }
    bytes[this.#at] = size === 2 ? base8 : size === 3 ? base8 + 1 : base8 + 2;
    this.#at = writeUint(bytes, this.#at + 1, length, size === 2 ? 1 : size === 3 ? 2 : 4);
  }
}

/** Bytes of a str header for a string of `length` bytes: fixstr, str8, str16 or str32. */
function headerSize(length: number): 1 | 2 | 3 | 5 {
  return length < 0x20 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
}

/**
 * Big-endian. `>>>` and storing into a Uint8Array both keep the low bits, so negative values
 * come out in two's complement.
 */
function writeUint(bytes: Uint8Array, at: number, value: number, size: 1 | 2 | 4): number {
  if (size === 4) {
    bytes[at++] = value >>> 24;
    bytes[at++] = value >>> 16;
  }
  if (size !== 1) bytes[at++] = value >>> 8;
  bytes[at++] = value;
  return at;
}

function writeInt64(bytes: Uint8Array, at: number, value: number): number {
  const high = Math.floor(value / TWO_TO_32);
  bytes[at] = 0xd3;
  writeUint(bytes, at + 1, high, 4);
  return writeUint(bytes, at + 5, value - high * TWO_TO_32, 4);
}

let idleWriter: CanonicalWriter | undefined = new CanonicalWriter();

/** Canonical bytes of `value`, or a CodecError at the first part of it that has none. */
export function writeCanonical(value: unknown): Uint8Array {
  // A getter that encodes while this encodes gets a writer of its own.
  const writer = idleWriter ?? new CanonicalWriter();
  idleWriter = undefined;
  try {
    writer.write(value, 0);
    return writer.written();
  } catch (error) {
    writer.reset();
    throw error;
  } finally {
    idleWriter = writer;
  }
}
