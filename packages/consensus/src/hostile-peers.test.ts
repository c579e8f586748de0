import { bytesEqual, encode } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { encodeCommit } from './commit.js';
import { ConsensusEngine } from './engine.js';
import { TEST_CHAIN, TEST_TIMEOUTS, testBlock, testBlockHash } from './engine-harness.js';
import type { EngineOutput } from './engine-types.js';
import { verifyEvidence } from './evidence.js';
import { encodeMessage, signProposal, signVote, type VoteType } from './messages.js';
import { testSigners, testValidatorSet } from './test-support.js';

const MAX_BLOCK_BYTES = 10_000;
const signers = testSigners(4);
const validators = testValidatorSet(signers);
const outsider = testSigners(5)[4]!;

function follower(hashBlock = testBlockHash): ConsensusEngine {
  const engine = new ConsensusEngine({ chainId: TEST_CHAIN, signer: null, hashBlock, maxBlockBytes: MAX_BLOCK_BYTES, timeouts: TEST_TIMEOUTS });
  engine.startHeight(1, validators);
  return engine;
}

/** The genuine proposal of height 2, round 0, signed by its proposer. */
function honestProposal(): { bytes: Uint8Array; blockHash: Uint8Array } {
  const proposer = signers.find((s) => bytesEqual(s.publicKey, validators.proposer(2, 0).publicKey))!;
  const block = testBlock(2, 'honest');
  const blockHash = testBlockHash(block);
  return { bytes: encodeMessage(signProposal(proposer, TEST_CHAIN, { height: 2, round: 0, polRound: -1, blockHash, block })), blockHash };
}

function rejectedFrom(outputs: readonly EngineOutput[], peer: string): number {
  return outputs.filter((o) => o.type === 'rejected' && o.from === peer).length;
}

function validated(outputs: readonly EngineOutput[], blockHash: Uint8Array): boolean {
  return outputs.some((o) => o.type === 'validate' && bytesEqual(o.blockHash, blockHash));
}

describe('messages for the next height, kept until the node gets there', () => {
  it('hold a few blocks at most from one peer, however many large ones it sends', () => {
    const engine = follower();
    const junkBlock = new Uint8Array(MAX_BLOCK_BYTES - 1000);
    for (let round = 0; round < 50; round++) {
      const junk = signProposal(outsider, TEST_CHAIN, { height: 2, round, polRound: -1, blockHash: testBlockHash(junkBlock), block: junkBlock });
      engine.handle({ type: 'message', bytes: encodeMessage(junk), from: 'flooder' });
    }
    const honest = honestProposal();
    engine.handle({ type: 'message', bytes: honest.bytes, from: 'honest' });
    const outputs = engine.startHeight(2, validators);
    const replayed = rejectedFrom(outputs, 'flooder');
    expect(replayed).toBeGreaterThan(0);
    expect(replayed).toBeLessThanOrEqual(3);
    expect(validated(outputs, honest.blockHash)).toBe(true);
  });

  it('keep the messages of other peers when one peer floods them', () => {
    const engine = follower();
    for (let i = 0; i < 3000; i++) {
      const junk = signVote(outsider, TEST_CHAIN, { type: 'prevote', height: 2, round: i % 100, blockHash: null });
      engine.handle({ type: 'message', bytes: encodeMessage(junk), from: 'flooder' });
    }
    const honest = honestProposal();
    engine.handle({ type: 'message', bytes: honest.bytes, from: 'honest' });
    const outputs = engine.startHeight(2, validators);
    expect(rejectedFrom(outputs, 'flooder')).toBeLessThan(3000);
    expect(validated(outputs, honest.blockHash)).toBe(true);
  });
});

describe('a validator that equivocates again and again at one height', () => {
  it('gives one evidence record, not one per round and step: each costs a synced write', () => {
    const engine = follower();
    const byzantine = signers[3]!;
    const evidence: Uint8Array[] = [];
    const other = testBlockHash(testBlock(1, 'other'));
    for (let round = 0; round < 50; round++) {
      for (const type of ['prevote', 'precommit'] as VoteType[]) {
        for (const blockHash of [null, other]) {
          const vote = signVote(byzantine, TEST_CHAIN, { type, height: 1, round, blockHash });
          for (const output of engine.handle({ type: 'message', bytes: encodeMessage(vote), from: 'byzantine' })) {
            if (output.type === 'evidence') evidence.push(output.bytes);
          }
        }
      }
    }
    expect(evidence).toHaveLength(1);
    expect(verifyEvidence(evidence[0]!, TEST_CHAIN, validators)).toMatchObject({ validator: byzantine.publicKey, height: 1, round: 0, step: 'prevote' });
  });
});

describe('a decision from a peer', () => {
  it('has its commit checked before its block is looked at, which may be any amount of junk', () => {
    const hashed: Uint8Array[] = [];
    const engine = follower((block) => {
      hashed.push(block);
      return testBlockHash(block);
    });
    const block = testBlock(1, 'decided');
    const forged = encodeCommit({ height: 1, round: 0, blockHash: testBlockHash(block), signatures: [{ validator: signers[0]!.publicKey, signature: new Uint8Array(64) }] });
    const outputs = engine.handle({ type: 'message', bytes: encodeMessage({ kind: 'decision', block: encode([new Uint8Array(9000)]), commit: forged }), from: 'liar' });
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'rejected', from: 'liar', code: 'BAD_SIGNATURE' }));
    expect(hashed).toEqual([]);
  });
});
