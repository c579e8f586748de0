import { toHex } from '@certledger/codec';
import { buildBlock, decodeReceivedBlock, executeBlock, ok, type Block, type LedgerError, type Result, type State, type Transaction } from '@certledger/ledger';
import type { LedgerStore } from '@certledger/store';
import type { Mempool } from './mempool.js';

export const MAX_CLOCK_DRIFT_MS = 10_000;
const MAX_CHECKED_BLOCKS = 64;

/** A decided block with its transactions decoded, as the node indexes and reports it. */
export interface CommittedBlock {
  readonly block: Block;
  readonly txs: readonly Transaction[];
}

/** A block this node checked, with the state it leads to, kept until its height is decided. */
interface CheckedBlock extends CommittedBlock {
  readonly state: State;
}

/**
 * The ledger as consensus sees it: make a proposal, judge one, commit a decided block.
 * Judgements are cached by block hash so a block proposed in several rounds is executed once,
 * and each transaction is decoded once, on arrival in the mempool or in the first block that
 * carries it, and found again there by its bytes.
 */
export class LedgerApp {
  #state: State;
  readonly #store: LedgerStore;
  readonly #mempool: Mempool;
  readonly #maxProposalTxs: number;
  readonly #checked = new Map<string, CheckedBlock | LedgerError>();
  /** Block bytes consensus holds → their decoding: hashing, judging and committing decode once. */
  readonly #decodedBlocks = new WeakMap<Uint8Array, Block>();

  constructor(state: State, store: LedgerStore, mempool: Mempool, maxProposalTxs: number) {
    this.#state = state;
    this.#store = store;
    this.#mempool = mempool;
    this.#maxProposalTxs = maxProposalTxs;
  }

  get state(): State {
    return this.#state;
  }

  /** The hash consensus signs for block bytes, or null when they are not a block. */
  blockHash(bytes: Uint8Array): Uint8Array | null {
    const decoded = this.#decodeBlock(bytes);
    return decoded.ok ? decoded.value.hash : null;
  }

  /** A block of waiting transactions for the next height; invalid ones leave the mempool. */
  propose(time: number, proposer: Uint8Array): Block {
    const candidates = this.#mempool.candidates(this.#state, Math.min(this.#maxProposalTxs, this.#state.params.maxBlockTxs));
    const built = buildBlock(this.#state, candidates, { time, proposer });
    for (const { tx } of built.rejected) this.#mempool.removeBytes(tx);
    this.#checked.set(toHex(built.block.hash), { block: built.block, state: built.state, txs: built.txs });
    this.#decodedBlocks.set(built.block.bytes, built.block);
    return built.block;
  }

  /**
   * Checks proposal bytes against the current state; the answer is remembered by hash. `now`
   * is this node's clock: a proposer cannot date a block further ahead than MAX_CLOCK_DRIFT_MS.
   */
  validate(bytes: Uint8Array, now: number): { ok: true; block: Block } | { ok: false; error: LedgerError } {
    const decoded = this.#decodeBlock(bytes);
    if (!decoded.ok) return decoded;
    const key = toHex(decoded.value.hash);
    let judged = this.#checked.get(key);
    if (!judged && decoded.value.header.time > now + MAX_CLOCK_DRIFT_MS) {
      return { ok: false, error: { code: 'BAD_TIME', message: `block time is ${decoded.value.header.time - now} ms ahead of this node's clock` } };
    }
    if (!judged) {
      if (this.#checked.size >= MAX_CHECKED_BLOCKS) this.#checked.clear();
      const maxTxBytes = this.#state.params.maxTxBytes;
      const executed = executeBlock(this.#state, decoded.value, (tx) => this.#mempool.decodedForBlock(tx, maxTxBytes));
      judged = executed.ok ? { block: decoded.value, ...executed.value } : executed.error;
      this.#checked.set(key, judged);
    }
    return 'block' in judged ? { ok: true, block: judged.block } : { ok: false, error: judged };
  }

  /** Stores a decided block with its commit certificate and moves to the next height. */
  async commit(bytes: Uint8Array, commit: Uint8Array): Promise<CommittedBlock> {
    const judged = this.validate(bytes, Number.POSITIVE_INFINITY);
    if (!judged.ok) throw new Error(`consensus decided a block this node finds invalid: ${judged.error.code}: ${judged.error.message}`);
    const checked = this.#checked.get(toHex(judged.block.hash)) as CheckedBlock;
    await this.#store.commitBlock(checked.block, commit, checked.state, checked.txs);
    this.#state = checked.state;
    this.#checked.clear();
    this.#mempool.afterCommit(this.#state);
    return { block: checked.block, txs: checked.txs };
  }

  #decodeBlock(bytes: Uint8Array): Result<Block> {
    const known = this.#decodedBlocks.get(bytes);
    if (known) return ok(known);
    const decoded = decodeReceivedBlock(bytes, this.#state.params);
    if (decoded.ok) this.#decodedBlocks.set(bytes, decoded.value);
    return decoded;
  }
}
