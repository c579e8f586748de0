import { multiaddr } from '@multiformats/multiaddr';
import { CodecError, decode, encode, readArray, readTuple, readUint, toHex, type Value } from '@certledger/codec';
import { decodeMessage, encodeMessage, signProposal, signVote } from '@certledger/consensus';
import { buildBlock, decodeBlock, decodeTransaction } from '@certledger/ledger';
import { testSeed, testSigner } from '@certledger/ledger/testing';
import { CHANNEL, p2pProtocol, type NodeHandle } from '@certledger/node';
import { createPeerNode, P2pError, publicKeyFromSeed, type PeerNode } from '@certledger/p2p';
import { seedFor, startRawHost } from '../../packages/p2p/src/test-support.js';
import { buildCorpus } from './corpus.js';
import type { FuzzTarget } from './harness.js';
import { expectAgreement, expectProgress, startNetwork, type LiveNetwork } from './live-network.js';
import { applyEdits, restructure } from './mutations.js';
import { p2pInputs, type BlockChoice, type HashChoice, type P2pAction, type P2pInput, type Recipient, type SyncAnswer } from './p2p-inputs.js';

const HONEST = 3;
const BURNERS = 3;
/** A node bans a peer that broke the framing for 10 s; a burner key is reused only after that. */
const BAN_MS = 11_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Messages of a JavaScript failure rather than a refusal: a handler that threw one of these has a bug. */
const RUNTIME_ERROR = /is not a function|Cannot read properties|Cannot convert|is not iterable|Maximum call stack|Invalid array length|Unexpected token/;
/** Kinds of governance that change the validator set: gossiping them would hand the attacker the quorum. */
const VALIDATOR_SET_KINDS = new Set(['add-validator', 'remove-validator', 'set-validator-power']);

/**
 * The attacker: validator-3 of a four-validator network whose other three run in this process.
 * It holds a real validator key, so its signed votes and proposals are Byzantine behaviour the
 * protocol must tolerate (one of four), and it answers the nodes' block-sync requests as it likes.
 */
class Attacker {
  readonly signer = testSigner('validator-3');
  /** Consensus messages the honest nodes broadcast, newest last. */
  readonly observed: Uint8Array[] = [];
  readonly proposals: { hash: Uint8Array; block: Uint8Array }[] = [];
  syncAnswer: SyncAnswer = { kind: 'honest' };
  readonly #burnerUsedAt = new Map<number, number>();

  constructor(
    readonly peer: PeerNode,
    readonly network: LiveNetwork,
    readonly nodeKeys: readonly Uint8Array[],
    readonly burnerSeeds: readonly Uint8Array[],
  ) {
    peer.onMessage(CHANNEL.consensus, (_from, bytes) => this.#observe(bytes));
    peer.onRequest(CHANNEL.sync, (_from, payload) => this.#answerSync(payload));
  }

  get chainId(): string {
    return this.network.chainId;
  }

  node(index: number): NodeHandle {
    return this.network.nodes[index]!;
  }

  #observe(bytes: Uint8Array): void {
    this.observed.push(bytes);
    if (this.observed.length > 256) this.observed.shift();
    const message = decodeMessage(bytes, this.chainId, this.node(0).state.params.maxBlockBytes);
    if (message.kind === 'proposal') {
      this.proposals.push({ hash: message.blockHash, block: message.block });
      if (this.proposals.length > 32) this.proposals.shift();
    }
  }

  async #answerSync(payload: Uint8Array): Promise<Uint8Array> {
    const answer = this.syncAnswer;
    if (answer.kind === 'refuse') throw new Error('no blocks for you');
    if (answer.kind === 'garbage') return answer.bytes;
    if (answer.kind === 'empty') return encode([]);
    const [from, count] = readTuple(decode(payload), 2, 'sync request').map((value, i) => readUint(value, `sync request field ${i}`));
    const store = this.node(0).store;
    const pairs: [Uint8Array, Uint8Array][] = [];
    for (let h = Math.max(1, from!); h < from! + Math.min(count!, 64) && h <= this.node(0).state.height; h++) pairs.push([(await store.getBlock(h))!, (await store.getCommit(h))!]);
    const honest = encode(pairs);
    if (answer.kind === 'edited') return applyEdits(honest, answer.edits);
    return answer.kind === 'restructured' ? restructure(honest, answer.place, answer.replacement) : honest;
  }

