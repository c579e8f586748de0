import { assertHash, emptyRootCopy, hashChildren, HASH_BYTES, describeValue } from './hashing.js';

/*
 * Levels are built bottom-up: each level pairs neighbours and carries an odd last node up
 * unchanged. Node j of level h then covers leaves [j*2^h, min((j+1)*2^h, n)), and its hash is
 * exactly RFC 9162's MTH of that range, because RFC 9162 splits a range of size s with
 * 2^h < s <= 2^(h+1) at 2^h, which is where the bottom-up pairing puts the boundary too.
 * Every subtree the RFC's PATH and PROOF recursions name is such a node, so proofs are
 * read off the levels without recursion.
 *
 * A level is one flat Uint8Array of 32-byte hashes, so a 100k-leaf tree is a score of
 * contiguous buffers rather than ~200k small objects for the garbage collector to trace.
 */

function flattenLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(leafHashes)) {
    throw new TypeError(`leaf hashes must be an array of ${HASH_BYTES}-byte Uint8Arrays, got ${describeValue(leafHashes)}`);
  }
  const flat = new Uint8Array(leafHashes.length * HASH_BYTES);
  for (let i = 0; i < leafHashes.length; i++) {
    const leaf = leafHashes[i];
    assertHash(leaf, `leaf hash at index ${i}`);
    flat.set(leaf, i * HASH_BYTES);
  }
  return flat;
}

function nextLevel(level: Uint8Array, count: number): Uint8Array {
  const pairs = Math.floor(count / 2);
  const next = new Uint8Array(Math.ceil(count / 2) * HASH_BYTES);
  for (let j = 0; j < pairs; j++) {
    const leftOffset = 2 * j * HASH_BYTES;
    next.set(hashChildren(level, level, leftOffset, leftOffset + HASH_BYTES), j * HASH_BYTES);
  }
  if (count % 2 === 1) {
    next.set(level.subarray((count - 1) * HASH_BYTES, count * HASH_BYTES), pairs * HASH_BYTES);
  }
  return next;
}

function ceilLog2(n: number): number {
  return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
}

function largestPowerOfTwoBelow(n: number): number {
  return 2 ** (ceilLog2(n) - 1);
}

/** RFC 9162 MTH over leaf hashes the caller has already computed (leaf data is the caller's business). */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  let level = flattenLeafHashes(leafHashes);
  let count = leafHashes.length;
  if (count === 0) return emptyRootCopy();
  while (count > 1) {
    level = nextLevel(level, count);
    count = Math.ceil(count / 2);
  }
  return level;
}

/** A tree built once, keeping every level so that all inclusion and consistency proofs are cheap. */
export class MerkleTree {
  readonly size: number;
  readonly #levels: Uint8Array[];

  constructor(leafHashes: readonly Uint8Array[]) {
    let level = flattenLeafHashes(leafHashes);
    let count = leafHashes.length;
    this.size = count;
    this.#levels = [level];
    while (count > 1) {
      level = nextLevel(level, count);
      count = Math.ceil(count / 2);
      this.#levels.push(level);
    }
  }

  get root(): Uint8Array {
    if (this.size === 0) return emptyRootCopy();
    return this.#node(this.#levels.length - 1, 0);
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[size]): sibling hashes from the leaf upwards. */
  inclusionProof(index: number): Uint8Array[] {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(
        `leaf index must be an integer from 0 to ${this.size - 1} for a tree of ${this.size} leaves, got ${String(index)}`,
      );
    }
    const proof: Uint8Array[] = [];
    let count = this.size;
    for (let height = 0; count > 1; height++) {
      const position = Math.floor(index / 2 ** height);
      const sibling = position % 2 === 0 ? position + 1 : position - 1;
      // A missing sibling is the odd last node carried up: RFC 9162 has no node at this level.
      if (sibling < count) proof.push(this.#node(height, sibling));
      count = Math.ceil(count / 2);
    }
    return proof;
  }

  /** RFC 9162 §2.1.4.1 PROOF(oldSize, D[size]): proves the first oldSize leaves are a prefix of this tree. */
  consistencyProof(oldSize: number): Uint8Array[] {
    if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > this.size) {
      throw new RangeError(
        `old tree size must be an integer from 0 to ${this.size} for a tree of ${this.size} leaves, got ${String(oldSize)}`,
      );
    }
    if (oldSize === 0 || oldSize === this.size) return [];
    // The RFC's SUBPROOF recursion walked top-down; its output lists the deepest hash first.
    const topDown: Uint8Array[] = [];
    let start = 0;
    let end = this.size;
    let remaining = oldSize;
    let oldTreeIsWholeSubtree = true;
    while (remaining < end - start) {
      const split = largestPowerOfTwoBelow(end - start);
      if (remaining <= split) {
        topDown.push(this.#subtreeRoot(start + split, end));
        end = start + split;
      } else {
        topDown.push(this.#subtreeRoot(start, start + split));
        start += split;
        remaining -= split;
        oldTreeIsWholeSubtree = false;
      }
    }
    const proof = oldTreeIsWholeSubtree ? [] : [this.#subtreeRoot(start, end)];
    for (let i = topDown.length - 1; i >= 0; i--) proof.push(topDown[i]!);
    return proof;
  }

  /** MTH(D[start:end]) for a range aligned as the RFC recursions produce them (see top of file). */
  #subtreeRoot(start: number, end: number): Uint8Array {
    const height = ceilLog2(end - start);
    return this.#node(height, start / 2 ** height);
  }

  #node(height: number, index: number): Uint8Array {
    const offset = index * HASH_BYTES;
    return this.#levels[height]!.slice(offset, offset + HASH_BYTES);
  }
}
