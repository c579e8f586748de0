import { sha256, sha256OfParts } from '@certledger/codec';

/** Every RFC 9162 hash in this package is a SHA-256 digest. */
export const HASH_BYTES = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = 0x01;

// Kept private so that a caller writing into the exported EMPTY_ROOT cannot change what the
// verifiers and the compact log treat as the root of the empty tree.
const emptyRoot = sha256(new Uint8Array(0));

/** MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1). Treat as read-only. */
export const EMPTY_ROOT: Uint8Array = emptyRoot.slice();

export function emptyRootCopy(): Uint8Array {
  return emptyRoot.slice();
}

export function isEmptyRoot(hash: Uint8Array): boolean {
  return bytesEqual(hash, emptyRoot);
}

/** SHA-256(0x00 || data): the hash of one leaf entry. */
export function leafHash(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`leaf data must be a Uint8Array, got ${describeValue(data)}`);
  }
  // Not sha256(concatBytes(...)): a fresh array for a transaction's leaf cost ten times its hashing.
  return sha256OfParts(LEAF_PREFIX, data);
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertHash(left, 'left child hash');
  assertHash(right, 'right child hash');
  return hashChildren(left, right, 0, 0);
}

// One reusable message buffer: building a 100k-leaf tree hashes ~100k nodes, and a fresh
// 65-byte array per node is measurable garbage. Safe because hashing is synchronous.
const nodeMessage = new Uint8Array(1 + 2 * HASH_BYTES);
nodeMessage[0] = NODE_PREFIX;

/**
 * Node hash without input checks, reading each child at an offset so callers can hash
 * straight out of a flat level buffer. Callers guarantee 32 readable bytes at each offset.
 */
export function hashChildren(left: Uint8Array, right: Uint8Array, leftOffset: number, rightOffset: number): Uint8Array {
  nodeMessage.set(left.subarray(leftOffset, leftOffset + HASH_BYTES), 1);
  nodeMessage.set(right.subarray(rightOffset, rightOffset + HASH_BYTES), 1 + HASH_BYTES);
  return sha256(nodeMessage);
}

export function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_BYTES;
}

export function assertHash(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${what} must be a ${HASH_BYTES}-byte Uint8Array, got ${describeValue(value)}`);
  }
  if (value.length !== HASH_BYTES) {
    throw new RangeError(`${what} must be ${HASH_BYTES} bytes long, got ${value.length} bytes`);
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${value.byteLength} bytes`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `a ${typeof value}`;
}