  send(to: Recipient, channel: string, payload: Uint8Array): string {
    if (to === 'all') return `sent to ${this.peer.broadcast(channel, payload)}`;
    return this.peer.send(this.nodeKeys[to]!, channel, payload) ? 'sent' : 'not sent (queue full or disconnected)';
  }

  /** The recipient's next height moved by `offset`, kept to heights a message can carry. */
  height(to: Recipient, offset: number): number {
    return Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, this.node(to === 'all' ? 0 : to).state.height + 1 + offset));
  }

  pickObserved(pick: number): Uint8Array | undefined {
    return this.observed.length === 0 ? undefined : this.observed[pick % this.observed.length];
  }

  /** Proposals seen; never empty once the attack starts. */
  #proposal(pick: number): { hash: Uint8Array; block: Uint8Array } {
    return this.proposals[pick % this.proposals.length]!;
  }

  hash(choice: HashChoice): Uint8Array | null {
    if (choice.kind === 'nil') return null;
    return choice.kind === 'random' ? choice.bytes : this.#proposal(choice.pick).hash;
  }

  block(choice: BlockChoice): { block: Uint8Array; hash: Uint8Array } {
    if (choice.kind === 'built') {
      const state = this.node(0).state;
      const { block } = buildBlock(state, [], { time: Math.max(Date.now(), state.lastBlockTime + 1), proposer: this.signer.publicKey });
      return { block: block.bytes, hash: block.hash };
    }
    if (choice.kind === 'random') return { block: choice.bytes, hash: new Uint8Array(32) };
    const seen = this.#proposal(choice.pick);
    return { block: applyEdits(seen.block, choice.edits), hash: seen.hash };
  }

  /** Sends raw bytes from a fresh libp2p host with a burner key the nodes admit; a frame they refuse gets it banned. */
  async rawFrame(to: number, burner: number, bytes: Uint8Array): Promise<string> {
    if (Date.now() - (this.#burnerUsedAt.get(burner) ?? 0) < BAN_MS) return 'skipped (that burner key may still be banned)';
    this.#burnerUsedAt.set(burner, Date.now());
    const host = await startRawHost(this.burnerSeeds[burner]!);
    try {
      const stream = await host.dialProtocol(multiaddr(`/ip4/127.0.0.1/tcp/${this.network.p2pPorts[to]}`), p2pProtocol(this.chainId));
      stream.send(bytes);
      const deadline = Date.now() + 500;
      while (host.getConnections().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return host.getConnections().length === 0 ? 'disconnected by the node' : 'still connected';
    } catch (error) {
      return `dial refused (${error instanceof Error ? error.name : 'error'})`;
    } finally {
      await host.stop();
    }
  }
}

/** A sync answer must be blocks in order from the height asked for; a refusal must be a sentence, not a crash. */
function checkSyncAnswer(request: Uint8Array, answer: Uint8Array, maxBlockBytes: number): string {
  let from: number;
  try {
    from = readUint(readTuple(decode(request), 2, 'request')[0]!, 'from');
  } catch (error) {
    if (error instanceof CodecError) throw new Error(`the node answered a malformed sync request (${error.message}) with ${answer.length} bytes`);
    throw error;
  }
  const entries = readArray(decode(answer, { maxBytes: answer.length }), 64, 'sync answer');
  entries.forEach((entry: Value, i: number) => {
    const block = decodeBlock(readTuple(entry, 2, 'entry')[0] as Uint8Array, maxBlockBytes);
    if (!block.ok || block.value.header.height !== Math.max(1, from) + i) throw new Error(`sync answer entry ${i} is not block ${Math.max(1, from) + i}`);
  });
  return `answered ${Math.min(entries.length, 2)}${entries.length > 2 ? '+' : ''} blocks`;
}

/** A request the node refused, named by its reason; a reason that is a JavaScript failure is a bug in the handler. */
function refusal(error: P2pError): string {
  if (error.code !== 'remote-error') return error.code;
  const reason = error.message.slice(error.message.indexOf("': ") + 3);
  if (RUNTIME_ERROR.test(reason)) throw new Error(`a request failed inside the node: ${error.message}`);
  return `refused: ${reason.replace(/[0-9a-f]{16,}/g, '<hex>').replace(/\d+/g, 'N').slice(0, 60)}`;
}

async function syncRequest(attacker: Attacker, to: number, payload: Uint8Array): Promise<string> {
  try {
    const answer = await attacker.peer.request(attacker.nodeKeys[to]!, CHANNEL.sync, payload, REQUEST_TIMEOUT_MS);
    return checkSyncAnswer(payload, answer, attacker.node(0).state.params.maxBlockBytes);
  } catch (error) {
    if (!(error instanceof P2pError)) throw error;
    return refusal(error);
  }
}

async function perform(attacker: Attacker, action: P2pAction): Promise<string> {
  const { chainId, signer } = attacker;
  switch (action.kind) {
    case 'observed-edited':
    case 'observed-restructured': {
      const seen = attacker.pickObserved(action.pick);
      if (!seen) return 'nothing observed yet';
      const bytes = action.kind === 'observed-edited' ? applyEdits(seen, action.edits) : restructure(seen, action.place, action.replacement);
      return attacker.send(action.to, CHANNEL.consensus, bytes);
    }
    case 'signed-vote': {
      const vote = signVote(signer, chainId, { type: action.type, height: attacker.height(action.to, action.height), round: action.round, blockHash: attacker.hash(action.hash) });
      return attacker.send(action.to, CHANNEL.consensus, encodeMessage(vote));
    }
    case 'signed-proposal': {
      const height = attacker.height(action.to, action.height);
      const { block, hash } = attacker.block(action.block);
      const blockHash = (action.hash && attacker.hash(action.hash)) ?? hash;
      const polRound = action.polRound < action.round ? action.polRound : -1;
      return attacker.send(action.to, CHANNEL.consensus, encodeMessage(signProposal(signer, chainId, { height, round: action.round, polRound, blockHash, block })));
    }
    case 'status': {
      return attacker.send(action.to, CHANNEL.consensus, encodeMessage({ kind: 'status', height: attacker.height(action.to, action.height), round: action.round }));
    }
    case 'decision': {
      const node = attacker.node(0);
      const height = 1 + (action.pick % Math.max(1, node.state.height));
      const [block, commit] = await Promise.all([node.store.getBlock(height), node.store.getCommit(height)]);
      if (!block || !commit) return 'no block yet';
      return attacker.send(action.to, CHANNEL.consensus, applyEdits(encodeMessage({ kind: 'decision', block, commit }), action.edits));
    }
    case 'consensus-bytes':
      return attacker.send(action.to, CHANNEL.consensus, action.bytes);
    case 'tx-gossip':
      return attacker.send(action.to, CHANNEL.tx, action.payload);
    case 'sync-request':
      return syncRequest(attacker, action.to, action.payload);
    case 'wrong-kind':
      if (!action.asRequest) return attacker.send(action.to, action.channel, action.payload);
      if (action.channel === CHANNEL.sync) return syncRequest(attacker, action.to, action.payload);
      return attacker.peer.request(attacker.nodeKeys[action.to]!, action.channel, action.payload, REQUEST_TIMEOUT_MS).then(
        () => 'answered',
        (error: unknown) => (error instanceof P2pError ? refusal(error) : Promise.reject(error)),
      );
    case 'raw-frame':
      return attacker.rawFrame(action.to, action.burner, action.bytes);
  }
}

async function startAttacker(network: LiveNetwork, burnerSeeds: readonly Uint8Array[]): Promise<Attacker> {
  const state = network.nodes[0]!.state;
  const nodeKeys = network.nodes.map((node) => node.publicKey);
  const peer = await createPeerNode({
    seed: testSeed('validator-3'),
    listen: [`/ip4/127.0.0.1/tcp/${network.p2pPorts[HONEST]}`],
    peers: nodeKeys.map((publicKey, i) => ({ publicKey, addresses: [`/ip4/127.0.0.1/tcp/${network.p2pPorts[i]}`] })),
    channels: Object.values(CHANNEL),
    maxMessageBytes: state.params.maxBlockBytes * 2 + 65_536,
    protocol: p2pProtocol(network.chainId),
  });
  const attacker = new Attacker(peer, network, nodeKeys, burnerSeeds);
  await peer.start();
  const deadline = Date.now() + 30_000;
  while (peer.connectedPeers().length < HONEST || attacker.proposals.length === 0) {
    if (Date.now() > deadline) throw new Error(`setting up: the attacker reached ${peer.connectedPeers().length} of ${HONEST} nodes and saw ${attacker.proposals.length} proposals in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return attacker;
}

/**
 * The p2p handlers of three live validators under attack by the fourth: mutated and forged
 * consensus messages, transaction gossip, sync requests and lying sync answers, frames of the
 * wrong kind and raw bytes. No node may log an error or throw past its handlers, the attacker
 * (who keeps to the framing) is never cut off, and the three keep committing the same blocks.
 */
export async function startP2pTarget(): Promise<FuzzTarget<P2pInput>> {
  const burnerSeeds = Array.from({ length: BURNERS }, (_, i) => seedFor(200 + i));
  const burnerKeys = await Promise.all(burnerSeeds.map(publicKeyFromSeed));
  // Burners are configured peers (so admitted) at an address where nothing listens.
  const extraPeers = burnerKeys.map((publicKey, i) => ({ name: `burner-${i}`, publicKey, address: '/ip4/127.0.0.1/tcp/1' }));
  const network = await startNetwork({ validators: HONEST + 1, running: HONEST, logLevel: 'debug', extraPeers });
  const failures: string[] = [];
  const onUnhandled = (error: unknown) => failures.push(`unhandled in the process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  let attacker: Attacker | undefined;
  const close = async () => {
    await attacker?.peer.stop();
    await network.stop();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  };
  try {
    attacker = await startAttacker(network, burnerSeeds);
  } catch (error) {
    await close();
    throw error;
  }
  const live = attacker;
  const attackerPrefix = toHex(live.signer.publicKey).slice(0, 16);
  const corpus = buildCorpus(network.chainId);
  const gossipable = corpus.txs.filter((tx) => {
    const decoded = decodeTransaction(tx);
    return decoded.ok && !VALIDATOR_SET_KINDS.has(decoded.value.body.action.kind);
  });
  const failIfBroken = () => {
    const problem = failures[0] ?? network.logs.errors[0] ?? (network.logs.violators.has(attackerPrefix) ? 'a node found the attacker breaking the framing, which it never does' : undefined);
    if (problem) throw new Error(problem);
  };
  return {
    name: 'p2p/peer',
    arbitrary: p2pInputs(corpus, { txs: gossipable, burners: BURNERS }),
    // Inputs act on a live network whose state they change: a shrunk input alone would not replay the failure.
    shrink: false,
    run: async ({ action, syncAnswer }) => {
      failIfBroken();
      live.syncAnswer = syncAnswer;
      const outcome = await perform(live, action);
      // Room for the nodes to handle it before the next one, as a peer on a real link would leave.
      await new Promise((resolve) => setTimeout(resolve, 5));
      failIfBroken();
      return `${action.kind}: ${outcome}`;
    },
    check: async () => {
      failIfBroken();
      const height = await expectProgress(network.nodes, 60_000);
      await expectAgreement(network.nodes, height);
      const cutOff = network.nodes.filter((node) => !live.peer.isConnected(node.publicKey)).map((node) => node.name);
      if (cutOff.length > 0) throw new Error(`the attacker, which kept to the framing, is no longer connected to ${cutOff.join(', ')}`);
      failIfBroken();
    },
    observed: () => new Map([...network.logs.counts].map(([event, count]) => [`node: ${event}`, count])),
    close,
  };
}
