import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_ROOT, merkleRoot, MerkleTree, rootFromInclusionProof, verifyConsistency, verifyInclusion } from './index.js';
import { makeLeaves, referenceConsistencyProof, referenceInclusionSides } from './test-support/rfc9162-reference.js';

/** A copy of `bytes` with one byte changed by a non-zero XOR. */
function flipped(bytes: Uint8Array, position: number, mask: number): Uint8Array {
  const copy = bytes.slice();
  copy[position % copy.length]! ^= mask;
  return copy;
}

const sameHashes = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean =>
  a.length === b.length && a.every((hash, i) => hash.every((byte, j) => byte === b[i]![j]));

const tamper = fc.record({ position: fc.nat(31), mask: fc.integer({ min: 1, max: 255 }) });

const treeWithIndex = fc
  .integer({ min: 1, max: 300 })
  .chain((size) => fc.record({ size: fc.constant(size), index: fc.nat(size - 1), seed: fc.nat() }));

describe('verifyInclusion', () => {
  it('accepts every proof the tree hands out and rootFromInclusionProof gives the root', () => {
    fc.assert(
      fc.property(treeWithIndex, ({ size, index, seed }) => {
        const leaves = makeLeaves(size, seed);
        const tree = new MerkleTree(leaves);
        const proof = tree.inclusionProof(index);
        expect(verifyInclusion(leaves[index]!, index, size, proof, tree.root)).toBe(true);
        expect(rootFromInclusionProof(leaves[index]!, index, size, proof)).toEqual(tree.root);
      }),
      { numRuns: 300 },
    );
  });

  it('fails when any byte of the leaf, of a proof hash or of the root is altered', () => {
    fc.assert(
      fc.property(treeWithIndex, tamper, fc.nat(), ({ size, index, seed }, { position, mask }, which) => {
        const leaves = makeLeaves(size, seed);
        const tree = new MerkleTree(leaves);
        const leaf = leaves[index]!;
        const proof = tree.inclusionProof(index);
        const root = tree.root;
        expect(verifyInclusion(flipped(leaf, position, mask), index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flipped(root, position, mask))).toBe(false);
        if (proof.length > 0) {
          const altered = [...proof];
          const at = which % proof.length;
          altered[at] = flipped(proof[at]!, position, mask);
          expect(verifyInclusion(leaf, index, size, altered, root)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('fails with a hash dropped, added or moved', () => {
    fc.assert(
      fc.property(treeWithIndex, fc.nat(), ({ size, index, seed }, which) => {
        const leaves = makeLeaves(size, seed);
        const tree = new MerkleTree(leaves);
        const leaf = leaves[index]!;
        const proof = tree.inclusionProof(index);
        const root = tree.root;
        expect(verifyInclusion(leaf, index, size, [...proof, root], root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [leaf, ...proof], root)).toBe(false);
        if (proof.length > 0) {
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(1), root)).toBe(false);
        }
        if (proof.length > 1) {
          const at = which % (proof.length - 1);
          const swapped = [...proof];
          [swapped[at], swapped[at + 1]] = [swapped[at + 1]!, swapped[at]!];
          expect(verifyInclusion(leaf, index, size, swapped, root)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives no root for a proof too long or too short for the index and size', () => {
    fc.assert(
      fc.property(treeWithIndex, ({ size, index, seed }) => {
        const leaves = makeLeaves(size, seed);
        const tree = new MerkleTree(leaves);
        const proof = tree.inclusionProof(index);
        expect(rootFromInclusionProof(leaves[index]!, index, size, [...proof, tree.root])).toBeUndefined();
        if (proof.length > 0) expect(rootFromInclusionProof(leaves[index]!, index, size, proof.slice(1))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('fails at any other index of the same tree', () => {
    fc.assert(
      fc.property(treeWithIndex, fc.nat(), ({ size, index, seed }, other) => {
        const leaves = makeLeaves(size, seed);
        const tree = new MerkleTree(leaves);
        const proof = tree.inclusionProof(index);
        const wrongIndex = (index + 1 + (other % (size + 5))) % (size + 5);
        fc.pre(wrongIndex !== index);
        expect(verifyInclusion(leaves[index]!, wrongIndex, size, proof, tree.root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  // The same root with another size is a different claim; it can only pass when the proof
  // would combine the hashes in exactly the same way for that size (e.g. leaf 0 of 3 or of 4
  // leaves). What binds the size in the end is the signed tree head, not the proof.
  it('with another tree size, passes only when that size gives the same path shape', () => {
    fc.assert(
      fc.property(treeWithIndex, fc.integer({ min: 0, max: 700 }), ({ size, index, seed }, otherSize) => {
        fc.pre(otherSize !== size);
        const leaves = makeLeaves(size, seed);
        const tree = new MerkleTree(leaves);
        const proof = tree.inclusionProof(index);
        const sameShape =
          index < otherSize &&
          JSON.stringify(referenceInclusionSides(index, otherSize)) === JSON.stringify(referenceInclusionSides(index, size));
        expect(verifyInclusion(leaves[index]!, index, otherSize, proof, tree.root)).toBe(sameShape);
      }),
      { numRuns: 500 },
    );
  });

  it('checks proofs in a large tree', () => {
    const leaves = makeLeaves(70_001, 5);
    const tree = new MerkleTree(leaves);
    const root = tree.root;
    for (const index of [0, 1, 32_767, 65_535, 65_536, 70_000]) {
      const proof = tree.inclusionProof(index);
      expect(verifyInclusion(leaves[index]!, index, leaves.length, proof, root)).toBe(true);
      expect(verifyInclusion(leaves[index]!, index, leaves.length, proof.slice(1), root)).toBe(false);
    }
  });
});

const treePair = fc
  .integer({ min: 1, max: 300 })
  .chain((newSize) => fc.record({ newSize: fc.constant(newSize), oldSize: fc.integer({ min: 0, max: newSize }), seed: fc.nat() }));

function consistencyCase(oldSize: number, newSize: number, seed: number) {
  const leaves = makeLeaves(newSize, seed);
  const tree = new MerkleTree(leaves);
  return { leaves, proof: tree.consistencyProof(oldSize), oldRoot: merkleRoot(leaves.slice(0, oldSize)), newRoot: tree.root };
}

describe('verifyConsistency', () => {
  it('accepts every proof the tree hands out', () => {
    fc.assert(
      fc.property(treePair, ({ oldSize, newSize, seed }) => {
        const { proof, oldRoot, newRoot } = consistencyCase(oldSize, newSize, seed);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('fails when any byte of a proof hash or of either root is altered, or a hash is dropped or added', () => {
    fc.assert(
      fc.property(treePair, tamper, fc.nat(), ({ oldSize, newSize, seed }, { position, mask }, which) => {
        const { proof, oldRoot, newRoot } = consistencyCase(oldSize, newSize, seed);
        expect(verifyConsistency(oldSize, newSize, flipped(oldRoot, position, mask), newRoot, proof)).toBe(false);
        // Every tree extends the empty tree, so with oldSize 0 there is nothing to hold the new root to.
        const newRootChecked = oldSize > 0;
        expect(verifyConsistency(oldSize, newSize, oldRoot, flipped(newRoot, position, mask), proof)).toBe(!newRootChecked);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, [...proof, newRoot])).toBe(false);
        if (proof.length > 0) {
          const altered = [...proof];
          const at = which % proof.length;
          altered[at] = flipped(proof[at]!, position, mask);
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, altered)).toBe(false);
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  // With the true roots of the claimed sizes, a proof passes exactly when it is the proof for
  // those sizes: reusing the proof of another pair of sizes must fail unless both coincide.
  it('with other sizes and their true roots, passes only for the proof of those sizes', () => {
    fc.assert(
      fc.property(treePair, fc.nat(), fc.nat(), ({ oldSize, newSize, seed }, a, b) => {
        const { leaves, proof } = consistencyCase(oldSize, newSize, seed);
        const claimedNew = 1 + (b % newSize);
        const claimedOld = a % (claimedNew + 1);
        fc.pre(claimedOld !== oldSize || claimedNew !== newSize);
        const claimed = leaves.slice(0, claimedNew);
        const expected = sameHashes(proof, referenceConsistencyProof(claimedOld, claimed));
        const verdict = verifyConsistency(claimedOld, claimedNew, merkleRoot(leaves.slice(0, claimedOld)), merkleRoot(claimed), proof);
        expect(verdict).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('handles equal sizes and the empty old tree as documented', () => {
    const leaves = makeLeaves(9, 6);
    const root = merkleRoot(leaves);
    expect(verifyConsistency(9, 9, root, root, [])).toBe(true);
    expect(verifyConsistency(9, 9, root, EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(9, 9, root, root, [root])).toBe(false);
    expect(verifyConsistency(0, 9, EMPTY_ROOT, root, [])).toBe(true);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 9, root, root, [])).toBe(false);
    expect(verifyConsistency(0, 9, EMPTY_ROOT, root, [root])).toBe(false);
    expect(verifyConsistency(9, 8, root, root, [])).toBe(false);
    expect(verifyConsistency(4, 9, merkleRoot(leaves.slice(0, 4)), root, [])).toBe(false);
  });
});

describe('verifiers on malformed input', () => {
  const leaves = makeLeaves(6, 7);
  const tree = new MerkleTree(leaves);
  const root = tree.root;
  const proof = tree.inclusionProof(2);
  const oldRoot = merkleRoot(leaves.slice(0, 3));
  const consistency = tree.consistencyProof(3);

  it('refuses each kind of bad argument without throwing', () => {
    const badNumbers = [-1, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 53, '2', null, undefined, 2n, {}];
    const badHashes = [new Uint8Array(31), new Uint8Array(33), new Uint8Array(0), 'x'.repeat(32), null, undefined, [...root], new Uint16Array(16)];
    const badProofs = [null, undefined, 'proof', {}, { length: 3 }, [...proof, new Uint8Array(31)], [undefined], new Array(3), Array(500).fill(root)];
    const cast = <T>(value: unknown) => value as T;
    for (const n of badNumbers) {
      expect(verifyInclusion(leaves[2]!, cast(n), 6, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[2]!, 2, cast(n), proof, root)).toBe(false);
      expect(rootFromInclusionProof(leaves[2]!, cast(n), 6, proof)).toBeUndefined();
      expect(verifyConsistency(cast(n), 6, oldRoot, root, consistency)).toBe(false);
      expect(verifyConsistency(3, cast(n), oldRoot, root, consistency)).toBe(false);
    }
    for (const hash of badHashes) {
      expect(verifyInclusion(cast(hash), 2, 6, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[2]!, 2, 6, proof, cast(hash))).toBe(false);
      expect(verifyConsistency(3, 6, cast(hash), root, consistency)).toBe(false);
      expect(verifyConsistency(3, 6, oldRoot, cast(hash), consistency)).toBe(false);
    }
    for (const bad of badProofs) {
      expect(verifyInclusion(leaves[2]!, 2, 6, cast(bad), root)).toBe(false);
      expect(rootFromInclusionProof(leaves[2]!, 2, 6, cast(bad))).toBeUndefined();
      expect(verifyConsistency(3, 6, oldRoot, root, cast(bad))).toBe(false);
    }
    expect(verifyInclusion(leaves[2]!, 6, 6, proof, root)).toBe(false);
    expect(verifyInclusion(leaves[0]!, 0, 0, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(leaves[2]!, 2, 6, proof, root)).toBe(true);
    expect(verifyConsistency(3, 6, oldRoot, root, consistency)).toBe(true);
  });

  it('never throws on arbitrary values, and answers false or a 32-byte root', () => {
    const anything = fc.oneof(fc.anything(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 60 }));
    const size = fc.oneof(fc.anything(), fc.integer({ min: -3, max: 1 << 20 }), fc.double());
    fc.assert(
      fc.property(anything, size, size, anything, anything, (a, b, c, d, e) => {
        const call = (f: (...args: never[]) => unknown, ...args: unknown[]) => (f as (...args: unknown[]) => unknown)(...args);
        expect(typeof call(verifyInclusion, a, b, c, d, e)).toBe('boolean');
        expect(typeof call(verifyConsistency, b, c, a, d, e)).toBe('boolean');
        const computed = call(rootFromInclusionProof, a, b, c, d);
        if (computed !== undefined) expect(computed).toHaveLength(32);
      }),
      { numRuns: 2000 },
    );
  });
});
