import { assertHash, describeValue, emptyRootCopy, hashChildren, HASH_BYTES } from './hashing.js';

/**
 * What a CompactMerkleLog stores: the number of leaves, and the roots of the perfect subtrees
 * along the tree's right edge, one per set bit of `size`, the largest (leftmost) first.
 */
export interface CompactMerkleLogState {
  size: number;
  frontier: Uint8Array[];
}

function popcount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  return bits;
}

/**
 * Appends a leaf to a frontier of a log of `size` leaves, in place. Like incrementing a binary
 * counter: each trailing set bit of the size is a complete subtree of the same height as the
 * one being carried, so the two merge.
 */
function pushLeaf(frontier: Uint8Array[], size: number, leafHash: Uint8Array): void {
  let carried = leafHash;
  for (let rest = size; rest % 2 === 1; rest = Math.floor(rest / 2)) carried = hashChildren(frontier.pop()!, carried, 0, 0);
  frontier.push(carried);
}

/**
 * The state after appending one leaf, sharing with `state` the hashes both hold, for callers
 * that keep states as values and never change them (the ledger appends to its logs once per
 * transaction; copying every frontier hash twice per append, as fromState and toState do to
 * guard a mutable log, was most of its cost). `leafHash` is kept as given: do not change it.
 */
export function appendedState(state: CompactMerkleLogState, leafHash: Uint8Array): CompactMerkleLogState {
  assertHash(leafHash, 'leaf hash');
  if (state.size >= Number.MAX_SAFE_INTEGER) throw new RangeError(`compact Merkle log is full at ${state.size} leaves`);
  const frontier = state.frontier.slice();
  pushLeaf(frontier, state.size, leafHash);
  return { size: state.size + 1, frontier };
}

/**
 * An append-only RFC 9162 log that keeps only O(log n) hashes: enough to append a leaf and to
 * give the root after each append, not to produce proofs (that needs the leaves).
 */
export class CompactMerkleLog {
  #size: number;
  #frontier: Uint8Array[];
  #root: Uint8Array | undefined;

  constructor() {
    this.#size = 0;
    this.#frontier = [];
    this.#root = undefined;
  }

  static fromLeaves(leafHashes: readonly Uint8Array[]): CompactMerkleLog {
    if (!Array.isArray(leafHashes)) {
      throw new TypeError(`leaf hashes must be an array of ${HASH_BYTES}-byte Uint8Arrays, got ${describeValue(leafHashes)}`);
    }
    const log = new CompactMerkleLog();
    for (let i = 0; i < leafHashes.length; i++) {
      const leaf = leafHashes[i];
      assertHash(leaf, `leaf hash at index ${i}`);
      log.append(leaf);
    }
    return log;
  }

  /** Rebuilds a log from stored state, refusing any state that no sequence of appends could produce. */
  static fromState(state: CompactMerkleLogState): CompactMerkleLog {
    if (typeof state !== 'object' || state === null) {
      throw new TypeError(`compact Merkle log state must be an object { size, frontier }, got ${describeValue(state)}`);
    }
    const { size, frontier } = state;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`compact Merkle log size must be a non-negative safe integer, got ${String(size)}`);
    }
    if (!Array.isArray(frontier)) {
      throw new TypeError(`compact Merkle log frontier must be an array of hashes, got ${describeValue(frontier)}`);
    }
    const expected = popcount(size);
    if (frontier.length !== expected) {
      throw new RangeError(
        `compact Merkle log frontier must hold one hash per set bit of the size: ${expected} for size ${size}, got ${frontier.length}`,
      );
    }
    const log = new CompactMerkleLog();
    log.#frontier = frontier.map((hash, i) => {
      assertHash(hash, `compact Merkle log frontier entry ${i}`);
      return hash.slice();
    });
    log.#size = size;
    return log;
  }

  get size(): number {
    return this.#size;
  }

  /** MTH of all leaves appended so far; computed once per size, in O(log n). */
  get root(): Uint8Array {
    if (this.#root === undefined) this.#root = this.#computeRoot();
    return this.#root.slice();
  }

  /** Appends one leaf hash in O(log n) and returns its index. */
  append(leafHash: Uint8Array): number {
    assertHash(leafHash, 'leaf hash');
    if (this.#size >= Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`compact Merkle log is full at ${this.#size} leaves`);
    }
    pushLeaf(this.#frontier, this.#size, leafHash.slice());
    this.#root = undefined;
    return this.#size++;
  }

  /** An independent copy, for state transitions that must not change their input. */
  clone(): CompactMerkleLog {
    const copy = new CompactMerkleLog();
    copy.#size = this.#size;
    copy.#frontier = [...this.#frontier];
    copy.#root = this.#root;
    return copy;
  }

  /** A plain copy of the state for storage; `fromState` reads it back. */
  toState(): CompactMerkleLogState {
    return { size: this.#size, frontier: this.#frontier.map((hash) => hash.slice()) };
  }

  // RFC 9162 splits n leaves at the largest power of two below n, which is the leftmost
  // frontier subtree; the rest of the tree splits the same way, so folding the frontier
  // from the right reproduces MTH exactly.
  #computeRoot(): Uint8Array {
    const last = this.#frontier.length - 1;
    if (last < 0) return emptyRootCopy();
    let root = this.#frontier[last]!;
    for (let i = last - 1; i >= 0; i--) root = hashChildren(this.#frontier[i]!, root, 0, 0);
    return root;
  }
}
