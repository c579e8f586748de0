import { encode, taggedHash } from '@certledger/codec';
import type { Signer } from '@certledger/crypto';
import { ConsensusEngine } from './engine.js';
import type { EngineOutput, Timer } from './engine-types.js';
import { decodeMessage, type ConsensusMessage } from './messages.js';
import type { LockRecord } from './lock-record.js';
import type { SignRecord } from './sign-guard.js';
import type { ValidatorSet } from './validator-set.js';

export const TEST_CHAIN = 'test-chain';
export const TEST_TIMEOUTS = { proposeMs: 100, prevoteMs: 100, precommitMs: 100, roundIncreaseMs: 50, rebroadcastMs: 1000 };

export function testBlock(height: number, label: string): Uint8Array {
  return encode([height, label]);
}

export function testBlockHash(block: Uint8Array): Uint8Array {
  return taggedHash('block-header', block);
}

type Decided = Extract<EngineOutput, { type: 'decided' }>;

/**
 * One engine driven by hand for engine tests: validity and proposals are answered at once,
 * everything it broadcasts waits in `outbox` until the test routes it.
 */
export class HandDrivenNode {
  readonly engine: ConsensusEngine;
  readonly outbox: Uint8Array[] = [];
  readonly decided: Decided[] = [];
  readonly timers: Timer[] = [];
  readonly evidence: Uint8Array[] = [];
  record: SignRecord | null;
  lockRecord: LockRecord | null;
  private readonly proposals: (height: number, round: number) => Uint8Array;

  constructor(
    readonly name: string,
    readonly signer: Signer | null,
    options: { record?: SignRecord | null; lockRecord?: LockRecord | null; unsafeIgnoreLock?: boolean; proposals?: (height: number, round: number) => Uint8Array } = {},
  ) {
    this.record = options.record ?? null;
    this.lockRecord = options.lockRecord ?? null;
    this.proposals = options.proposals ?? ((height, round) => testBlock(height, `${name}/${round}`));
    this.engine = new ConsensusEngine({
      chainId: TEST_CHAIN,
      signer,
      hashBlock: testBlockHash,
      maxBlockBytes: 10_000,
      timeouts: TEST_TIMEOUTS,
      signRecord: this.record,
      lockRecord: this.lockRecord,
      unsafeIgnoreLock: options.unsafeIgnoreLock,
    });
  }

  start(height: number, validators: ValidatorSet): void {
    this.apply(this.engine.startHeight(height, validators));
  }

  receive(bytes: Uint8Array, from = 'peer'): void {
    this.apply(this.engine.handle({ type: 'message', bytes, from }));
  }

  fire(kind: Timer['kind']): void {
    const timer = [...this.timers].reverse().find((t) => t.kind === kind);
    if (!timer) throw new Error(`${this.name} has no ${kind} timer`);
    this.apply(this.engine.handle({ type: 'timeout', timer }));
  }

  /** Takes what the node broadcast since the last call. */
  drain(): Uint8Array[] {
    return this.outbox.splice(0);
  }

  sent(): ConsensusMessage[] {
    return this.outbox.map((bytes) => decodeMessage(bytes, TEST_CHAIN, 10_000));
  }

  private apply(outputs: readonly EngineOutput[]): void {
    for (const output of outputs) {
      switch (output.type) {
        case 'broadcast':
          this.outbox.push(output.message);
          break;
        case 'persist-sign-record':
          this.record = output.record;
          break;
        case 'persist-lock-record':
          this.lockRecord = output.record;
          break;
        case 'schedule':
          this.timers.push(output.timer);
          break;
        case 'validate':
          this.apply(this.engine.handle({ type: 'validity', height: output.height, blockHash: output.blockHash, valid: true }));
          break;
        case 'need-proposal':
          this.apply(this.engine.handle({ type: 'proposal-block', height: output.height, round: output.round, block: this.proposals(output.height, output.round) }));
          break;
        case 'decided':
          this.decided.push(output);
          break;
        case 'evidence':
          this.evidence.push(output.bytes);
          break;
        default:
          break;
      }
    }
  }
}

/** Delivers each node's outbox to every other node until nothing more is sent. */
export function gossipUntilQuiet(nodes: readonly HandDrivenNode[], maxRounds = 50): void {
  for (let i = 0; i < maxRounds; i++) {
    const batches = nodes.map((node) => ({ node, messages: node.drain() }));
    if (batches.every((b) => b.messages.length === 0)) return;
    for (const { node, messages } of batches) {
      for (const message of messages) for (const other of nodes) if (other !== node) other.receive(message, node.name);
    }
  }
  throw new Error('gossip did not settle');
}
