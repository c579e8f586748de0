import type { Signer } from '@certledger/crypto';
import { encodeMessage, signProposal, signVote, type ConsensusMessage } from '../messages.js';
import type { SimRandom } from './random.js';
import type { ByzantineBehaviour } from './scenario.js';
import { decodeSimBlock, encodeSimBlock, hashSimBlock } from './sim-block.js';

export interface Delivery {
  readonly to: readonly number[];
  readonly bytes: Uint8Array;
}

export interface ByzantineContext {
  readonly chainId: string;
  readonly signer: Signer;
  readonly random: SimRandom;
  /** Every other endpoint. */
  readonly peers: readonly number[];
  /** The latest block hash this node saw proposed, to vote for when it lies. */
  readonly lastProposedHash: Uint8Array | null;
}

function splitPeers(context: ByzantineContext): [number[], number[]] {
  const shuffled = context.random.shuffle(context.peers);
  const cut = context.random.int(0, shuffled.length);
  return [shuffled.slice(0, cut), shuffled.slice(cut)];
}

/**
 * How a Byzantine validator sends what its (otherwise honest) engine signed: an equivocating
 * proposer shows each half of the network a different block, a double voter a different vote.
 * Undefined means: send it to everyone unchanged.
 */
export function byzantineDeliveries(behaviour: ByzantineBehaviour, message: ConsensusMessage, context: ByzantineContext): Delivery[] | undefined {
  if (behaviour === 'equivocating-proposer' && message.kind === 'proposal') {
    const block = decodeSimBlock(message.block);
    if (!block) return undefined;
    const otherBlock = encodeSimBlock({ ...block, nonce: block.nonce + 1 + context.random.int(0, 1000) });
    const other = signProposal(context.signer, context.chainId, {
      height: message.height,
      round: message.round,
      polRound: message.polRound,
      blockHash: hashSimBlock(otherBlock)!,
      block: otherBlock,
    });
    const [sideA, sideB] = splitPeers(context);
    return [
      { to: sideA, bytes: encodeMessage(message) },
      { to: sideB, bytes: encodeMessage(other) },
    ];
  }
  if (behaviour === 'double-voter' && message.kind === 'vote') {
    const alternative = message.blockHash === null ? (context.lastProposedHash ?? context.random.bytes(32)) : null;
    const other = signVote(context.signer, context.chainId, { type: message.type, height: message.height, round: message.round, blockHash: alternative });
    const [sideA, sideB] = splitPeers(context);
    return [
      { to: sideA, bytes: encodeMessage(message) },
      { to: sideB, bytes: encodeMessage(other) },
    ];
  }
  return undefined;
}
