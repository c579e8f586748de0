import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { CompactMerkleLog, EMPTY_ROOT, leafHash, merkleRoot, MerkleTree, verifyInclusion } from './index.js';
import {
  makeLeaves,
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceLeafHash,
  referenceRoot,
} from './test-support/rfc9162-reference.js';

// The certificate-transparency test tree (RFC 6962 reference test data, as published in
// transparency-dev/merkle testonly/constants.go and proof/verify_test.go).
const testLeaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (hex) => leafHash(hexToBytes(hex)),
);
const rootsBySize = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// Upstream numbers leaves from 1 in these tables; the indexes here are 0-based.
const inclusionVectors: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 2, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7'] },
  { index: 1, size: 2, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const consistencyVectors: { oldSize: number; newSize: number; proof: string[] }[] = [
  { oldSize: 1, newSize: 1, proof: [] },
  {
    oldSize: 1,
    newSize: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    oldSize: 6,
    newSize: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    oldSize: 2,
    newSize: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    oldSize: 6,
    newSize: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
// transparency-dev/merkle compact/range_test.go TestGetRootHashGolden: leaf i is the two
// bytes [i & 0xff, i >> 8], hashed as a leaf. Sizes beyond the 8-leaf tree, none a power of two
// except 16, 256 and 4096.
const goldenRoots: [number, string][] = [
  [10, '56358c3d260db42b8236517f44b9d0cba1dcc1293a0888a97f19be85eb6d03ee'],
  [15, '8f84ae9589a8705bb175eca9d76c5708880ae8f7a405cc730088f8cdb4333442'],
  [16, '73ee1473a04230e65ffefdcd64ad64a935097be6c1a05b4e84ff8fdd26b22911'],
  [100, '75487d8581fcf29d023281e476bd700b6b336e170b01739e8d6a48348a282946'],
  [255, '4a676cb8a52a8a8777457da3c85d8ce899db744e10b93c308a97c0a30238fe2d'],
  [256, 'a85234b7fb59d4c74e620c8fa4fcc7162655c3cea4a12717cbdab7154e5c6ac0'],
  [1000, '457ae06fcc47779e58e3c15b7e8b49c026d5f362b1db62d97c46e604602fc254'],
  [4095, '71644575084f7239fd5b205713faf57f4e1e8f1226e65be0e340c4a510554b4c'],
  [4096, 'eae53fa617c78359ff1a4b184fa4cef5a37c11ab8c0822519777482b41c3b363'],
  [10000, '55971abfae45f61687551937c2b7b66b116805744d79487fd5df5de4541fc488'],
  [65535, '88fb9560984fe92104e20505a7ca9b69f776ad8bfd61308362a0310a3f0774b3'],
];

const hexList = (hashes: Uint8Array[]): string[] => hashes.map(bytesToHex);

describe('known-answer vectors', () => {
  it('leaf hashes agree with the independent reference', () => {
    expect(testLeaves[7]).toEqual(referenceLeafHash(hexToBytes('606162636465666768696a6b6c6d6e6f')));
  });

  it('roots of the 8-leaf test tree for sizes 0..8', () => {
    for (let size = 0; size <= 8; size++) {
      const prefix = testLeaves.slice(0, size);
      expect(bytesToHex(merkleRoot(prefix)), `size ${size}`).toBe(rootsBySize[size]);
      expect(bytesToHex(new MerkleTree(prefix).root), `size ${size}`).toBe(rootsBySize[size]);
      expect(bytesToHex(CompactMerkleLog.fromLeaves(prefix).root), `size ${size}`).toBe(rootsBySize[size]);
    }
  });

  it('inclusion proofs', () => {
    for (const { index, size, proof } of inclusionVectors) {
      const tree = new MerkleTree(testLeaves.slice(0, size));
      expect(hexList(tree.inclusionProof(index)), `index ${index} size ${size}`).toEqual(proof);
    }
  });

  it('consistency proofs', () => {
    for (const { oldSize, newSize, proof } of consistencyVectors) {
      const tree = new MerkleTree(testLeaves.slice(0, newSize));
      expect(hexList(tree.consistencyProof(oldSize)), `${oldSize} -> ${newSize}`).toEqual(proof);
    }
  });

  it('golden roots of larger trees', () => {
    const leaves = Array.from({ length: 65535 }, (_, i) => leafHash(Uint8Array.of(i & 0xff, i >> 8)));
    for (const [size, root] of goldenRoots) {
      expect(bytesToHex(merkleRoot(leaves.slice(0, size))), `size ${size}`).toBe(root);
    }
  });
});

describe('bottom-up levels equal the recursive RFC 9162 definition', () => {
  it('roots for every size 0..300', () => {
    const leaves = makeLeaves(300, 1);
    for (let size = 0; size <= 300; size++) {
      const prefix = leaves.slice(0, size);
      expect(merkleRoot(prefix), `size ${size}`).toEqual(referenceRoot(prefix));
    }
  });

  it('every inclusion and consistency proof of every tree of 1..64 leaves', () => {
    const leaves = makeLeaves(64, 2);
    for (let size = 1; size <= 64; size++) {
      const prefix = leaves.slice(0, size);
      const tree = new MerkleTree(prefix);
      expect(tree.root).toEqual(referenceRoot(prefix));
      for (let index = 0; index < size; index++) {
        expect(tree.inclusionProof(index), `index ${index} size ${size}`).toEqual(referenceInclusionProof(index, prefix));
      }
      for (let oldSize = 0; oldSize <= size; oldSize++) {
        expect(tree.consistencyProof(oldSize), `${oldSize} -> ${size}`).toEqual(referenceConsistencyProof(oldSize, prefix));
      }
    }
  });

  it('sampled proofs of trees up to 5000 leaves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }).chain((size) =>
          fc.tuple(fc.constant(size), fc.nat(size - 1), fc.integer({ min: 0, max: size }), fc.nat()),
        ),
        ([size, index, oldSize, seed]) => {
          const leaves = makeLeaves(size, seed);
          const tree = new MerkleTree(leaves);
          expect(tree.inclusionProof(index)).toEqual(referenceInclusionProof(index, leaves));
          expect(tree.consistencyProof(oldSize)).toEqual(referenceConsistencyProof(oldSize, leaves));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('MerkleTree', () => {
  it('has the empty root and no proofs when empty', () => {
    const tree = new MerkleTree([]);
    expect(tree.size).toBe(0);
    expect(tree.root).toEqual(EMPTY_ROOT);
    expect(tree.consistencyProof(0)).toEqual([]);
    expect(() => tree.inclusionProof(0)).toThrow(/leaf index must be an integer from 0 to -1 for a tree of 0 leaves/);
  });

  it('hands out copies, so callers cannot corrupt the tree', () => {
    const leaves = makeLeaves(5, 3);
    const tree = new MerkleTree(leaves);
    const root = tree.root;
    leaves[0]!.fill(0);
    tree.root.fill(0);
    tree.inclusionProof(4)[0]!.fill(0);
    tree.consistencyProof(3)[0]!.fill(0);
    expect(tree.root).toEqual(root);
    expect(tree.inclusionProof(4)).toEqual(referenceInclusionProof(4, makeLeaves(5, 3)));
  });

  it('refuses bad leaves and out-of-range indexes with a sentence saying what is wrong', () => {
    const good = makeLeaves(3);
    expect(() => merkleRoot('leaves' as unknown as Uint8Array[])).toThrow(TypeError);
    expect(() => new MerkleTree([good[0]!, new Uint8Array(31)])).toThrow(/leaf hash at index 1 must be 32 bytes long, got 31/);
    expect(() => merkleRoot([good[0]!, 'x' as unknown as Uint8Array])).toThrow(TypeError);
    expect(() => merkleRoot([undefined as unknown as Uint8Array])).toThrow(/leaf hash at index 0 must be a 32-byte Uint8Array/);
    const tree = new MerkleTree(good);
    for (const index of [-1, 3, 1.5, Number.NaN, Infinity]) expect(() => tree.inclusionProof(index)).toThrow(RangeError);
    for (const oldSize of [-1, 4, 0.5]) expect(() => tree.consistencyProof(oldSize)).toThrow(RangeError);
  });

  it('builds 100k leaves and hands out all 100k proofs quickly', () => {
    const leaves = makeLeaves(100_000, 4);
    const started = performance.now();
    const tree = new MerkleTree(leaves);
    const proofs = leaves.map((_, index) => tree.inclusionProof(index));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(10_000);
    expect(tree.root).toEqual(merkleRoot(leaves));
    expect(tree.root).toEqual(referenceRoot(leaves));
    for (let index = 0; index < leaves.length; index += 97) {
      expect(verifyInclusion(leaves[index]!, index, leaves.length, proofs[index]!, tree.root)).toBe(true);
    }
    expect(verifyInclusion(leaves[99_999]!, 99_999, 100_000, proofs[99_999]!, tree.root)).toBe(true);
  });
});
