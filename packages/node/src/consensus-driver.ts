import { bytesEqual, toHex } from '@certledger/codec';
import { ConsensusEngine, ValidatorSet, decodeCommit, encodeMessage, verifyCommit, type EngineInput, type EngineOutput } from '@certledger/consensus';
import { decodeReceivedBlock, type State } from '@certledger/ledger';
import type { LedgerStore } from '@certledger/store';
import type { CommittedBlock, LedgerApp } from './ledger-app.js';
import type { Logger } from './logger.js';

/** Inputs waiting beyond this are dropped: consensus recovers lost messages by re-broadcast. */
const MAX_PENDING_INPUTS = 20_000;
/** A lagging peer gets a decision for a height at most this often. */
const DECISION_RESEND_MS = 500;
/** Storing a decided block this long or longer is logged as a warning. */
const SLOW_STORE_MS = 200;

export interface ConsensusNetwork {
  broadcast(bytes: Uint8Array): void;
  send(peerHex: string, bytes: Uint8Array): void;
  /** A peer is at a later height: fetch the blocks this node lacks from it. */
  syncFrom(peerHex: string): void;
}

export interface DriverEvents {
  committed(committed: CommittedBlock, round: number): void;
  evidence(bytes: Uint8Array): void;
  rejected(from: string, code: string, reason: string): void;
  /** A store write failed and the driver stopped for good; called once. */
  failed(error: Error): void;
}

export interface ConsensusDriverOptions {
  readonly engine: ConsensusEngine;
  readonly app: LedgerApp;
  readonly store: LedgerStore;
  readonly network: ConsensusNetwork;
  readonly events: DriverEvents;
  readonly blockIntervalMs: number;
  readonly proposerKey: Uint8Array | null;
  readonly log: Logger;
  readonly now?: () => number;
}

export function validatorSetOf(state: State): ValidatorSet {
  return new ValidatorSet(state.validators.map((v) => ({ publicKey: v.publicKey, power: v.power })));
}

/**
 * Runs the consensus engine inside a node: feeds it one input at a time and carries out its
 * outputs in order, so a sign record is on disk before the message it guards is sent, and a
 * decided block is stored before the next height starts. Blocks fetched by sync go through
 * the same queue, so the ledger state only ever changes here.
 */
export class ConsensusDriver {
  readonly #options: ConsensusDriverOptions;
  readonly #now: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #decisionsSent = new Map<string, number>();
  /** Peers whose past decision is being read: one at a time each, so asking for many piles up nothing. */
  readonly #readingDecisionFor = new Set<string>();
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  #stopped = false;
  #failed = false;

