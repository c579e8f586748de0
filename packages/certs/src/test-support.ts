import { toHex } from '@certledger/codec';
import { encodeCommit, signVote } from '@certledger/consensus';
import { applyTransaction, buildBlock, type State } from '@certledger/ledger';
import { makeTx, testNetwork, type TestNetwork } from '@certledger/ledger/testing';
import { MerkleTree, leafHash } from '@certledger/merkle';
import { sha256 } from '@certledger/codec';
import type { AnchorLocation } from './anchor-proof.js';
import { attachAnchorLocation, issueBatch, type IssueBatchOptions } from './issue.js';
import type { JsonObject } from './json.js';
import { ledgerViewFromState, type LedgerView } from './ledger-view.js';
import type { Action } from '@certledger/ledger';

export const LICENCE_SCHEMA: JsonObject = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    licenceNumber: { type: 'string', pattern: '^[A-Z0-9]{6,12}$' },
    categories: { type: 'array', items: { type: 'string' } },
    organDonor: { type: 'boolean' },
    points: { type: 'integer', minimum: 0 },
    address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } }, required: ['city'] },
    notes: { type: 'object' },
  },
  required: ['name', 'licenceNumber'],
  additionalProperties: false,
};

/** Transport's driving-licence batch settings, as the test network registers them. */
export const LICENCE_BATCH = {
  issuerId: 'transport',
  issuerDisplayName: 'Department of Transport',
  typeId: 'driving-licence',
  typeVersion: 1,
  typeDisplayName: 'Driving licence',
  schema: LICENCE_SCHEMA,
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2031-01-01T00:00:00Z',
} as const;

export const SAMPLE_RECORDS: JsonObject[] = [
  { name: 'Ada Lovelace', licenceNumber: 'AL123456', categories: ['B', 'A1'], organDonor: true, points: 0, address: { street: '12 St James Sq', city: 'London' }, notes: {} },
  { name: 'Grace Hopper', licenceNumber: 'GH654321', categories: [], organDonor: false, points: 3, address: { city: 'Arlington' } },
  { name: 'Alan Turing', licenceNumber: 'AT000001', categories: ['B'] },
];

/** Deterministic bytes, so a test's certificates are the same on every run. */
export function seededRandomBytes(seed: string): (length: number) => Uint8Array {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      out.set(sha256(new TextEncoder().encode(`${seed}/${counter++}`)).subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
}

/** A test chain that commits blocks with real commit certificates from its validators. */
export class TestChain {
  readonly net: TestNetwork;
  state: State;
  readonly view: LedgerView;
  #time: number;
  #seqs = new Map<string, number>();
  #batches = 0;
  readonly #blockHashes = new Map<number, Uint8Array>();

  constructor() {
    this.net = testNetwork(4, 'cert-chain');
    this.state = this.net.state;
    this.#time = this.net.genesis.genesisTime;
    this.view = ledgerViewFromState(
      () => this.state,
      (height) => this.#blockHashes.get(height),
    );
  }

  get trust() {
    return { chainId: this.state.chainId, validators: this.net.genesis.validators };
  }

  nextSeq(publicKey: Uint8Array): number {
    return this.#seqs.get(toHex(publicKey)) ?? 0;
  }

  #used(publicKey: Uint8Array): void {
    this.#seqs.set(toHex(publicKey), this.nextSeq(publicKey) + 1);
  }

  /** Commits `txs` in one block; returns where each landed. */
  commit(txs: Uint8Array[]): AnchorLocation[] {
    this.#time += 1000;
    const proposer = this.net.validators[0]!;
    const built = buildBlock(this.state, txs, { time: this.#time, proposer: proposer.publicKey });
    if (built.rejected.length > 0) throw new Error(`rejected: ${built.rejected.map((r) => r.error.message).join('; ')}`);
    const { block } = built;
    const signatures = this.net.validators.slice(0, 3).map((v) => ({
      validator: v.publicKey,
      signature: signVote(v, this.state.chainId, { type: 'precommit', height: block.header.height, round: 0, blockHash: block.hash }).signature,
    }));
    const commit = encodeCommit({ height: block.header.height, round: 0, blockHash: block.hash, signatures });
    this.state = built.state;
    this.#blockHashes.set(block.header.height, block.hash);
    const tree = new MerkleTree(block.txs.map((tx) => leafHash(tx)));
    return block.txs.map((_, i) => ({
      height: block.header.height,
      blockHash: block.hash,
      txIndex: i,
      txCount: block.txs.length,
      txInclusionPath: tree.inclusionProof(i),
      header: block.headerBytes,
      commit,
    }));
  }

  /** A governance or issuer action sent by `sender`, approved by every validator when needed. */
  act(sender: { publicKey: Uint8Array; sign(m: Uint8Array): Uint8Array }, action: Action, approvers = this.net.validators): void {
    const tx = makeTx(this.state.chainId, sender, this.nextSeq(sender.publicKey), action, action.kind === 'anchor' || action.kind === 'revoke' ? [] : approvers);
    const check = applyTransaction(this.state, tx, { height: this.state.height + 1, time: this.#time + 1000 });
    if (!check.ok) throw new Error(`${check.error.code}: ${check.error.message}`);
    this.commit([tx]);
    this.#used(sender.publicKey);
  }

  /** Issues `records` as transport's driving licences, anchors them and attaches the locations. */
  issue(records: readonly unknown[], overrides: Partial<IssueBatchOptions> = {}): { credentials: JsonObject[]; root: Uint8Array; leaves: Uint8Array[] } {
    const signer = overrides.signer ?? this.net.issuers.get('transport')!;
    const batch = issueBatch(records, {
      ...LICENCE_BATCH,
      chainId: this.state.chainId,
      signer,
      seq: this.nextSeq(signer.publicKey),
      randomBytes: seededRandomBytes(`certs-test/${this.#batches++}`),
      ...overrides,
    });
    const [location] = this.commit([batch.anchorTransaction]);
    this.#used(signer.publicKey);
    return { credentials: batch.credentials.map((c) => attachAnchorLocation(c, location!)), root: batch.root, leaves: batch.leaves };
  }
}
