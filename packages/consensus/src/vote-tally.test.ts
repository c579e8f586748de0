import { describe, expect, it } from 'vitest';
import { encodeMessage, signVote } from './messages.js';
import { testSigners } from './test-support.js';
import { VoteTally } from './vote-tally.js';

const [honest, byzantine] = testSigners(2);
const block = (n: number) => new Uint8Array(32).fill(n);
const prevote = (signer = byzantine!, blockHash: Uint8Array | null = null) => signVote(signer, 'c', { type: 'prevote', height: 1, round: 0, blockHash });

describe('VoteTally', () => {
  it('counts a validator once per block, and every block a double voter voted for', () => {
    const tally = new VoteTally();
    const first = prevote(byzantine, block(1));
    expect(tally.add(first, encodeMessage(first), 2)).toEqual({ outcome: 'added' });
    expect(tally.add(first, encodeMessage(first), 2)).toEqual({ outcome: 'duplicate' });
    const second = prevote(byzantine, null);
    expect(tally.add(second, encodeMessage(second), 2)).toMatchObject({ outcome: 'conflict', existing: { vote: first } });
    expect([tally.powerFor(block(1)), tally.powerFor(null), tally.anyPower]).toEqual([2, 2, 2]);
    const other = prevote(honest, block(1));
    tally.add(other, encodeMessage(other), 1);
    expect([tally.powerFor(block(1)), tally.anyPower, tally.blocksWithPower(3)]).toEqual([3, 3, [Buffer.from(block(1)).toString('hex')]]);
  });

  it('bounds the unknown blocks a validator can make it hold, but never drops a vote for a known block', () => {
    const tally = new VoteTally();
    for (const n of [1, 2, 3, 4, 5]) {
      const vote = prevote(byzantine, block(n));
      tally.add(vote, encodeMessage(vote), 1);
    }
    expect([4, 5].map((n) => tally.powerFor(block(n)))).toEqual([0, 0]);
    const known = prevote(byzantine, block(9));
    tally.add(known, encodeMessage(known), 1, true);
    expect(tally.powerFor(block(9))).toBe(1);
    const nil = prevote(byzantine, null);
    tally.add(nil, encodeMessage(nil), 1);
    expect(tally.powerFor(null)).toBe(1);
  });
});
