import type { State } from '@certledger/ledger';
import type { LedgerStore } from '@certledger/store';
import type { Registry } from 'prom-client';
import type { MempoolRejection } from './mempool.js';

export interface PeerStatus {
  readonly name: string;
  /** Ed25519 key, hex. */
  readonly publicKey: string;
  readonly connected: boolean;
}

export interface NodeStatus {
  readonly name: string;
  readonly mode: 'validator' | 'follower';
  readonly chainId: string;
  /** Ed25519 key of this node, hex. */
  readonly publicKey: string;
  readonly height: number;
  readonly lastBlockHash: string;
  /** Milliseconds since the Unix epoch; 0 before the first block. */
  readonly lastBlockTime: number;
  readonly consensus: { readonly height: number; readonly round: number; readonly step: string };
  /** True while fetching missing blocks from peers. */
  readonly syncing: boolean;
  readonly peers: readonly PeerStatus[];
  readonly mempool: { readonly txs: number; readonly bytes: number };
  readonly validators: readonly { readonly name: string; readonly publicKey: string; readonly power: number }[];
}

export type SubmitResult = { readonly ok: true; readonly id: string } | { readonly ok: false; readonly error: MempoolRejection };

/** A running node as the gateway and the CLI see it. */
export interface NodeHandle {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly store: LedgerStore;
  /** The state after the last committed block. */
  readonly state: State;
  readonly metricsRegistry: Registry;
  status(): NodeStatus;
  /** Checks a signed transaction against the current state, keeps it and gossips it to peers. */
  submitTransaction(bytes: Uint8Array): SubmitResult;
  /** Resolves with the height once the transaction (id hex) is in a committed block, or undefined on timeout. */
  waitForCommit(txId: string, timeoutMs: number): Promise<{ readonly height: number } | undefined>;
  /**
   * Settles if a store write fails (a full or failing disk): the node then no longer votes or
   * commits, and should be stopped and started again from its store. Never settles otherwise.
   */
  readonly failed: Promise<Error>;
  /** Resolves once the node is stopped: consensus halted, store closed, peers disconnected. */
  stop(): Promise<void>;
}
