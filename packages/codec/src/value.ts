import { CodecError } from './errors.js';

/**
 * The only values that may appear in consensus-critical data. No floats, no dates, no
 * undefined: each has more than one plausible encoding or none that every node agrees on.
 * Integers are safe integers; anything larger belongs in a byte string.
 */
export type Value = null | boolean | number | string | Uint8Array | readonly Value[] | ValueMap;
export interface ValueMap {
  readonly [key: string]: Value;
}

export const MAX_DEPTH = 32;

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return `the non-integer number ${value}`;
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'object' && value !== null) return `an object of class ${value.constructor?.name ?? 'null'}`;
  return typeof value;
}

export function isPlainMap(value: unknown): value is ValueMap {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Rebuilds `value` with every map's keys in code-unit order, refusing anything outside
 * {@link Value}. The result is what the encoder packs, so key order never depends on how a
 * caller happened to build an object.
 */
export function canonicalize(value: unknown, depth = 0, path = '$'): Value {
  if (depth > MAX_DEPTH) throw new CodecError('TOO_DEEP', `${path}: nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CodecError('UNSUPPORTED_TYPE', `${path}: ${describe(value)} is not a safe integer`);
    return value === 0 ? 0 : value;
  }
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item, i) => canonicalize(item, depth + 1, `${path}[${i}]`));
  if (isPlainMap(value)) {
    const out: Record<string, Value> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === '__proto__') throw new CodecError('UNSUPPORTED_TYPE', `${path}: the key "__proto__" is not allowed`);
      out[key] = canonicalize(value[key], depth + 1, `${path}.${key}`);
    }
    return out;
  }
  throw new CodecError('UNSUPPORTED_TYPE', `${path}: ${describe(value)} cannot be encoded`);
}
