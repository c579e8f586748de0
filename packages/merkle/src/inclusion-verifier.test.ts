import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@certledger/codec';
import { InclusionVerifier, MerkleTree, verifyInclusion } from './index.js';
import { makeLeaves } from './test-support/rfc9162-reference.js';

// Counts the hashes a verification computes, to see what was remembered.
vi.mock('@certledger/codec', async (importOriginal) => {
  const codec = await importOriginal<typeof import('@certledger/codec')>();
  return { ...codec, sha256: vi.fn(codec.sha256) };
});

/** How many hashes `verify` computed. */
function hashesOf(verify: () => boolean): { valid: boolean; hashes: number } {
  vi.mocked(sha256).mockClear();
  const valid = verify();
  return { valid, hashes: vi.mocked(sha256).mock.calls.length };
}

/** A copy of `bytes` with one byte changed by a non-zero XOR. */
function flipped(bytes: Uint8Array, position: number, mask: number): Uint8Array {
  const copy = bytes.slice();
  copy[position % copy.length]! ^= mask;
  return copy;
}

interface Query {
  readonly leaf: Uint8Array;
  readonly index: number;
  readonly size: number;
  readonly proof: Uint8Array[];
  readonly root: Uint8Array;
}

/** How a query departs from a genuine proof: most leave it genuine, so later ones meet remembered nodes. */
const change = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constantFrom('leaf', 'sibling', 'root'), at: fc.nat(), position: fc.nat(31), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constantFrom('other-index', 'other-index-proof', 'other-size', 'drop', 'add', 'other-tree-sibling'), at: fc.nat() }),
);
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

const scenario = fc.record({
  trees: fc.array(fc.record({ size: fc.integer({ min: 1, max: 80 }), seed: fc.nat() }), { minLength: 1, maxLength: 4 }),
  queries: fc.array(fc.record({ tree: fc.nat(), index: fc.nat(), change }), { minLength: 1, maxLength: 120 }),
  maxSteps: fc.integer({ min: 1, max: 300 }),
});

function queryOf(trees: readonly { leaves: Uint8Array[]; tree: MerkleTree }[], pick: number, index: number, c: Change): Query {
  const { leaves, tree } = trees[pick % trees.length]!;
  const i = index % tree.size;
  const genuine: Query = { leaf: leaves[i]!, index: i, size: tree.size, proof: tree.inclusionProof(i), root: tree.root };
  const at = 'at' in c ? c.at : 0;
  const other = (at % tree.size) === i ? (i + 1) % tree.size : at % tree.size;
  switch (c.kind) {
    case 'none':
      return genuine;
    case 'leaf':
      return { ...genuine, leaf: flipped(genuine.leaf, c.position, c.mask) };
    case 'root':
      return { ...genuine, root: flipped(genuine.root, c.position, c.mask) };
    case 'sibling': {
      if (genuine.proof.length === 0) return genuine;
      const proof = [...genuine.proof];
      proof[at % proof.length] = flipped(proof[at % proof.length]!, c.position, c.mask);
      return { ...genuine, proof };
    }
    case 'other-index':
      return { ...genuine, index: other };
    case 'other-index-proof':
      // A leaf with another leaf's path: the upper siblings are genuine and remembered.
      return { ...genuine, proof: tree.inclusionProof(other) };
    case 'other-size':
      return { ...genuine, size: Math.max(i + 1, tree.size + (at % 5) - 2) };
    case 'drop':
      return { ...genuine, proof: genuine.proof.filter((_, j) => j !== at % Math.max(1, genuine.proof.length)) };
    case 'add':
      return { ...genuine, proof: [...genuine.proof, genuine.root] };
    case 'other-tree-sibling': {
      const stranger = trees[(pick + 1) % trees.length]!.tree;
      const theirs = stranger.inclusionProof(at % stranger.size);
      if (genuine.proof.length === 0 || theirs.length === 0) return genuine;
      const proof = [...genuine.proof];
      const j = at % Math.min(proof.length, theirs.length);
      proof[j] = theirs[j]!;
      return { ...genuine, proof };
    }
  }
}

