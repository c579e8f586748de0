import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { backend as nobleBackend } from './backend-noble.js';
import { buildAdversarialCorpus, type CaseGroup, type VerifyCase } from './equivalence-corpus.js';
import { ed25519Backend, verify, verifyReference } from './index.js';
import { verifyNative } from './native.js';

const corpus = buildAdversarialCorpus();
const groups = [...new Set(corpus.map((c) => c.group))];

function inGroup(...wanted: CaseGroup[]): VerifyCase[] {
  return corpus.filter((c) => wanted.includes(c.group));
}

function cofactoredStrict(c: VerifyCase): boolean {
  try {
    return ed25519.verify(c.signature, c.message, c.publicKey, { zip215: false });
  } catch {
    return false;
  }
}

describe('native and reference verification over an adversarial corpus', () => {
  it('uses the native backend by default under Node', () => {
    expect(ed25519Backend).toBe('native');
  });

  it('is large and holds both accepting and rejecting cases', () => {
    expect(corpus.length).toBeGreaterThan(3000);
    expect(corpus.filter((c) => c.expected).length).toBeGreaterThan(140);
  });

  it.each(groups)('group %s: both paths give exactly the strict verdict', (group) => {
    const disagreements: string[] = [];
    for (const c of inGroup(group)) {
      const native = verifyNative(c.signature, c.message, c.publicKey);
      const reference = verifyReference(c.signature, c.message, c.publicKey);
      const viaDefault = verify(c.signature, c.message, c.publicKey);
      if (native !== c.expected || reference !== c.expected || viaDefault !== native) {
        disagreements.push(`${c.label}: expected ${c.expected}, native ${native}, reference ${reference}, default ${viaDefault}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('includes mixed-order keys on both sides of the line', () => {
    for (const group of ['mixed-order-key', 'torsion-r'] as const) {
      expect(inGroup(group).some((c) => c.expected)).toBe(true);
      expect(inGroup(group).some((c) => !c.expected)).toBe(true);
    }
  });
});

describe('why the reference path does not call ed25519.verify', () => {
  const crafted = inGroup('valid', 'mixed-order-key', 'torsion-r', 'identity-r');

  it('the cofactored equation accepts signatures the strict rule refuses', () => {
    const cofactoredOnly = crafted.filter((c) => !c.expected && cofactoredStrict(c));
    expect(cofactoredOnly.map((c) => c.label)).toContain(inGroup('mixed-order-key').find((c) => !c.expected)!.label);
    expect(cofactoredOnly.length).toBeGreaterThanOrEqual(14);
  });

  it('every signature the strict rule accepts also passes the cofactored equation (no "vice versa" exists)', () => {
    expect(crafted.filter((c) => c.expected && !cofactoredStrict(c)).map((c) => c.label)).toEqual([]);
  });

  it("noble's default (ZIP-215) verify accepts small-order-key forgeries and non-canonical R", () => {
    const lenient = (c: VerifyCase) => ed25519.verify(c.signature, c.message, c.publicKey);
    expect(inGroup('small-order-key-forgery').every(lenient)).toBe(true);
    expect(inGroup('identity-r').every(lenient)).toBe(true);
  });

  it('the key checks are what stops small-order-key forgeries: the bare equation holds for them', () => {
    const forgeries = inGroup('small-order-key-forgery');
    const equationHolds = forgeries.filter((c) => nobleBackend.verifyEquation(c.signature, c.message, c.publicKey));
    expect(equationHolds.length).toBeGreaterThanOrEqual(40);
    expect(equationHolds.some((c) => verify(c.signature, c.message, c.publicKey))).toBe(false);
  });
});
