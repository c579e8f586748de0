import { bytesEqual, toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { verifyCommit } from './commit.js';
import { HandDrivenNode, TEST_CHAIN, gossipUntilQuiet, testBlock, testBlockHash } from './engine-harness.js';
import { verifyEvidence } from './evidence.js';
import { encodeMessage, signProposal, signVote, type Vote } from './messages.js';
import { testSigners, testValidatorSet } from './test-support.js';

const signers = testSigners(4);
const validators = testValidatorSet(signers);

function byProposerOrder(height: number) {
  const order = [0, 1, 2, 3].map((round) => validators.proposer(height, round).publicKey);
  return order.map((key) => signers.find((s) => bytesEqual(s.publicKey, key))!);
}

describe('ConsensusEngine', () => {
  it('lets four honest validators decide one block with a commit certificate that verifies', () => {
    const nodes = signers.map((s, i) => new HandDrivenNode(`v${i}`, s));
    nodes.forEach((n) => n.start(1, validators));
    gossipUntilQuiet(nodes);
    const hashes = nodes.map((n) => toHex(n.decided[0]!.blockHash));
    expect(new Set(hashes).size).toBe(1);
    const { commitBytes, blockHash, round } = nodes[0]!.decided[0]!;
    expect(round).toBe(0);
    const commit = verifyCommit(commitBytes, { chainId: TEST_CHAIN, validators, height: 1, blockHash });
    expect(commit.signatures.length).toBeGreaterThanOrEqual(3);
    expect(nodes.every((n) => !n.engine.status.running && n.engine.status.height === 2)).toBe(true);
  });

  it('lets a follower without a key decide by watching, and never sign', () => {
    const nodes = signers.map((s, i) => new HandDrivenNode(`v${i}`, s));
    const follower = new HandDrivenNode('follower', null);
    [...nodes, follower].forEach((n) => n.start(1, validators));
    gossipUntilQuiet([...nodes, follower]);
    expect(follower.decided[0]?.blockHash).toEqual(nodes[0]!.decided[0]!.blockHash);
    expect(follower.record).toBeNull();
  });

  it('moves to the next round when the proposer is silent, and decides there', () => {
    const [silent] = byProposerOrder(1);
    const nodes = signers.filter((s) => s !== silent).map((s, i) => new HandDrivenNode(`v${i}`, s));
    nodes.forEach((n) => n.start(1, validators));
    gossipUntilQuiet(nodes);
    nodes.forEach((n) => n.fire('propose'));
    gossipUntilQuiet(nodes);
    expect(nodes.map((n) => n.engine.status.step)).toEqual(['precommit', 'precommit', 'precommit']);
    expect(nodes.every((n) => n.decided.length === 0)).toBe(true);
    nodes.forEach((n) => n.fire('precommit'));
    gossipUntilQuiet(nodes);
    expect(nodes.map((n) => n.decided[0]?.round)).toEqual([1, 1, 1]);
  });

  it('records evidence when a validator signs two different prevotes in one round', () => {
    const [proposer, , , byzantine] = byProposerOrder(1);
    const honest = new HandDrivenNode('honest', proposer!);
    honest.start(1, validators);
    const first = signVote(byzantine!, TEST_CHAIN, { type: 'prevote', height: 1, round: 0, blockHash: null });
    const second = signVote(byzantine!, TEST_CHAIN, { type: 'prevote', height: 1, round: 0, blockHash: testBlockHash(testBlock(1, 'x')) });
    honest.receive(encodeMessage(first));
    honest.receive(encodeMessage(second));
    honest.receive(encodeMessage(second));
    expect(honest.evidence).toHaveLength(1);
    expect(verifyEvidence(honest.evidence[0]!, TEST_CHAIN, validators).validator).toEqual(byzantine!.publicKey);
  });

  it('refuses votes with bad signatures or from outside the set, and proposals from the wrong proposer', () => {
    const [proposer, other, bystander] = byProposerOrder(1);
    const node = new HandDrivenNode('n', bystander!);
    const rejected: string[] = [];
    const collect = (outputs: ReturnType<typeof node.engine.handle>) => outputs.forEach((o) => o.type === 'rejected' && rejected.push(o.code));
    node.start(1, validators);
    const vote = signVote(other!, TEST_CHAIN, { type: 'prevote', height: 1, round: 0, blockHash: null });
    const forged: Vote = { ...vote, signature: vote.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    collect(node.engine.handle({ type: 'message', bytes: encodeMessage(forged), from: 'p' }));
    const outsider = testSigners(5)[4]!;
    collect(node.engine.handle({ type: 'message', bytes: encodeMessage(signVote(outsider, TEST_CHAIN, { type: 'prevote', height: 1, round: 0, blockHash: null })), from: 'p' }));
    const block = testBlock(1, 'b');
    const wrongProposer = signProposal(other!, TEST_CHAIN, { height: 1, round: 0, polRound: -1, blockHash: testBlockHash(block), block });
    collect(node.engine.handle({ type: 'message', bytes: encodeMessage(wrongProposer), from: 'p' }));
    const badHash = signProposal(proposer!, TEST_CHAIN, { height: 1, round: 0, polRound: -1, blockHash: testBlockHash(testBlock(1, 'other')), block });
    collect(node.engine.handle({ type: 'message', bytes: encodeMessage(badHash), from: 'p' }));
    collect(node.engine.handle({ type: 'message', bytes: Uint8Array.of(0x93, 1), from: 'p' }));
    expect(rejected).toEqual(['BAD_SIGNATURE', 'UNKNOWN_VALIDATOR', 'NOT_PROPOSER', 'BAD_BLOCK_HASH', 'MALFORMED']);
  });
});

describe('sign-guard in the engine', () => {
  it('after a restart, re-sends exactly what it signed and signs nothing conflicting', () => {
    const [proposer, voter] = byProposerOrder(1);
    const node = new HandDrivenNode('voter', voter!);
    node.start(1, validators);
    const block = testBlock(1, 'first');
    node.receive(encodeMessage(signProposal(proposer!, TEST_CHAIN, { height: 1, round: 0, polRound: -1, blockHash: testBlockHash(block), block })));
    const [prevote] = node.sent().filter((m) => m.kind === 'vote');
    expect(prevote).toMatchObject({ type: 'prevote', blockHash: testBlockHash(block) });

    const restarted = new HandDrivenNode('voter again', voter!, { record: node.record });
    restarted.start(1, validators);
    const other = testBlock(1, 'second');
    restarted.receive(encodeMessage(signProposal(proposer!, TEST_CHAIN, { height: 1, round: 0, polRound: -1, blockHash: testBlockHash(other), block: other })));
    const votes = restarted.sent().filter((m) => m.kind === 'vote');
    expect(votes).toEqual([prevote]);
  });

  it('after a restart, proposes its locked block again with the prevote quorum behind it', () => {
    const nodes = signers.map((s, i) => new HandDrivenNode(`v${i}`, s));
    nodes.forEach((n) => n.start(1, validators));
    for (let i = 0; i < 2; i++) {
      const batches = nodes.map((n) => ({ n, messages: n.drain() }));
      for (const { n, messages } of batches) for (const m of messages) for (const other of nodes) if (other !== n) other.receive(m);
    }
    expect(nodes.every((n) => n.engine.status.lockedRound === 0 && n.decided.length === 0)).toBe(true);
    const [, nextProposer] = byProposerOrder(1);
    const locked = nodes.find((n) => n.signer === nextProposer)!;
    const lockedHash = locked.record!.lockedBlockHash;
    const restarted = new HandDrivenNode('restarted', nextProposer!, { record: locked.record, lockRecord: locked.lockRecord });
    restarted.start(1, validators);
    restarted.drain();
    for (const other of signers.filter((s) => s !== nextProposer).slice(0, 2)) {
      restarted.receive(encodeMessage(signVote(other, TEST_CHAIN, { type: 'precommit', height: 1, round: 0, blockHash: null })));
    }
    restarted.fire('precommit');
    const sent = restarted.sent();
    expect(sent.find((m) => m.kind === 'proposal')).toMatchObject({ round: 1, polRound: 0, blockHash: lockedHash });
    expect(sent.filter((m) => m.kind === 'vote' && m.type === 'prevote' && m.round === 0).length).toBeGreaterThanOrEqual(3);
  });

  it('without its record, the same restart would sign a conflicting prevote', () => {
    const [proposer, voter] = byProposerOrder(1);
    const amnesiac = new HandDrivenNode('amnesiac', voter!);
    amnesiac.start(1, validators);
    const other = testBlock(1, 'second');
    amnesiac.receive(encodeMessage(signProposal(proposer!, TEST_CHAIN, { height: 1, round: 0, polRound: -1, blockHash: testBlockHash(other), block: other })));
    expect(amnesiac.sent().filter((m) => m.kind === 'vote')).toMatchObject([{ type: 'prevote', blockHash: testBlockHash(other) }]);
  });
});

/**
 * The classic attack on a BFT protocol without locks, scripted message by message: a Byzantine
 * proposer D shows block v to A and B only; A decides v with D's help; then C proposes v' in
 * round 1. B, locked on v, must refuse v' or C would decide v' too.
 */
function lockAttack(unsafeIgnoreLock: boolean) {
  const [d, c, ...rest] = byProposerOrder(1);
  const [a, b] = rest.filter((s) => s !== d && s !== c);
  const nodeA = new HandDrivenNode('A', a!, { unsafeIgnoreLock });
  const nodeB = new HandDrivenNode('B', b!, { unsafeIgnoreLock });
  const nodeC = new HandDrivenNode('C', c!, { unsafeIgnoreLock, proposals: (h, r) => testBlock(h, `v-prime/${r}`) });
  [nodeA, nodeB, nodeC].forEach((n) => n.start(1, validators));
  const v = testBlock(1, 'v');
  const vHash = testBlockHash(v);
  const byzantine = (type: 'prevote' | 'precommit', round: number, blockHash: Uint8Array | null) =>
    encodeMessage(signVote(d!, TEST_CHAIN, { type, height: 1, round, blockHash }));

  // Round 0: only A and B see the proposal; C times out and prevotes nil.
  const proposal = encodeMessage(signProposal(d!, TEST_CHAIN, { height: 1, round: 0, polRound: -1, blockHash: vHash, block: v }));
  nodeA.receive(proposal);
  nodeB.receive(proposal);
  nodeC.fire('propose');
  const prevotes = { A: nodeA.drain(), B: nodeB.drain(), C: nodeC.drain() };
  for (const [to, from] of [[nodeA, [prevotes.B, prevotes.C]], [nodeB, [prevotes.A, prevotes.C]], [nodeC, [prevotes.A, prevotes.B]]] as const) {
    for (const batch of from) batch.forEach((m) => to.receive(m));
  }
  nodeA.receive(byzantine('prevote', 0, vHash));
  nodeB.receive(byzantine('prevote', 0, vHash));
  nodeC.receive(byzantine('prevote', 0, null));
  nodeC.fire('prevote');
  const precommits = { A: nodeA.drain(), B: nodeB.drain(), C: nodeC.drain() };
  // A hears B's and D's precommits for v and decides; B and C never hear from A again.
  [...precommits.B, byzantine('precommit', 0, vHash)].forEach((m) => nodeA.receive(m));
  [...precommits.C, byzantine('precommit', 0, null)].forEach((m) => nodeB.receive(m));
  [...precommits.B, byzantine('precommit', 0, null)].forEach((m) => nodeC.receive(m));
  nodeB.fire('precommit');
  nodeC.fire('precommit');

  // Round 1: C proposes v'; D backs it with prevote and precommit.
  const round1 = { B: nodeB.drain(), C: nodeC.drain() };
  round1.C.forEach((m) => nodeB.receive(m));
  round1.B.forEach((m) => nodeC.receive(m));
  const vPrime = testBlockHash(testBlock(1, 'v-prime/1'));
  [nodeB, nodeC].forEach((n) => n.receive(byzantine('prevote', 1, vPrime)));
  for (let i = 0; i < 3; i++) {
    const out = { B: nodeB.drain(), C: nodeC.drain() };
    out.B.forEach((m) => nodeC.receive(m));
    out.C.forEach((m) => nodeB.receive(m));
  }
  [nodeB, nodeC].forEach((n) => n.receive(byzantine('precommit', 1, vPrime)));
  return { a: nodeA.decided.map((x) => toHex(x.blockHash)), c: nodeC.decided.map((x) => toHex(x.blockHash)), vHash: toHex(vHash), vPrime: toHex(vPrime) };
}

describe('the locking rule', () => {
  it('keeps a validator locked on v from helping decide v′ at the same height', () => {
    const result = lockAttack(false);
    expect(result.a).toEqual([result.vHash]);
    expect(result.c).toEqual([]);
  });

  it('without it, the scripted attack makes two honest validators decide different blocks', () => {
    const result = lockAttack(true);
    expect(result.a).toEqual([result.vHash]);
    expect(result.c).toEqual([result.vPrime]);
  });
});
