import { CodecError } from './errors.js';
import { isPlainMap, type Value, type ValueMap } from './value.js';

/**
 * Readers that turn a decoded {@link Value} into a typed structure or fail with a sentence
 * naming the field. `path` is where the value sits, for that sentence.
 */
function fail(path: string, expected: string): never {
  throw new CodecError('WRONG_SHAPE', `${path} must be ${expected}`);
}

export function readTuple(value: Value, length: number, path: string): readonly Value[] {
  if (!Array.isArray(value)) fail(path, `an array of ${length} items`);
  const items = value as readonly Value[];
  if (items.length !== length) fail(path, `an array of ${length} items, not ${items.length}`);
  return items;
}

export function readArray(value: Value, maxLength: number, path: string): readonly Value[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  const items = value as readonly Value[];
  if (items.length > maxLength) fail(path, `an array of at most ${maxLength} items, not ${items.length}`);
  return items;
}

export function readMap(value: Value, path: string): ValueMap {
  if (!isPlainMap(value) || value instanceof Uint8Array) fail(path, 'a map');
  return value as ValueMap;
}

export function readUint(value: Value, path: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    fail(path, `an integer from 0 to ${max}`);
  }
  return value as number;
}

export function readString(value: Value, path: string, maxLength = 256): string {
  if (typeof value !== 'string') fail(path, 'a string');
  const text = value as string;
  if (text.length > maxLength) fail(path, `a string of at most ${maxLength} characters`);
  return text;
}

export function readBoolean(value: Value, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false');
  return value as boolean;
}

export function readBytes(value: Value, path: string, length?: number, maxLength = 1 << 20): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(path, length === undefined ? 'a byte string' : `a byte string of ${length} bytes`);
  const bytes = value as Uint8Array;
  if (length !== undefined && bytes.length !== length) fail(path, `a byte string of ${length} bytes, not ${bytes.length}`);
  if (bytes.length > maxLength) fail(path, `a byte string of at most ${maxLength} bytes`);
  return bytes;
}

export function readOneOf<T extends string>(value: Value, options: readonly T[], path: string): T {
  if (typeof value !== 'string' || !options.includes(value as T)) fail(path, `one of ${options.join(', ')}`);
  return value as T;
}

/**
 * The first key of a document that is not among `known`, if any. Documents read from files and
 * requests refuse such keys: a misspelt setting would otherwise be silently dropped.
 */
export function firstUnknownKey(document: object, known: readonly string[]): string | undefined {
  return Object.keys(document).find((key) => !known.includes(key));
}
