import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CompactMerkleLog, EMPTY_ROOT, appendedState, merkleRoot, type CompactMerkleLogState } from './index.js';
import { makeLeaves, referenceRoot } from './test-support/rfc9162-reference.js';

describe('CompactMerkleLog', () => {
  it('starts empty with the empty root', () => {
    const log = new CompactMerkleLog();
    expect(log.size).toBe(0);
    expect(log.root).toEqual(EMPTY_ROOT);
    expect(log.toState()).toEqual({ size: 0, frontier: [] });
  });

  it('has the RFC 9162 root after every append, for every size up to 300', () => {
    const leaves = makeLeaves(300, 11);
    const log = new CompactMerkleLog();
    for (let size = 1; size <= 300; size++) {
      expect(log.append(leaves[size - 1]!)).toBe(size - 1);
      expect(log.size).toBe(size);
      expect(log.root, `size ${size}`).toEqual(referenceRoot(leaves.slice(0, size)));
    }
  });

  it('equals merkleRoot over the same leaves after each append', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 80 }), (leaves) => {
        const log = new CompactMerkleLog();
        leaves.forEach((leaf, i) => {
          log.append(leaf);
          expect(log.root).toEqual(merkleRoot(leaves.slice(0, i + 1)));
        });
        expect(CompactMerkleLog.fromLeaves(leaves).root).toEqual(merkleRoot(leaves));
      }),
      { numRuns: 100 },
    );
  });

  it('equals merkleRoot for 100k leaves', () => {
    const leaves = makeLeaves(100_000, 12);
    expect(CompactMerkleLog.fromLeaves(leaves).root).toEqual(merkleRoot(leaves));
  });

  it('keeps one frontier hash per set bit of the size', () => {
    const log = CompactMerkleLog.fromLeaves(makeLeaves(0b1011001, 13));
    expect(log.toState().frontier).toHaveLength(4);
  });

  it('resumes from stored state exactly where it left off', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 60 }), fc.nat(), (before, after, seed) => {
        const leaves = makeLeaves(before + after, seed);
        const state = CompactMerkleLog.fromLeaves(leaves.slice(0, before)).toState();
        const plain: CompactMerkleLogState = JSON.parse(
          JSON.stringify({ size: state.size, frontier: state.frontier.map((hash) => [...hash]) }),
        );
        const resumed = CompactMerkleLog.fromState({ size: plain.size, frontier: plain.frontier.map((bytes) => Uint8Array.from(bytes)) });
        for (const leaf of leaves.slice(before)) resumed.append(leaf);
        expect(resumed.size).toBe(before + after);
        expect(resumed.root).toEqual(merkleRoot(leaves));
      }),
      { numRuns: 100 },
    );
  });

  it('is not changed through the state, roots or leaves it handed out or was given', () => {
    const leaves = makeLeaves(7, 14);
    const log = CompactMerkleLog.fromLeaves(leaves);
    const root = log.root;
    log.toState().frontier.forEach((hash) => hash.fill(0));
    log.root.fill(0);
    leaves.forEach((leaf) => leaf.fill(0));
    expect(log.root).toEqual(root);

    const state = log.toState();
    const restored = CompactMerkleLog.fromState(state);
    state.frontier[0]!.fill(0);
    expect(restored.root).toEqual(root);
  });

  it('clones into an independent log', () => {
    const leaves = makeLeaves(10, 15);
    const original = CompactMerkleLog.fromLeaves(leaves.slice(0, 9));
    const rootBefore = original.root;
    const copy = original.clone();
    copy.append(leaves[9]!);
    expect(original.size).toBe(9);
    expect(original.root).toEqual(rootBefore);
    expect(copy.root).toEqual(merkleRoot(leaves));
  });

  it('refuses a stored state that no sequence of appends could produce', () => {
    const hash = new Uint8Array(32);
    const bad = (state: unknown) => () => CompactMerkleLog.fromState(state as CompactMerkleLogState);
    expect(bad(null)).toThrow(TypeError);
    expect(bad('state')).toThrow(TypeError);
    expect(bad({ size: -1, frontier: [] })).toThrow(RangeError);
    expect(bad({ size: 1.5, frontier: [hash] })).toThrow(RangeError);
    expect(bad({ size: '1', frontier: [hash] })).toThrow(RangeError);
    expect(bad({ size: 2 ** 53, frontier: [hash] })).toThrow(RangeError);
    expect(bad({ size: 1, frontier: 'hash' })).toThrow(TypeError);
    expect(bad({ size: 3, frontier: [hash] })).toThrow(/one hash per set bit of the size: 2 for size 3, got 1/);
    expect(bad({ size: 4, frontier: [hash, hash] })).toThrow(RangeError);
    expect(bad({ size: 0, frontier: [hash] })).toThrow(RangeError);
    expect(bad({ size: 3, frontier: [hash, new Uint8Array(31)] })).toThrow(/frontier entry 1 must be 32 bytes long, got 31/);
    expect(bad({ size: 1, frontier: [[...hash]] })).toThrow(TypeError);
  });

  it('accepts the largest size, and refuses to grow past it', () => {
    const frontier = makeLeaves(53, 16);
    const log = CompactMerkleLog.fromState({ size: Number.MAX_SAFE_INTEGER, frontier });
    expect(log.size).toBe(Number.MAX_SAFE_INTEGER);
    expect(log.root).toHaveLength(32);
    expect(() => log.append(frontier[0]!)).toThrow(/full/);
  });

  it('refuses leaves that are not 32-byte hashes', () => {
    const log = new CompactMerkleLog();
    expect(() => log.append(new Uint8Array(16))).toThrow(/leaf hash must be 32 bytes long, got 16/);
    expect(() => log.append('leaf' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => CompactMerkleLog.fromLeaves([new Uint8Array(32), new Uint8Array(1)])).toThrow(/leaf hash at index 1/);
    expect(log.size).toBe(0);
  });
});

describe('appendedState', () => {
  it('gives the state a log reaches by the same appends, and leaves the state it was given as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 80 }), (leaves) => {
        const log = new CompactMerkleLog();
        let state: CompactMerkleLogState = log.toState();
        for (const leaf of leaves) {
          const before = structuredClone(state);
          const next = appendedState(state, leaf);
          expect(state).toEqual(before);
          log.append(leaf);
          expect(next).toEqual(log.toState());
          expect(CompactMerkleLog.fromState(next).root).toEqual(log.root);
          state = next;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses leaves that are not 32-byte hashes', () => {
    expect(() => appendedState(new CompactMerkleLog().toState(), new Uint8Array(31))).toThrow(/leaf hash/);
  });
});
