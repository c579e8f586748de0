import { toHex } from '@certledger/codec';
import type { State } from '@certledger/ledger';
import type { PeerNode } from '@certledger/p2p';
import type { LedgerStore } from '@certledger/store';
import type { Registry } from 'prom-client';
import type { NodeConfig } from './config.js';
import type { ConsensusDriver, DriverEvents } from './consensus-driver.js';
import type { CommittedBlock, LedgerApp } from './ledger-app.js';
import type { Logger } from './logger.js';
import type { Mempool } from './mempool.js';
import type { NodeMetrics } from './metrics.js';
import type { NodeHandle, NodeStatus, SubmitResult } from './node-handle.js';
import { IngestQueue } from './ingest-queue.js';
import { TxGossip, decodeTxBatch } from './tx-gossip.js';

interface RuntimeParts {
  readonly config: NodeConfig;
  readonly key: { readonly publicKey: Uint8Array };
  readonly store: LedgerStore;
  readonly app: LedgerApp;
  readonly mempool: Mempool;
  readonly metrics: NodeMetrics;
  readonly peer: PeerNode;
  readonly log: Logger;
}

/** Transactions whose submission time is kept to measure commit latency, at most. */
const MAX_TRACKED_SUBMISSIONS = 100_000;
/** Gossiped transactions checked per turn of the event loop: a few milliseconds of signature checks. */
const GOSSIP_SLICE_TXS = 64;
/** Gossiped transactions waiting to be checked, at most; the sender's node still holds any dropped. */
const MAX_GOSSIP_BACKLOG = 20_000;

interface GossipedTx {
  readonly from: Uint8Array;
  readonly bytes: Uint8Array;
}

/** A running node: the handle the gateway and CLI use, and the glue between its parts. */
export class NodeRuntime implements NodeHandle {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly store: LedgerStore;
  readonly #parts: RuntimeParts;
  /** Callers waiting for a transaction's commit: called with its height, or undefined on timeout or stop. */
  readonly #waiters = new Map<string, Set<(height: number | undefined) => void>>();
  readonly #submittedAt = new Map<string, number>();
  readonly #peerNames = new Map<string, string>();
  readonly #gossip: TxGossip;
  readonly #gossiped: IngestQueue<GossipedTx>;
  #driver: ConsensusDriver | undefined;
  #syncing = false;
  #lastCommitAt = 0;
  #stopping: Promise<void> | undefined;
  readonly failed: Promise<Error>;
  readonly #fail: (error: Error) => void;

