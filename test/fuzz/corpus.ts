import { concatBytes, sha256 } from '@certledger/codec';
import { encodeCommit, encodeMessage, signProposal, signVote, voteBody, voteDigest } from '@certledger/consensus';
import { buildBlock, type Action } from '@certledger/ledger';
import { makeTx, testAnchorTx, testNetwork, testSigner } from '@certledger/ledger/testing';
import { encodeFrame, FrameKind } from '@certledger/p2p';

/** Valid encodings of everything a client or peer sends: the seeds that mutations start from. */
export interface Corpus {
  readonly chainId: string;
  readonly txs: readonly Uint8Array[];
  readonly blocks: readonly Uint8Array[];
  readonly headers: readonly Uint8Array[];
  readonly messages: readonly Uint8Array[];
  readonly commits: readonly Uint8Array[];
  readonly frames: readonly Uint8Array[];
}

export const FRAME_CHANNELS = ['consensus', 'tx', 'sync'] as const;

const key = (name: string) => testSigner(name).publicKey;

/** One transaction of every kind, signed as the test network would accept them. */
function transactions(chainId: string): Uint8Array[] {
  const network = testNetwork(4, chainId);
  const [governor] = network.validators;
  const approvers = network.validators.slice(0, 3);
  const governance: Action[] = [
    { kind: 'register-issuer', issuerId: 'justice', displayName: 'Department of Justice', publicKey: key('issuer-justice') },
    { kind: 'suspend-issuer', issuerId: 'health', reason: 'audit' },
    { kind: 'reinstate-issuer', issuerId: 'health' },
    { kind: 'rotate-issuer-key', issuerId: 'transport', newPublicKey: key('issuer-transport-2'), compromisedFromHeight: 3 },
    { kind: 'register-cert-type', typeId: 'boat-licence', version: 1, displayName: 'Boat licence', schemaHash: sha256(Uint8Array.of(9)), issuers: ['transport'] },
    { kind: 'set-type-issuers', typeId: 'driving-licence', version: 1, issuers: ['health', 'transport'] },
    { kind: 'add-validator', publicKey: key('validator-9'), power: 5, name: 'validator-9' },
    { kind: 'remove-validator', publicKey: network.validators[3]!.publicKey },
    { kind: 'set-validator-power', publicKey: network.validators[2]!.publicKey, power: 7 },
  ];
  const revoke: Action = {
    kind: 'revoke',
    issuerId: 'transport',
    revocations: [
      { root: sha256(Uint8Array.of(1)), leaf: null, reason: 'issued in error' },
      { root: sha256(Uint8Array.of(2)), leaf: sha256(Uint8Array.of(3)), reason: 'licence withdrawn' },
    ],
  };
  return [
    ...governance.map((action, seq) => makeTx(chainId, governor!, seq, action, approvers)),
    testAnchorTx(chainId, 0, sha256(Uint8Array.of(1))),
    makeTx(chainId, network.issuers.get('transport')!, 1, revoke),
  ];
}

export function buildCorpus(chainId = 'test-chain'): Corpus {
  const network = testNetwork(4, chainId);
  const validators = network.validators;
  const txs = transactions(chainId);
  const proposer = validators[0]!;
  const time = network.genesis.genesisTime + 1000;
  const full = buildBlock(network.state, txs, { time, proposer: proposer.publicKey }).block;
  const empty = buildBlock(network.state, [], { time, proposer: proposer.publicKey }).block;
  const signatures = validators.map((validator) => ({ validator: validator.publicKey, signature: validator.sign(voteDigest(voteBody(chainId, 'precommit', 1, 0, full.hash))) }));
  const commit = encodeCommit({ height: 1, round: 0, blockHash: full.hash, signatures });
  const messages = [
    encodeMessage(signProposal(proposer, chainId, { height: 1, round: 0, polRound: -1, blockHash: full.hash, block: full.bytes })),
    encodeMessage(signProposal(proposer, chainId, { height: 1, round: 2, polRound: 1, blockHash: empty.hash, block: empty.bytes })),
    encodeMessage(signVote(validators[1]!, chainId, { type: 'prevote', height: 1, round: 0, blockHash: full.hash })),
    encodeMessage(signVote(validators[2]!, chainId, { type: 'precommit', height: 1, round: 0, blockHash: full.hash })),
    encodeMessage(signVote(validators[3]!, chainId, { type: 'prevote', height: 1, round: 1, blockHash: null })),
    encodeMessage({ kind: 'decision', block: full.bytes, commit }),
    encodeMessage({ kind: 'status', height: 1, round: 0 }),
  ];
  const frame = (kind: FrameKind, channel: string, requestId: number, payload: Uint8Array) => encodeFrame({ kind, channel, requestId, payload });
  const frames = [
    frame(FrameKind.message, 'consensus', 0, messages[2]!),
    frame(FrameKind.message, 'tx', 0, txs[9]!),
    frame(FrameKind.request, 'sync', 7, Uint8Array.of(0x92, 1, 64)),
    frame(FrameKind.response, 'sync', 7, Uint8Array.of(0x90)),
    frame(FrameKind.errorResponse, 'sync', 0xffff_ffff, new TextEncoder().encode('no such height')),
    frame(FrameKind.message, 'tx', 0, new Uint8Array(0)),
  ];
  frames.push(concatBytes(frames[0]!, frames[2]!, frames[5]!));
  return { chainId, txs, blocks: [full.bytes, empty.bytes], headers: [full.headerBytes, empty.headerBytes], messages, commits: [commit], frames };
}
