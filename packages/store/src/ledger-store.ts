import { bytesEqual, decode, encode, readTuple, readUint, sha256, toHex, type Value } from '@certledger/codec';
import {
  anchorFromValue,
  anchorToValue,
  decodeStateCore,
  decodeTransaction,
  encodeStateCore,
  genesisHash,
  genesisState,
  revocationFromValue,
  revocationKey,
  revocationToValue,
  type AnchorRecord,
  type Block,
  type Genesis,
  type RevocationRecord,
  type State,
  type Transaction,
} from '@certledger/ledger';
import { Level } from 'level';
import { heightKey, parseHeightKey } from './keys.js';

type Bytes = Uint8Array;
interface Range {
  gte?: string;
  lt?: string;
  lte?: string;
  reverse?: boolean;
  limit?: number;
}

/** The slice of a level sublevel's API this store uses, with its byte-valued types spelled out. */
interface Sub {
  /** What the sublevel puts before its keys in the root database, e.g. `!tx!`. */
  readonly prefix: string;
  get(key: string): Promise<Bytes | undefined>;
  getSync(key: string): Bytes | undefined;
  put(key: string, value: Bytes, options?: { sync?: boolean }): Promise<void>;
  keys(range?: Range): AsyncIterable<string>;
  values(range?: Range): AsyncIterable<Bytes>;
  iterator(range?: Range): AsyncIterable<[string, Bytes]>;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

function decodeBlockTxs(block: Block): Transaction[] {
  return block.txs.map((bytes, index) => {
    const decoded = decodeTransaction(bytes, Number.MAX_SAFE_INTEGER);
    if (!decoded.ok) throw new StoreError(`block ${block.header.height} holds an undecodable transaction ${index}: ${decoded.error.message}`);
    return decoded.value;
  });
}

export interface StoredTx {
  readonly height: number;
  readonly index: number;
  readonly bytes: Uint8Array;
}

/**
 * LevelDB persistence of one node's chain: blocks, commit certificates, the state and the
 * indexes gateways query. Each block is written in one synced batch together with the state
 * it produces, so a crash leaves either the block and its state or neither.
 */
export class LedgerStore {
  readonly #db: Level<string, Bytes>;
  readonly #blocks: Sub;
  readonly #commits: Sub;
  readonly #blockHeights: Sub;
  readonly #txs: Sub;
  readonly #anchors: Sub;
  readonly #anchorsByIssuer: Sub;
  readonly #revocations: Sub;
  readonly #meta: Sub;
  #head: { height: number; hash: Uint8Array };

  private constructor(db: Level<string, Bytes>, head: { height: number; hash: Uint8Array }) {
    this.#db = db;
    const sub = (name: string) => db.sublevel<string, Bytes>(name, { keyEncoding: 'utf8', valueEncoding: 'view' }) as unknown as Sub;
    this.#blocks = sub('block');
    this.#commits = sub('commit');
    this.#blockHeights = sub('block-hash');
    this.#txs = sub('tx');
    this.#anchors = sub('anchor');
    this.#anchorsByIssuer = sub('anchor-by-issuer');
    this.#revocations = sub('revocation');
    this.#meta = sub('meta');
    this.#head = head;
  }

  /**
   * Opens (or creates) the store under `path` for the chain `genesis` describes; a store
   * written for another genesis is refused rather than mixed.
   */
  static async open(path: string, genesis: Genesis): Promise<LedgerStore> {
    const db = new Level<string, Bytes>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    try {
      await db.open();
    } catch (err) {
      throw new StoreError(`cannot open the store at ${path}: ${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ''}`);
    }
    const expected = genesisHash(genesis);
    const store = new LedgerStore(db, { height: 0, hash: expected });
    const stored = await store.#meta.get('genesis');
    if (stored === undefined) {
      await store.#meta.put('genesis', expected, { sync: true });
    } else if (!bytesEqual(stored, expected)) {
      await db.close();
      throw new StoreError(`the store at ${path} belongs to another chain (genesis ${toHex(stored).slice(0, 16)}…, expected ${toHex(expected).slice(0, 16)}…)`);
    }
    const head = await store.#meta.get('head');
    if (head !== undefined) {
      const f = readTuple(decode(head), 2, 'head');
      store.#head = { height: readUint(f[0] as Value, 'head.height'), hash: f[1] as Uint8Array };
    }
    return store;
  }

