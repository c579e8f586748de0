import { encode, type Value } from '@certledger/codec';
import { MAX_ROUND, ROUND_WINDOW, type VoteType } from '@certledger/consensus';
import fc from 'fast-check';
import type { Corpus } from './corpus.js';
import { byteEdits, codecValue, hostileBytes, mutatedBytes, mutatedStructure, type Edit } from './mutations.js';

/** Which honest node gets it: an index, or every node at once. */
export type Recipient = number | 'all';

/** A height as an offset from the recipient's next height; large ones reach far ahead. */
const heightOffset = fc.oneof({ arbitrary: fc.integer({ min: -3, max: 3 }), weight: 6 }, { arbitrary: fc.constantFrom(64, 1000, 2 ** 31, Number.MAX_SAFE_INTEGER), weight: 1 });
const round = fc.oneof({ arbitrary: fc.nat({ max: 3 }), weight: 6 }, { arbitrary: fc.constantFrom(ROUND_WINDOW, ROUND_WINDOW + 1, 1000, MAX_ROUND), weight: 1 });

/** What a vote or proposal names: no block, a block the network is deciding on, or 32 random bytes. */
export type HashChoice = { readonly kind: 'nil' } | { readonly kind: 'observed'; readonly pick: number } | { readonly kind: 'random'; readonly bytes: Uint8Array };
const hashChoice: fc.Arbitrary<HashChoice> = fc.oneof(
  fc.constant({ kind: 'nil' as const }),
  fc.record({ kind: fc.constant('observed' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ minLength: 32, maxLength: 32 }) }),
);

/** A proposal's block: a valid next block, a block seen on the network (edited or not), or random bytes. */
export type BlockChoice =
  | { readonly kind: 'built' }
  | { readonly kind: 'observed'; readonly pick: number; readonly edits: readonly Edit[] }
  | { readonly kind: 'random'; readonly bytes: Uint8Array };
const blockChoice: fc.Arbitrary<BlockChoice> = fc.oneof(
  fc.constant({ kind: 'built' as const }),
  fc.record({ kind: fc.constant('observed' as const), pick: fc.nat(), edits: fc.oneof(fc.constant([]), byteEdits) }),
  fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
);

/** One thing the attacker does: a frame it sends, a request it makes, or raw bytes on a stream of its own. */
export type P2pAction =
  | { readonly kind: 'observed-edited'; readonly to: Recipient; readonly pick: number; readonly edits: readonly Edit[] }
  | { readonly kind: 'observed-restructured'; readonly to: Recipient; readonly pick: number; readonly place: number; readonly replacement: Value }
  | { readonly kind: 'signed-vote'; readonly to: Recipient; readonly type: VoteType; readonly height: number; readonly round: number; readonly hash: HashChoice }
  | { readonly kind: 'signed-proposal'; readonly to: Recipient; readonly height: number; readonly round: number; readonly polRound: number; readonly block: BlockChoice; readonly hash: HashChoice | null }
  | { readonly kind: 'status'; readonly to: Recipient; readonly height: number; readonly round: number }
  | { readonly kind: 'decision'; readonly to: Recipient; readonly pick: number; readonly edits: readonly Edit[] }
  | { readonly kind: 'consensus-bytes'; readonly to: Recipient; readonly bytes: Uint8Array }
  | { readonly kind: 'tx-gossip'; readonly to: Recipient; readonly payload: Uint8Array }
  | { readonly kind: 'sync-request'; readonly to: number; readonly payload: Uint8Array }
  | { readonly kind: 'wrong-kind'; readonly to: number; readonly channel: string; readonly asRequest: boolean; readonly payload: Uint8Array }
  | { readonly kind: 'raw-frame'; readonly to: number; readonly burner: number; readonly bytes: Uint8Array };

/** How the attacker answers when a node asks it for blocks (it claims to be ahead with status messages). */
export type SyncAnswer =
  | { readonly kind: 'honest' | 'empty' | 'refuse' }
  | { readonly kind: 'edited'; readonly edits: readonly Edit[] }
  | { readonly kind: 'restructured'; readonly place: number; readonly replacement: Value }
  | { readonly kind: 'garbage'; readonly bytes: Uint8Array };

export interface P2pInput {
  readonly action: P2pAction;
  readonly syncAnswer: SyncAnswer;
}

const syncAnswer: fc.Arbitrary<SyncAnswer> = fc.oneof(
  fc.record({ kind: fc.constantFrom('honest' as const, 'empty' as const, 'refuse' as const) }),
  fc.record({ kind: fc.constant('edited' as const), edits: byteEdits }),
  fc.record({ kind: fc.constant('restructured' as const), place: fc.nat(), replacement: codecValue }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 200 }) }),
);

/** Transactions that are safe to gossip: the validator set stays as it is, so the honest nodes keep their quorum. */
export interface GossipSeeds {
  readonly txs: readonly Uint8Array[];
  readonly burners: number;
}

export function p2pInputs(corpus: Corpus, seeds: GossipSeeds): fc.Arbitrary<P2pInput> {
  const to: fc.Arbitrary<Recipient> = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant('all' as const));
  const one = fc.integer({ min: 0, max: 2 });
  const tx = fc.oneof(fc.constantFrom(...seeds.txs), mutatedBytes(seeds.txs), mutatedStructure(seeds.txs));
  const syncRequest = fc.oneof(
    fc.tuple(fc.oneof(fc.nat({ max: 40 }), fc.constantFrom(2 ** 32, Number.MAX_SAFE_INTEGER)), fc.oneof(fc.nat({ max: 70 }), fc.constantFrom(2 ** 32, Number.MAX_SAFE_INTEGER))).map((pair) => encode(pair)),
    hostileBytes([encode([1, 64])], 80),
  );
  const action: fc.Arbitrary<P2pAction> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('observed-edited' as const), to, pick: fc.nat(), edits: byteEdits }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('observed-restructured' as const), to, pick: fc.nat(), place: fc.nat(), replacement: codecValue }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('signed-vote' as const), to, type: fc.constantFrom('prevote' as const, 'precommit' as const), height: heightOffset, round, hash: hashChoice }), weight: 4 },
    {
      arbitrary: fc.record({ kind: fc.constant('signed-proposal' as const), to, height: heightOffset, round, polRound: fc.integer({ min: -1, max: 3 }), block: blockChoice, hash: fc.option(hashChoice, { nil: null }) }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant('status' as const), to, height: heightOffset, round }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('decision' as const), to, pick: fc.nat(), edits: fc.oneof(fc.constant([]), byteEdits) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('consensus-bytes' as const), to, bytes: hostileBytes(corpus.messages) }), weight: 3 },
    {
      arbitrary: fc.record({ kind: fc.constant('tx-gossip' as const), to, payload: fc.oneof(fc.array(tx, { maxLength: 6 }).map((txs) => encode(txs)), hostileBytes([encode([...seeds.txs.slice(0, 3)])])) }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant('sync-request' as const), to: one, payload: syncRequest }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('wrong-kind' as const), to: one, channel: fc.constantFrom('consensus', 'tx', 'sync'), asRequest: fc.boolean(), payload: fc.uint8Array({ maxLength: 64 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('raw-frame' as const), to: one, burner: fc.nat({ max: seeds.burners - 1 }), bytes: hostileBytes(corpus.frames, 64) }), weight: 1 },
  );
  return fc.record({ action, syncAnswer });
}
