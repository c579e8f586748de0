import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { CodecError } from './errors.js';

export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
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
