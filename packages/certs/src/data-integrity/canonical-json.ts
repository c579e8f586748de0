import canonicalize from 'canonicalize';
import type { Json } from '../json.js';

/** Deeper documents are refused: real credentials nest a handful of levels, and a bound keeps recursion safe. */
export const MAX_JSON_DEPTH = 100;
const LONE_SURROGATE = /\p{Surrogate}/u;

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Where `value` stops being I-JSON (what RFC 8785 canonicalises), e.g. `$.a[2] is NaN`, or
 * undefined when all of it is. Anything `JSON.stringify` would drop, change or refuse counts:
 * undefined, functions, bigints, non-finite numbers, lone surrogates, Dates and other class
 * instances, array holes.
 */
export function findNonJson(value: unknown, path = '$', depth = 0): string | undefined {
  if (depth > MAX_JSON_DEPTH) return `${path} nests deeper than ${MAX_JSON_DEPTH} levels`;
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? `${path} has a lone surrogate` : undefined;
  if (value === undefined) return `${path} is undefined`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}`;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!(index in value)) return `${pathOf(path, index)} is a hole`;
      const found = findNonJson(value[index], pathOf(path, index), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return `${path} is a ${(value.constructor as { name?: string } | undefined)?.name ?? 'non-plain object'}`;
  }
  for (const [key, member] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return `${path} has a key with a lone surrogate`;
    const found = findNonJson(member, pathOf(path, key), depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The RFC 8785 (JCS) form. Callers check the value with `findNonJson` first. */
export function canonicalJson(value: Json): string {
  return canonicalize(value) as string;
}

export function canonicalJsonBytes(value: Json): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