  constructor(options: ConsensusDriverOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get engine(): ConsensusEngine {
    return this.#options.engine;
  }

  start(): void {
    this.#enqueue(() => this.#startNextHeight());
  }

  onMessage(fromHex: string, bytes: Uint8Array): void {
    if (this.#pending >= MAX_PENDING_INPUTS) return;
    this.#enqueue(() => this.#feed({ type: 'message', bytes, from: fromHex }));
  }

  /**
   * Applies a block fetched from a peer if it is the next one and its commit certificate is
   * signed by a quorum of the current validator set; answers whether it was applied.
   */
  applySyncedBlock(bytes: Uint8Array, commit: Uint8Array): Promise<boolean> {
    if (this.#stopped) return Promise.reject(new Error('consensus has stopped on this node'));
    return new Promise((resolve, reject) => {
      this.#enqueue(async () => {
        try {
          resolve(await this.#applySynced(bytes, commit));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** Stops timers and lets the queue finish what it started. */
  async stop(): Promise<void> {
    this.#halt();
    await this.#tail;
  }

  #halt(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /**
   * A store write that did not happen (a full or failing disk) stops this node's consensus for
   * good. Carrying on could re-send a vote whose sign record is not on disk, which after a
   * restart could become a double sign, or leave the chain stuck at a decided height; a node
   * restarted from its store (what the operator or a supervisor does next) is consistent again.
   */
  async #persist<T>(what: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!this.#failed) {
        this.#failed = true;
        this.#halt();
        const failure = new Error(`could not store ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        this.#options.log.fatal({ err: failure }, 'a store write failed: this node takes no further part in consensus until it is started again');
        this.#options.events.failed(failure);
      }
      throw error;
    }
  }

  #enqueue(job: () => Promise<void> | void): void {
    if (this.#stopped) return;
    this.#pending++;
    this.#tail = this.#tail
      .then(() => (this.#stopped ? undefined : job()))
      .catch((error: unknown) => {
        if (!this.#failed) this.#options.log.error({ err: error }, 'consensus step failed');
      })
      .finally(() => {
        this.#pending--;
      });
  }

  #after(delayMs: number, job: () => Promise<void> | void): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#enqueue(job);
    }, delayMs);
    this.#timers.add(timer);
  }

  async #startNextHeight(): Promise<void> {
    const state = this.#options.app.state;
    const status = this.engine.status;
    const height = state.height + 1;
    if (status.running && status.height >= height) return;
    await this.#carryOut(this.engine.startHeight(height, validatorSetOf(state)));
  }

  async #feed(input: EngineInput): Promise<void> {
    await this.#carryOut(this.engine.handle(input));
  }

  async #carryOut(outputs: readonly EngineOutput[]): Promise<void> {
    for (const output of outputs) await this.#carryOutOne(output);
  }

  async #carryOutOne(output: EngineOutput): Promise<void> {
    const { app, store, network, events } = this.#options;
    switch (output.type) {
      case 'persist-sign-record':
        await this.#persist('the sign record', () => store.writeSignRecord(output.bytes));
        return;
      case 'persist-lock-record':
        await this.#persist('the lock record', () => store.writeLockRecord(output.bytes));
        return;
      case 'broadcast':
        network.broadcast(output.message);
        return;
      case 'schedule':
        this.#after(output.delayMs, () => this.#feed({ type: 'timeout', timer: output.timer }));
        return;
      case 'validate': {
        const judged = app.validate(output.block, this.#now());
        if (!judged.ok) this.#options.log.warn({ height: output.height, code: judged.error.code, reason: judged.error.message }, 'refused a proposed block');
        await this.#feed({ type: 'validity', height: output.height, blockHash: output.blockHash, valid: judged.ok });
        return;
      }
      case 'need-proposal': {
        const time = Math.max(this.#now(), app.state.lastBlockTime + 1);
        const block = app.propose(time, this.#options.proposerKey!);
        await this.#feed({ type: 'proposal-block', height: output.height, round: output.round, block: block.bytes });
        return;
      }
      case 'decided': {
        const storing = this.#now();
        const block = await this.#persist(`block ${output.height}`, () => app.commit(output.block, output.commitBytes));
        const storeMs = this.#now() - storing;
        // A slow store holds up every height after it: tell the operator when the disk is the bottleneck.
        if (storeMs >= SLOW_STORE_MS) this.#options.log.warn({ height: output.height, ms: storeMs, txs: block.txs.length }, 'storing a decided block was slow');
        events.committed(block, output.round);
        this.#after(this.#options.blockIntervalMs, () => this.#startNextHeight());
        return;
      }
      case 'evidence':
        await this.#persist('evidence of a double sign', () => store.recordEvidence(output.bytes));
        events.evidence(output.bytes);
        return;
      case 'peer-behind':
        // Reading a past block from disk must not hold up this height's consensus steps.
        this.#sendDecision(output.peer, output.height).catch((error: unknown) => this.#options.log.debug({ err: error, peer: output.peer.slice(0, 16) }, 'could not send a past decision'));
        return;
      case 'peer-ahead':
        network.syncFrom(output.peer);
        return;
      case 'rejected':
        events.rejected(output.from, output.code, output.reason);
        return;
    }
  }

  async #sendDecision(peer: string, height: number): Promise<void> {
    const key = `${peer}/${height}`;
    const now = this.#now();
    if (this.#readingDecisionFor.has(peer) || (this.#decisionsSent.get(key) ?? 0) > now - DECISION_RESEND_MS) return;
    if (this.#decisionsSent.size > 10_000) this.#decisionsSent.clear();
    this.#decisionsSent.set(key, now);
    this.#readingDecisionFor.add(peer);
    try {
      const [block, commit] = await Promise.all([this.#options.store.getBlock(height), this.#options.store.getCommit(height)]);
      if (block && commit) this.#options.network.send(peer, encodeMessage({ kind: 'decision', block, commit }));
    } finally {
      this.#readingDecisionFor.delete(peer);
    }
  }

  async #applySynced(bytes: Uint8Array, commit: Uint8Array): Promise<boolean> {
    const { app } = this.#options;
    const state = app.state;
    const height = state.height + 1;
    // The commit first: it is small, and the block may be any amount of junk to decode.
    const claimed = decodeCommit(commit);
    if (claimed.height !== height) return false;
    const certificate = verifyCommit(claimed, { chainId: state.chainId, validators: validatorSetOf(state), height });
    const decoded = decodeReceivedBlock(bytes, state.params);
    if (!decoded.ok) throw new Error(`synced block is malformed: ${decoded.error.message}`);
    const block = decoded.value;
    if (!bytesEqual(block.hash, certificate.blockHash)) throw new Error(`synced block ${height} is not the block its commit certifies`);
    if (!bytesEqual(block.header.previousHash, state.lastBlockHash)) throw new Error(`synced block ${height} does not follow this node's chain`);
    const committed = await this.#persist(`synced block ${height}`, () => app.commit(bytes, commit));
    this.#options.events.committed(committed, certificate.round);
    this.#options.log.debug({ height, hash: toHex(block.hash).slice(0, 16) }, 'applied a synced block');
    const status = this.engine.status;
    if (status.height <= height) await this.#startNextHeight();
    return true;
  }
}