describe('InclusionVerifier', () => {
  it('answers as verifyInclusion does, whatever was verified before, within its memory bound', () => {
    fc.assert(
      fc.property(scenario, ({ trees, queries, maxSteps }) => {
        const built = trees.map(({ size, seed }) => {
          const leaves = makeLeaves(size, seed);
          return { leaves, tree: new MerkleTree(leaves) };
        });
        const verifier = new InclusionVerifier(maxSteps);
        for (const { tree, index, change: c } of queries) {
          const q = queryOf(built, tree, index, c);
          expect(verifier.verify(q.leaf, q.index, q.size, q.proof, q.root)).toBe(verifyInclusion(q.leaf, q.index, q.size, q.proof, q.root));
          expect(verifier.size).toBeLessThanOrEqual(maxSteps);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('skips the hashes a verified path remembers, and a path that leaves them is hashed and refused', () => {
    const leaves = makeLeaves(16, 3);
    const tree = new MerkleTree(leaves);
    const verifier = new InclusionVerifier(1000);
    const check = (index: number, proof = tree.inclusionProof(index)) => hashesOf(() => verifier.verify(leaves[index]!, index, 16, proof, tree.root));
    expect(check(0)).toEqual({ valid: true, hashes: 4 });
    expect(verifier.size).toBe(3);
    // Leaf 1 meets leaf 0's nodes from level 1 up; with a wrong top sibling it is hashed again there, and fails.
    const proof = tree.inclusionProof(1);
    expect(check(1, [...proof.slice(0, -1), flipped(proof.at(-1)!, 0, 1)])).toEqual({ valid: false, hashes: 2 });
    expect(check(1, proof)).toEqual({ valid: true, hashes: 1 });
    expect(check(2)).toEqual({ valid: true, hashes: 2 });
    expect(verifier.size).toBe(4);
  });

  it('keeps its own copies: changing a proof after verifying it changes nothing remembered', () => {
    const leaves = makeLeaves(8, 5);
    const tree = new MerkleTree(leaves);
    const verifier = new InclusionVerifier(100);
    const proof = tree.inclusionProof(4);
    expect(verifier.verify(leaves[4]!, 4, 8, proof, tree.root)).toBe(true);
    for (const hash of proof) hash.fill(0);
    const other = tree.inclusionProof(5);
    expect(hashesOf(() => verifier.verify(leaves[5]!, 5, 8, other, tree.root))).toEqual({ valid: true, hashes: 1 });
    expect(verifier.verify(leaves[5]!, 5, 8, [other[0]!, new Uint8Array(32), other[2]!], tree.root)).toBe(false);
  });

  it('forgets the least recently used root first', () => {
    const trees = [1, 2, 3].map((seed) => {
      const leaves = makeLeaves(4, seed);
      return { leaves, tree: new MerkleTree(leaves) };
    });
    const verifier = new InclusionVerifier(2);
    const check = (t: number) => hashesOf(() => verifier.verify(trees[t]!.leaves[0]!, 0, 4, trees[t]!.tree.inclusionProof(0), trees[t]!.tree.root));
    const remembered = { valid: true, hashes: 1 };
    const forgotten = { valid: true, hashes: 2 };
    expect([check(0), check(1)]).toEqual([forgotten, forgotten]);
    expect(check(0)).toEqual(remembered);
    expect(check(2)).toEqual(forgotten);
    expect(verifier.size).toBe(2);
    expect([check(0), check(2), check(1)]).toEqual([remembered, remembered, forgotten]);
  });

  it('never throws on arbitrary values, and answers as verifyInclusion does', () => {
    const verifier = new InclusionVerifier(50);
    const anything = fc.oneof(fc.anything(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 60 }));
    const size = fc.oneof(fc.anything(), fc.integer({ min: -3, max: 1 << 20 }), fc.double());
    const verifyAny = (f: (...args: never[]) => boolean, args: unknown[]) => (f as (...args: unknown[]) => boolean)(...args);
    fc.assert(
      fc.property(anything, size, size, anything, anything, (a, b, c, d, e) => {
        expect(verifyAny(verifier.verify.bind(verifier), [a, b, c, d, e])).toBe(verifyAny(verifyInclusion, [a, b, c, d, e]));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a memory bound that is not a positive integer', () => {
    for (const bound of [0, -1, 1.5, Number.NaN]) expect(() => new InclusionVerifier(bound)).toThrow(RangeError);
  });
});
