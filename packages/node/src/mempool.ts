import { toHex } from '@certledger/codec';
import { applyTransaction, decodeTransaction, fail, hasValidSignature, ok, type LedgerError, type Result, type State, type Transaction } from '@certledger/ledger';

export interface MempoolLimits {
  /** Transactions held at most; a full pool refuses new ones rather than evicting accepted ones. */
  readonly maxTxs: number;
  readonly maxBytes: number;
  /** How far past a sender's next sequence number a transaction may wait for its predecessors. */
  readonly maxSeqAhead: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = { maxTxs: 50_000, maxBytes: 256 << 20, maxSeqAhead: 256 };

export type MempoolRejection = LedgerError | { readonly code: 'MEMPOOL_FULL' | 'DUPLICATE_TX'; readonly message: string };

export type AddResult = { readonly ok: true; readonly id: string; readonly tx: Transaction } | { readonly ok: false; readonly error: MempoolRejection };

interface Entry {
  readonly tx: Transaction;
  readonly id: string;
  readonly sender: string;
  /** The transaction's bytes as a string: the key its decoding is found under. */
  readonly key: string;
  readonly arrival: number;
}

/** A map key made of exactly these bytes (one character per byte), so equal bytes find each other. */
function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function duplicate(id: string): AddResult {
  return { ok: false, error: { code: 'DUPLICATE_TX', message: `transaction ${id} is already waiting` } };
}

/**
 * Transactions waiting for a block, kept per sender in sequence order. A transaction is
 * fully checked against the committed state when it is next in line for its sender;
 * later ones are checked for form and signature, and the proposer's block builder judges
 * the rest with the reasons it reports.
 *
 * Each transaction is decoded and its signature checked once on this node: the pool keeps the
 * decodings of waiting transactions and, until the next commit, of transactions first met in a
 * block being decided, and finds them again by their exact bytes.
 */
export class Mempool {
  readonly #limits: MempoolLimits;
  readonly #byId = new Map<string, Entry>();
  readonly #byBytes = new Map<string, Entry>();
  readonly #bySender = new Map<string, Map<number, Entry>>();
  /** Decodings of transactions met in blocks before they arrived here, by bytes; emptied on commit. */
  readonly #fromBlocks = new Map<string, Transaction>();
  #bytes = 0;
  #arrivals = 0;

  constructor(limits: Partial<MempoolLimits> = {}) {
    this.#limits = { ...DEFAULT_MEMPOOL_LIMITS, ...limits };
  }

  get size(): number {
    return this.#byId.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  has(idHex: string): boolean {
    return this.#byId.has(idHex);
  }

