import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Step } from './messages.js';
import { checkSignPosition, decodeSignRecord, encodeSignRecord, recordSignature, type SignRecord } from './sign-guard.js';

const A = new Uint8Array(32).fill(1);
const B = new Uint8Array(32).fill(2);
const noLock = { round: -1, blockHash: null };

function after(positions: { height: number; round: number; step: Step; blockHash: Uint8Array | null }[]): SignRecord | null {
  let record: SignRecord | null = null;
  for (const p of positions) if (checkSignPosition(record, p) === 'sign') record = recordSignature(record, p, noLock);
  return record;
}

describe('sign-guard', () => {
  it('allows later positions, repeats of the same block, and refuses anything else', () => {
    const record = after([{ height: 3, round: 1, step: Step.prevote, blockHash: A }]);
    expect(checkSignPosition(record, { height: 3, round: 1, step: Step.prevote, blockHash: A })).toBe('repeat');
    expect(checkSignPosition(record, { height: 3, round: 1, step: Step.prevote, blockHash: B })).toBe('refuse');
    expect(checkSignPosition(record, { height: 3, round: 1, step: Step.prevote, blockHash: null })).toBe('refuse');
    expect(checkSignPosition(record, { height: 3, round: 1, step: Step.propose, blockHash: A })).toBe('refuse');
    expect(checkSignPosition(record, { height: 3, round: 1, step: Step.precommit, blockHash: B })).toBe('sign');
    expect(checkSignPosition(record, { height: 3, round: 0, step: Step.precommit, blockHash: A })).toBe('refuse');
    expect(checkSignPosition(record, { height: 2, round: 9, step: Step.precommit, blockHash: A })).toBe('refuse');
    expect(checkSignPosition(record, { height: 3, round: 2, step: Step.propose, blockHash: B })).toBe('sign');
    expect(checkSignPosition(record, { height: 4, round: 0, step: Step.prevote, blockHash: B })).toBe('sign');
  });

  it('keeps every step of the latest round, so a restart can re-send them', () => {
    const record = after([
      { height: 3, round: 1, step: Step.propose, blockHash: A },
      { height: 3, round: 1, step: Step.prevote, blockHash: A },
      { height: 3, round: 1, step: Step.precommit, blockHash: null },
    ]);
    expect(record?.signed).toEqual({ proposal: A, prevote: A, precommit: null });
    expect(decodeSignRecord(encodeSignRecord(record!))).toEqual(record);
  });

  it('never lets any sequence of requests sign two different blocks at one position', () => {
    const position = fc.record({
      height: fc.integer({ min: 1, max: 3 }),
      round: fc.integer({ min: 0, max: 2 }),
      step: fc.constantFrom(Step.propose, Step.prevote, Step.precommit),
      blockHash: fc.constantFrom(A, B, null),
    });
    fc.assert(
      fc.property(fc.array(position, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 5 }), (requests, restartPoints) => {
        let record: SignRecord | null = null;
        const signed = new Map<string, Uint8Array | null>();
        requests.forEach((p, i) => {
          // A restart reloads the record from its bytes, as the node does from disk.
          if (restartPoints.includes(i) && record) record = decodeSignRecord(encodeSignRecord(record));
          const decision = checkSignPosition(record, p);
          if (decision === 'refuse') return;
          const key = `${p.height}/${p.round}/${p.step}`;
          if (signed.has(key)) expect(signed.get(key)).toEqual(p.blockHash);
          signed.set(key, p.blockHash);
          if (decision === 'sign') record = recordSignature(record, p, noLock);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a damaged record with a reason', () => {
    expect(() => decodeSignRecord(Uint8Array.of(0x93, 1, 2, 3))).toThrow(/sign record is damaged/);
  });
});
