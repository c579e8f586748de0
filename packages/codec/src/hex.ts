import { hexToBytes } from '@noble/hashes/utils.js';
import { CodecError } from './errors.js';

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const asciiDecoder = new TextDecoder('latin1');
/** Where digits are written before becoming a string: reused, as hashes are turned to hex by the thousand. */
const scratch = new Uint8Array(4096);

/**
 * Lowercase hex, as one flat string: the digits are written into bytes and decoded once. Built
 * by concatenation (as @noble/hashes' bytesToHex does), a 64-digit string is a tree of pieces
 * that V8 must flatten, at twice the cost of building it, when it is first used as a map key.
 */
export function toHex(bytes: Uint8Array): string {
  const length = bytes.length * 2;
  const digits = length <= scratch.length ? scratch : new Uint8Array(length);
  for (let i = 0, j = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    digits[j++] = HEX_DIGITS[byte >> 4] as number;
    digits[j++] = HEX_DIGITS[byte & 15] as number;
  }
  return asciiDecoder.decode(digits.subarray(0, length));
}

/** Parses lowercase or uppercase hex; `expectedBytes` pins the length when the caller knows it. */
export function fromHex(text: string, expectedBytes?: number, what = 'value'): Uint8Array {
  if (typeof text !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(text)) {
    throw new CodecError('WRONG_SHAPE', `${what} must be an even-length hex string`);
  }
  if (expectedBytes !== undefined && text.length !== expectedBytes * 2) {
    throw new CodecError('WRONG_SHAPE', `${what} must be ${expectedBytes} bytes (${expectedBytes * 2} hex digits), got ${text.length / 2}`);
  }
  return hexToBytes(text);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Lexicographic order of byte strings, the order every sorted list of keys uses. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}
