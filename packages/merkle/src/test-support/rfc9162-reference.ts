import { sha256 } from '@noble/hashes/sha2.js';

/*
 * Test oracle: RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 transcribed literally as recursions,
 * sharing no code with the package, so that the iterative implementation is checked against
 * the definition rather than against itself. Inputs are leaf hashes; MTH of one entry is
 * its leaf hash. Cost is O(n) hashes per call: keep trees small.
 */

export function referenceLeafHash(data: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0x00, ...data));
}

export function referenceNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0x01, ...left, ...right));
}

/** The largest power of two smaller than n (n > 1). */
export function referenceSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0]!;
  const k = referenceSplit(leaves.length);
  return referenceNodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** PATH(m, D[n]). */
export function referenceInclusionProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = referenceSplit(leaves.length);
  if (m < k) return [...referenceInclusionProof(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))];
  return [...referenceInclusionProof(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

/** Which side each PATH(m, D[n]) element sits on, from the leaf up; depends only on m and n. */
export function referenceInclusionSides(m: number, n: number): ('left' | 'right')[] {
  if (n <= 1) return [];
  const k = referenceSplit(n);
  if (m < k) return [...referenceInclusionSides(m, k), 'right'];
  return [...referenceInclusionSides(m - k, n - k), 'left'];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), with the empty proof for m = 0 and m = n. */
export function referenceConsistencyProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (m === 0) return [];
  return subproof(m, leaves, true);
}

function subproof(m: number, leaves: readonly Uint8Array[], wholeOldTree: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return wholeOldTree ? [] : [referenceRoot(leaves)];
  const k = referenceSplit(n);
  if (m <= k) return [...subproof(m, leaves.slice(0, k), wholeOldTree), referenceRoot(leaves.slice(k))];
  return [...subproof(m - k, leaves.slice(k), false), referenceRoot(leaves.slice(0, k))];
}

/** Distinct, unpredictable leaf hashes for property tests: leaf i of a seed is SHA-256(seed, i). */
export function makeLeaves(count: number, seed = 0): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  const message = new DataView(new ArrayBuffer(16));
  message.setFloat64(0, seed);
  for (let i = 0; i < count; i++) {
    message.setFloat64(8, i);
    leaves.push(sha256(new Uint8Array(message.buffer)));
  }
  return leaves;
}