  constructor(parts: RuntimeParts) {
    let fail!: (error: Error) => void;
    this.failed = new Promise((resolve) => (fail = resolve));
    this.#fail = fail;
    this.#parts = parts;
    this.name = parts.config.name;
    this.publicKey = parts.key.publicKey;
    this.store = parts.store;
    for (const p of parts.config.p2p.peers) this.#peerNames.set(toHex(p.publicKey), p.name);
    this.#gossip = new TxGossip((payload) => parts.peer.broadcast('tx', payload), Math.min(1 << 20, parts.app.state.params.maxBlockBytes));
    this.#gossiped = new IngestQueue((txs) => this.#acceptGossiped(txs), GOSSIP_SLICE_TXS, MAX_GOSSIP_BACKLOG);
    parts.peer.onPeerConnected(() => this.#updatePeerMetric());
    parts.peer.onPeerDisconnected(() => this.#updatePeerMetric());
  }

  get state(): State {
    return this.#parts.app.state;
  }

  get metricsRegistry(): Registry {
    return this.#parts.metrics.registry;
  }

  attach(driver: ConsensusDriver): void {
    this.#driver = driver;
  }

  setSyncing(syncing: boolean): void {
    this.#syncing = syncing;
  }

  sendTo(peerHex: string, channel: string, bytes: Uint8Array): void {
    this.#parts.peer.send(Uint8Array.from(Buffer.from(peerHex, 'hex')), channel, bytes);
  }

  status(): NodeStatus {
    const state = this.state;
    const consensus = this.#driver?.engine.status;
    const connected = new Set(this.#parts.peer.connectedPeers().map((k) => toHex(k)));
    const validatorNames = new Map(state.validators.map((v) => [toHex(v.publicKey), v.name]));
    const known = new Set([...this.#peerNames.keys(), ...validatorNames.keys(), ...connected]);
    known.delete(toHex(this.publicKey));
    return {
      name: this.name,
      mode: this.#parts.config.mode,
      chainId: state.chainId,
      publicKey: toHex(this.publicKey),
      height: state.height,
      lastBlockHash: toHex(state.lastBlockHash),
      lastBlockTime: state.lastBlockTime,
      consensus: { height: consensus?.height ?? state.height + 1, round: consensus?.round ?? 0, step: consensus?.step ?? 'propose' },
      syncing: this.#syncing,
      peers: [...known].sort().map((key) => ({ name: this.#peerNames.get(key) ?? validatorNames.get(key) ?? key.slice(0, 16), publicKey: key, connected: connected.has(key) })),
      mempool: { txs: this.#parts.mempool.size, bytes: this.#parts.mempool.bytes },
      validators: state.validators.map((v) => ({ name: v.name, publicKey: toHex(v.publicKey), power: v.power })),
    };
  }

  submitTransaction(bytes: Uint8Array): SubmitResult {
    const result = this.#accept(bytes);
    this.#updateMempoolMetrics();
    if (result.ok) {
      this.#gossip.add(bytes);
      if (this.#submittedAt.size >= MAX_TRACKED_SUBMISSIONS) this.#submittedAt.clear();
      this.#submittedAt.set(result.id, Date.now());
    } else {
      this.#parts.metrics.rejectedTxs.inc({ code: result.error.code });
    }
    return result;
  }

  /** Takes a peer's gossip message; its transactions are checked a slice at a time (see IngestQueue). */
  receiveGossipedTxs(from: Uint8Array, payload: Uint8Array): void {
    let txs: Uint8Array[];
    try {
      txs = decodeTxBatch(payload, this.state.params.maxTxBytes);
    } catch (error) {
      this.#parts.metrics.peerErrors.inc({ kind: 'MALFORMED_GOSSIP' });
      this.#parts.log.debug({ peer: toHex(from).slice(0, 16), reason: (error as Error).message }, 'refused transaction gossip');
      return;
    }
    const dropped = this.#gossiped.push(txs.map((bytes) => ({ from, bytes })));
    if (dropped > 0) this.#parts.metrics.rejectedTxs.inc({ code: 'GOSSIP_BACKLOG_FULL' }, dropped);
  }

  #acceptGossiped(txs: readonly GossipedTx[]): void {
    for (const { from, bytes } of txs) {
      const result = this.#accept(bytes);
      if (!result.ok && result.error.code !== 'DUPLICATE_TX') {
        this.#parts.log.debug({ peer: toHex(from).slice(0, 16), code: result.error.code }, 'refused a gossiped transaction');
      }
    }
    this.#updateMempoolMetrics();
  }

  #accept(bytes: Uint8Array): SubmitResult {
    const added = this.#parts.mempool.add(bytes, this.state);
    return added.ok ? { ok: true, id: added.id } : added;
  }

  #updateMempoolMetrics(): void {
    this.#parts.metrics.mempoolSize.set(this.#parts.mempool.size);
    this.#parts.metrics.mempoolBytes.set(this.#parts.mempool.bytes);
  }

  async waitForCommit(txId: string, timeoutMs: number): Promise<{ readonly height: number } | undefined> {
    const stored = await this.store.getTx(txId);
    if (stored) return { height: stored.height };
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(txId) ?? new Set();
      const done = (height: number | undefined) => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.#waiters.delete(txId);
        resolve(height === undefined ? undefined : { height });
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiters.add(done);
      this.#waiters.set(txId, waiters);
    });
  }

  driverEvents(): DriverEvents {
    return {
      committed: (committed, round) => this.#onCommitted(committed, round),
      evidence: (bytes) => this.#parts.log.warn({ evidence: toHex(bytes).slice(0, 64), bytes: bytes.length }, 'a validator signed conflicting messages; evidence stored'),
      rejected: (from, code, reason) => {
        this.#parts.metrics.peerErrors.inc({ kind: code });
        this.#parts.log.debug({ peer: from.slice(0, 16), code, reason }, 'refused a consensus message');
      },
      failed: (error) => this.#fail(error),
    };
  }

  #onCommitted({ block, txs }: CommittedBlock, round: number): void {
    const { metrics, log } = this.#parts;
    const now = Date.now();
    const height = block.header.height;
    metrics.height.set(height);
    metrics.committedTxs.inc(block.txs.length);
    this.#updateMempoolMetrics();
    if (this.#lastCommitAt > 0) metrics.blockInterval.observe((now - this.#lastCommitAt) / 1000);
    this.#lastCommitAt = now;
    for (const tx of txs) {
      const id = toHex(tx.id);
      const submitted = this.#submittedAt.get(id);
      if (submitted !== undefined) {
        metrics.commitLatency.observe((now - submitted) / 1000);
        this.#submittedAt.delete(id);
      }
      for (const waiter of [...(this.#waiters.get(id) ?? [])]) waiter(height);
    }
    const status = this.#driver?.engine.status;
    if (status) metrics.round.set(status.round);
    log.info({ height, round, txs: block.txs.length, hash: toHex(block.hash).slice(0, 16) }, 'committed block');
  }

  #updatePeerMetric(): void {
    this.#parts.metrics.peers.set(this.#parts.peer.connectedPeers().length);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    const { peer, store, log } = this.#parts;
    await this.#driver?.stop();
    this.#gossip.stop();
    this.#gossiped.stop();
    await peer.stop();
    for (const waiters of [...this.#waiters.values()]) for (const waiter of [...waiters]) waiter(undefined);
    await store.close();
    log.info({ height: this.state.height }, 'node stopped');
  }
}
