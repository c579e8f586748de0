import type { KeyPair } from './index.js';

const REDACTED = '[ed25519 secret key]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

function hidden(value: unknown): PropertyDescriptor {
  return { value, enumerable: false, writable: false, configurable: false };
}

/**
 * A copy of the seed that prints as a placeholder: JSON.stringify, String(), template
 * strings, util.inspect/console.log and vitest diffs all show "[ed25519 secret key]" instead
 * of its bytes. Byte access (indexing,
 * Buffer.from, subarray) works as for any Uint8Array.
 */
export function redactedSeed(seed: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(seed);
  Object.defineProperty(copy, 'toJSON', hidden(() => REDACTED));
  Object.defineProperty(copy, 'toString', hidden(() => REDACTED));
  Object.defineProperty(copy, 'toLocaleString', hidden(() => REDACTED));
  Object.defineProperty(copy, inspectSymbol, hidden(() => REDACTED));
  return copy;
}

/**
 * Builds a KeyPair whose `secretKey` is a non-enumerable property holding a redacted copy of
 * the seed: serialising or logging the pair shows only the public key. The price is that
 * `{ ...keyPair }` and structuredClone drop the secret; pass the pair itself around instead.
 */
export function makeKeyPair<Extra extends object>(publicKey: Uint8Array, seed: Uint8Array, extra?: Extra): KeyPair & Extra {
  const pair = { publicKey: Uint8Array.from(publicKey), ...extra } as KeyPair & Extra;
  Object.defineProperty(pair, 'secretKey', hidden(redactedSeed(seed)));
  return pair;
}