  get height(): number {
    return this.#head.height;
  }

  get headHash(): Uint8Array {
    return this.#head.hash;
  }

  /** The state after the last stored block, or the genesis state for an empty store. */
  async loadState(genesis: Genesis): Promise<State> {
    const core = await this.#meta.get('state');
    if (core === undefined) return genesisState(genesis);
    const anchors: AnchorRecord[] = [];
    for await (const value of this.#anchors.values()) anchors.push(anchorFromValue(decode(value)));
    const revocations: RevocationRecord[] = [];
    for await (const value of this.#revocations.values()) revocations.push(revocationFromValue(decode(value)));
    const state = decodeStateCore(core, anchors, revocations);
    if (state.height !== this.#head.height) throw new StoreError(`stored state is at height ${state.height} but the head is ${this.#head.height}`);
    return state;
  }

  /**
   * Appends a finalised block, its commit certificate and the state it produced, with every
   * index entry, in one synced batch. `txs` are the block's transactions already decoded (the
   * node has them from executing the block); they are decoded here when not given.
   */
  async commitBlock(block: Block, commit: Uint8Array, state: State, txs: readonly Transaction[] = decodeBlockTxs(block)): Promise<void> {
    const { height } = block.header;
    if (height !== this.#head.height + 1) throw new StoreError(`cannot store block ${height} on top of ${this.#head.height}`);
    if (state.height !== height) throw new StoreError(`the state given is at height ${state.height}, not ${height}`);
    if (txs.length !== block.txs.length || txs.some((tx, i) => tx.bytes !== block.txs[i] && !bytesEqual(tx.bytes, block.txs[i]!))) {
      throw new StoreError(`the transactions given are not those of block ${height}`);
    }
    const entries: [string, Bytes][] = [];
    const put = (sublevel: Sub, key: string, value: Bytes) => entries.push([sublevel.prefix + key, value]);
    const key = heightKey(height);
    put(this.#blocks, key, block.bytes);
    put(this.#commits, key, commit);
    put(this.#blockHeights, toHex(block.hash), encode(height));
    put(this.#meta, 'state', encodeStateCore(state));
    put(this.#meta, 'head', encode([height, block.hash]));
    txs.forEach((tx, index) => {
      put(this.#txs, toHex(tx.id), encode([height, index]));
      const { action } = tx.body;
      if (action.kind === 'anchor') {
        const rootHex = toHex(action.root);
        const record = state.anchors.get(rootHex);
        if (!record) throw new StoreError(`anchor ${rootHex} of block ${height} is missing from the state given`);
        put(this.#anchors, rootHex, encode(anchorToValue(record)));
        put(this.#anchorsByIssuer, `${record.issuerId}/${key}/${rootHex}`, new Uint8Array());
      } else if (action.kind === 'revoke') {
        for (const entry of action.revocations) {
          const revKey = revocationKey(toHex(entry.root), entry.leaf && toHex(entry.leaf));
          const record = state.revocations.get(revKey);
          if (!record) throw new StoreError(`revocation ${revKey} of block ${height} is missing from the state given`);
          put(this.#revocations, revKey, encode(revocationToValue(record)));
        }
      }
    });
    // A chained batch on the root with the sublevels' prefixes written out: several times less
    // work per entry than an array batch naming a sublevel for each, and blocks have thousands.
    const batch = this.#db.batch();
    for (const [entryKey, value] of entries) batch.put(entryKey, value);
    await batch.write({ sync: true } as never);
    this.#head = { height, hash: block.hash };
  }

  async getBlock(height: number): Promise<Uint8Array | undefined> {
    return this.#blocks.get(heightKey(height));
  }

  async getCommit(height: number): Promise<Uint8Array | undefined> {
    return this.#commits.get(heightKey(height));
  }

  async heightOfBlock(hashHex: string): Promise<number | undefined> {
    const value = await this.#blockHeights.get(hashHex);
    return value === undefined ? undefined : readUint(decode(value), 'height');
  }

  async getTx(txIdHex: string): Promise<StoredTx | undefined> {
    // Read in place: the gateway asks this for every submission, mostly of transactions not yet
    // committed, and LevelDB answers a small key from its caches in microseconds, where the
    // asynchronous read's round trip through the thread pool costs several times that.
    const value = this.#txs.getSync(txIdHex);
    if (value === undefined) return undefined;
    const f = readTuple(decode(value), 2, 'tx location');
    const height = readUint(f[0] as Value, 'height');
    const index = readUint(f[1] as Value, 'index');
    const block = await this.getBlock(height);
    const txs = block && (readTuple(decode(block, { maxBytes: Number.MAX_SAFE_INTEGER, maxValues: Number.MAX_SAFE_INTEGER }), 2, 'block')[1] as Uint8Array[]);
    const bytes = txs?.[index];
    if (!bytes) throw new StoreError(`index names transaction ${index} of block ${height}, which is missing`);
    return { height, index, bytes };
  }

  async getAnchor(rootHex: string): Promise<AnchorRecord | undefined> {
    const value = await this.#anchors.get(rootHex);
    return value === undefined ? undefined : anchorFromValue(decode(value));
  }

  /** Newest first; `beforeHeight` pages backwards. */
  async anchorsByIssuer(issuerId: string, limit: number, beforeHeight = Number.MAX_SAFE_INTEGER): Promise<AnchorRecord[]> {
    const roots: string[] = [];
    for await (const key of this.#anchorsByIssuer.keys({ gte: `${issuerId}/`, lt: `${issuerId}/${heightKey(beforeHeight)}`, reverse: true, limit })) {
      roots.push(key.slice(key.lastIndexOf('/') + 1));
    }
    const records = await Promise.all(roots.map((root) => this.getAnchor(root)));
    return records.filter((r): r is AnchorRecord => r !== undefined);
  }

  async getRevocation(rootHex: string, leafHex: string | null): Promise<RevocationRecord | undefined> {
    const value = await this.#revocations.get(revocationKey(rootHex, leafHex));
    return value === undefined ? undefined : revocationFromValue(decode(value));
  }

  /** Heights in `[from, to]` that are stored, for block sync; stops at the head. */
  async *blocksFrom(from: number, to: number): AsyncGenerator<{ height: number; block: Uint8Array; commit: Uint8Array }> {
    for await (const [key, block] of this.#blocks.iterator({ gte: heightKey(from), lte: heightKey(Math.min(to, this.#head.height)) })) {
      const height = parseHeightKey(key);
      const commit = await this.getCommit(height);
      if (!commit) throw new StoreError(`block ${height} is stored without its commit certificate`);
      yield { height, block, commit };
    }
  }

  async readSignRecord(): Promise<Uint8Array | undefined> {
    return this.#meta.get('sign-record');
  }

  /** Synced before the signed message may leave the node: the sign-guard's durable half. */
  async writeSignRecord(record: Uint8Array): Promise<void> {
    await this.#meta.put('sign-record', record, { sync: true });
  }

  async readLockRecord(): Promise<Uint8Array | undefined> {
    return this.#meta.get('lock-record');
  }

  /** The block consensus locked on, with its prevote quorum; synced like the sign record. */
  async writeLockRecord(record: Uint8Array): Promise<void> {
    await this.#meta.put('lock-record', record, { sync: true });
  }

  /** Keeps proof of a validator's equivocation (encoded evidence), once per proof. */
  async recordEvidence(evidence: Uint8Array): Promise<void> {
    await this.#meta.put(`evidence/${toHex(sha256(evidence))}`, evidence, { sync: true });
  }

  async listEvidence(): Promise<Uint8Array[]> {
    const found: Uint8Array[] = [];
    for await (const value of this.#meta.values({ gte: 'evidence/', lt: 'evidence0' })) found.push(value);
    return found;
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
