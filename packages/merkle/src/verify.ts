import { bytesEqual, hashChildren, isEmptyRoot, isHash } from './hashing.js';

/*
 * Verifiers take whatever a certificate file or a peer sent, so every check answers
 * false/undefined instead of throwing. Tree sizes may be any safe integer, so the RFC's bit
 * operations are written with arithmetic (JavaScript's bitwise operators stop at 32 bits).
 */

// No proof for a tree of at most 2^53 leaves (the safe-integer limit) is longer than this,
// so a longer one is refused before any of it is read.
const MAX_PROOF_LENGTH = 2 * 53 + 1;

function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isProof(value: unknown): value is readonly Uint8Array[] {
  if (!Array.isArray(value) || value.length > MAX_PROOF_LENGTH) return false;
  for (let i = 0; i < value.length; i++) if (!isHash(value[i])) return false;
  return true;
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** Whether the inputs of an inclusion proof are well-formed: hashes, sizes and an index in range. */
export function isInclusionInput(leafHash: unknown, index: unknown, treeSize: unknown, proof: unknown): boolean {
  return isHash(leafHash) && isTreeSize(index) && isTreeSize(treeSize) && index < treeSize && isProof(proof);
}

/**
 * One step up an inclusion path: `node`, the root of the subtree at `position` among the
 * subtrees of its `level` (0 for leaves), joined with the proof's `sibling`, which goes on the
 * left when `siblingOnLeft`. Returns the parent's hash.
 */
export type PathStep = (node: Uint8Array, sibling: Uint8Array, siblingOnLeft: boolean, level: number, position: number) => Uint8Array;

export const hashStep: PathStep = (node, sibling, siblingOnLeft) => (siblingOnLeft ? hashChildren(sibling, node, 0, 0) : hashChildren(node, sibling, 0, 0));

/**
 * RFC 9162 §2.1.3.2 on well-formed inputs (see {@link isInclusionInput}), with each hash
 * computed by `step`: the root the proof leads to, or undefined when the proof has the wrong
 * length for the index and size. A right-edge node without a sibling stands for its promoted
 * self, so each subtree is met at one (level, position) whichever leaf the path starts from.
 */
export function walkInclusionPath(leafHash: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[], step: PathStep): Uint8Array | undefined {
  let fn = index;
  let sn = treeSize - 1;
  let level = 0;
  let r = leafHash;
  for (let i = 0; i < proof.length; i++) {
    const p = proof[i]!;
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = step(r, p, true, level, fn);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
        level++;
      }
    } else {
      r = step(r, p, false, level, fn);
    }
    fn = half(fn);
    sn = half(sn);
    level++;
  }
  return sn === 0 ? r : undefined;
}

/**
 * RFC 9162 §2.1.3.2: the root that an inclusion proof for `leafHash` at `index` in a tree of
 * `treeSize` leaves leads to, or undefined when the inputs are malformed or the proof has the
 * wrong length for that index and size.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!isInclusionInput(leafHash, index, treeSize, proof)) return undefined;
  return walkInclusionPath(leafHash.slice(), index, treeSize, proof, hashStep);
}

/** RFC 9162 §2.1.3.2: does `proof` show `leafHash` at `index` in the tree of `treeSize` leaves with `root`? */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(root)) return false;
  const computed = rootFromInclusionProof(leafHash, index, treeSize, proof);
  return computed !== undefined && bytesEqual(computed, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `oldSize` leaves with `oldRoot` is a
 * prefix of the tree of `newSize` leaves with `newRoot`?
 *
 * Cases the RFC algorithm leaves out: equal sizes need an empty proof and equal roots; an
 * old size of 0 needs an empty proof and `oldRoot` equal to the empty-tree root.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isTreeSize(oldSize) || !isTreeSize(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !isProof(proof)) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && isEmptyRoot(oldRoot);
  if (proof.length === 0) return false;

  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr, 0, 0);
      sr = hashChildren(c, sr, 0, 0);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c, 0, 0);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && !isOdd(n)) n = half(n);
  return n === 1;
}