  add(bytes: Uint8Array, state: State): AddResult {
    const key = bytesKey(bytes);
    const waiting = this.#byBytes.get(key);
    if (waiting) return duplicate(waiting.id);
    const decoded = this.#decode(key, bytes, state.params.maxTxBytes);
    if (!decoded.ok) return decoded;
    const tx = decoded.value;
    const id = toHex(tx.id);
    if (this.#byId.has(id)) return duplicate(id);
    if (this.#byId.size >= this.#limits.maxTxs || this.#bytes + bytes.length > this.#limits.maxBytes) {
      return { ok: false, error: { code: 'MEMPOOL_FULL', message: 'the node has too many waiting transactions; retry later' } };
    }
    const sender = toHex(tx.body.sender);
    const next = state.nonces.get(sender) ?? 0;
    const queue = this.#bySender.get(sender);
    if (queue?.has(tx.body.seq)) return { ok: false, error: { code: 'BAD_SEQUENCE', message: `another transaction with sequence ${tx.body.seq} from this sender is already waiting` } };
    if (tx.body.seq === next) {
      const checked = applyTransaction(state, tx, { height: state.height + 1, time: state.lastBlockTime + 1 });
      if (!checked.ok) return checked;
    } else if (tx.body.seq < next) {
      return { ok: false, error: { code: 'BAD_SEQUENCE', message: `sequence ${tx.body.seq} was already used (replay); next is ${next}` } };
    } else if (tx.body.seq > next + this.#limits.maxSeqAhead) {
      return { ok: false, error: { code: 'BAD_SEQUENCE', message: `sequence ${tx.body.seq} is more than ${this.#limits.maxSeqAhead} ahead of the next, ${next}` } };
    } else if (tx.body.chainId !== state.chainId || !hasValidSignature(tx)) {
      return { ok: false, error: { code: 'BAD_SIGNATURE', message: 'the transaction is not validly signed for this chain by its sender' } };
    }
    const entry = { tx, id, sender, key, arrival: this.#arrivals++ };
    this.#byId.set(id, entry);
    this.#byBytes.set(key, entry);
    this.#fromBlocks.delete(key);
    if (queue) queue.set(tx.body.seq, entry);
    else this.#bySender.set(sender, new Map([[tx.body.seq, entry]]));
    this.#bytes += bytes.length;
    return { ok: true, id, tx };
  }

  /**
   * The decoding of exactly these bytes made on this node: a waiting transaction's, one met in
   * an earlier block at this height, or one made now (kept until the next commit). Undefined
   * when the bytes are not a transaction; the block's executor then reports why.
   */
  decodedForBlock(bytes: Uint8Array, maxBytes: number): Transaction | undefined {
    const key = bytesKey(bytes);
    const known = this.#byBytes.get(key)?.tx ?? this.#fromBlocks.get(key);
    if (known) return known;
    const decoded = decodeTransaction(bytes, maxBytes);
    if (!decoded.ok) return undefined;
    // Proposals that never commit cannot make this grow without bound.
    if (this.#fromBlocks.size >= this.#limits.maxTxs) this.#fromBlocks.clear();
    this.#fromBlocks.set(key, decoded.value);
    return decoded.value;
  }

  #decode(key: string, bytes: Uint8Array, maxBytes: number): Result<Transaction> {
    const known = this.#fromBlocks.get(key);
    if (!known) return decodeTransaction(bytes, maxBytes);
    if (bytes.length > maxBytes) return fail('TX_TOO_LARGE', `the transaction is ${bytes.length} bytes; the limit is ${maxBytes}`);
    return ok(known);
  }

  /** Proposal order: senders by their oldest waiting transaction, each sender's run without gaps. */
  candidates(state: State, limit = Number.POSITIVE_INFINITY): Transaction[] {
    const runs: { arrival: number; txs: Transaction[] }[] = [];
    for (const [sender, queue] of this.#bySender) {
      const txs: Transaction[] = [];
      let arrival = Number.POSITIVE_INFINITY;
      for (let seq = state.nonces.get(sender) ?? 0; queue.has(seq); seq++) {
        const entry = queue.get(seq) as Entry;
        arrival = Math.min(arrival, entry.arrival);
        txs.push(entry.tx);
      }
      if (txs.length > 0) runs.push({ arrival, txs });
    }
    runs.sort((a, b) => a.arrival - b.arrival);
    const out: Transaction[] = [];
    for (const run of runs) {
      for (const tx of run.txs) {
        if (out.length >= limit) return out;
        out.push(tx);
      }
    }
    return out;
  }

  remove(idHex: string): void {
    const entry = this.#byId.get(idHex);
    if (entry) this.#delete(entry);
  }

  /** Drops a transaction given by its bytes, e.g. one the block builder found invalid. */
  removeBytes(bytes: Uint8Array): void {
    const entry = this.#byBytes.get(bytesKey(bytes));
    if (entry) this.#delete(entry);
  }

  /** After a block: drop what it included and anything its sequence numbers made stale. */
  afterCommit(state: State): void {
    this.#fromBlocks.clear();
    for (const [sender, queue] of this.#bySender) {
      const next = state.nonces.get(sender) ?? 0;
      for (const [seq, entry] of queue) if (seq < next) this.#delete(entry);
    }
  }

  #delete(entry: Entry): void {
    this.#byId.delete(entry.id);
    this.#byBytes.delete(entry.key);
    this.#bytes -= entry.tx.bytes.length;
    const queue = this.#bySender.get(entry.sender);
    queue?.delete(entry.tx.body.seq);
    if (queue?.size === 0) this.#bySender.delete(entry.sender);
  }
}
