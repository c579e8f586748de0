import { SEED_BYTES } from './strict-rule.js';

/** Validates a byte-array argument by type and, optionally, exact length; never echoes its content. */
export function requireBytes(value: unknown, what: string, expectedLength?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${what} must be a Uint8Array, got ${describeType(value)}`);
  }
  if (expectedLength !== undefined && value.length !== expectedLength) {
    throw new RangeError(`${what} must be ${expectedLength} bytes, got ${value.length}`);
  }
  return value;
}

export function requireSeed(value: unknown, what = 'secret key (seed)'): Uint8Array {
  return requireBytes(value, what, SEED_BYTES);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}
