import { toHex } from '@certledger/codec';
import { signerFromSeed, verify as verifySignature, type Signer } from '@certledger/crypto';
import type { VerifyFn } from '../commit.js';
import { ConsensusEngine } from '../engine.js';
import type { EngineOutput, TimeoutConfig, Timer } from '../engine-types.js';
import { decodeMessage, encodeMessage } from '../messages.js';
import type { LockRecord } from '../lock-record.js';
import type { SignRecord } from '../sign-guard.js';
import { ValidatorSet } from '../validator-set.js';
import { byzantineDeliveries } from './byzantine.js';
import { InvariantChecker, type Violation } from './checker.js';
import { EventQueue } from './event-queue.js';
import { SimNetwork } from './network.js';
import { SimRandom } from './random.js';
import type { ByzantineBehaviour, SimulationOptions } from './scenario.js';
import { GENESIS_PARENT, decodeSimBlock, encodeSimBlock, hashSimBlock, isValidSimBlock } from './sim-block.js';

export interface SimulationResult {
  readonly options: SimulationOptions;
  readonly violations: readonly Violation[];
  /** Heights decided by the slowest validator that is not Byzantine. */
  readonly heightsDecided: number;
  readonly virtualTimeMs: number;
  readonly events: number;
  readonly messagesSent: number;
  /** Where each validator process stood at the end, to read a failing run. */
  readonly finalStatus: readonly string[];
}

const CHAIN_ID = 'sim';
const MAX_BLOCK_BYTES = 1024;
const BLOCK_INTERVAL_MS = 30;
export const SIM_TIMEOUTS: TimeoutConfig = { proposeMs: 300, prevoteMs: 200, precommitMs: 200, roundIncreaseMs: 100, rebroadcastMs: 500 };
/** Heights per validator set: voting powers change between epochs, as after governance. */
const HEIGHTS_PER_VALIDATOR_SET = 5;
const MAX_EVENTS = 5_000_000;
/** Decisions sent at once to a validator that fell behind. */
const CATCH_UP_BATCH = 8;

type Role = 'honest' | 'amnesiac' | ByzantineBehaviour;

interface Endpoint {
  readonly id: number;
  readonly label: string;
  readonly validator: number;
  readonly role: Role;
  readonly peers: readonly number[];
  engine: ConsensusEngine | null;
  /** Bumped on every crash so that the dead process's timers never fire. */
  epoch: number;
  crashId: number;
  record: SignRecord | null;
  lockRecord: LockRecord | null;
  readonly chain: { readonly hash: Uint8Array; readonly block: Uint8Array; readonly commit: Uint8Array }[];
  lastProposedHash: Uint8Array | null;
}

type SimEvent =
  | { kind: 'start'; endpoint: number }
  | { kind: 'deliver'; endpoint: number; from: number; bytes: Uint8Array }
  | { kind: 'timer'; endpoint: number; epoch: number; timer: Timer }
  | { kind: 'validity'; endpoint: number; epoch: number; height: number; blockHash: Uint8Array; valid: boolean }
  | { kind: 'start-height'; endpoint: number; epoch: number; height: number }
  | { kind: 'crash'; endpoint: number; crashId: number; downMs: number; keepRecord: boolean }
  | { kind: 'restart'; endpoint: number; crashId: number; keepRecord: boolean }
  | { kind: 'faults-end' };

function memoizedVerify(): VerifyFn {
  const results = new Map<string, boolean>();
  return (signature, message, publicKey) => {
    const key = toHex(signature) + toHex(message) + toHex(publicKey);
    let ok = results.get(key);
    if (ok === undefined) {
      ok = verifySignature(signature, message, publicKey);
      results.set(key, ok);
    }
    return ok;
  };
}

/** One deterministic run: the same options give the same events, decisions and verdict. */
class Simulation {
  readonly #options: SimulationOptions;
  readonly #random: SimRandom;
  readonly #queue = new EventQueue<SimEvent>();
  readonly #network: SimNetwork;
  readonly #checker: InvariantChecker;
  readonly #verify = memoizedVerify();
  readonly #signers: Signer[];
  readonly #roles: Role[];
  readonly #endpoints: Endpoint[] = [];
  readonly #faultyKeys = new Set<string>();
  readonly #validatorSets = new Map<number, ValidatorSet>();
  readonly #heightsAtFaultEnd = new Map<number, number>();
  /** When decisions last went to a peer, so a lagging peer's every message does not trigger a resend. */
  readonly #decisionsSentAt = new Map<string, number>();
  #now = 0;
  #events = 0;
  #messagesSent = 0;

  constructor(options: SimulationOptions) {
    this.#options = options;
    this.#random = new SimRandom(options.seed);
    this.#checker = new InvariantChecker(CHAIN_ID, this.#verify);
    this.#signers = Array.from({ length: options.validators }, () => signerFromSeed(this.#random.bytes(32)));
    this.#roles = this.#assignRoles();
    this.#roles.forEach((role, validator) => {
      if (role !== 'honest') this.#faultyKeys.add(toHex(this.#signers[validator]!.publicKey));
    });
    const copies = this.#roles.flatMap((role, validator) => (role === 'twins' ? [validator, validator] : [validator]));
    copies.forEach((validator, id) => {
      const role = this.#roles[validator]!;
      const label = `validator ${validator}${role === 'honest' ? '' : ` (${role})`}${copies.indexOf(validator) === id ? '' : ' twin'}`;
      const peers = copies.map((_, other) => other).filter((other) => other !== id);
      this.#endpoints.push({ id, label, validator, role, peers, engine: null, epoch: 0, crashId: 0, record: null, lockRecord: null, chain: [], lastProposedHash: null });
    });
    this.#network = new SimNetwork(this.#random, options.faults, options.faultyPeriodMs, this.#endpoints.length);
    for (const endpoint of this.#endpoints) {
      if (endpoint.role !== 'silent') this.#queue.push(this.#random.int(0, 20), { kind: 'start', endpoint: endpoint.id });
    }
    this.#scheduleCrashes();
    this.#queue.push(options.faultyPeriodMs, { kind: 'faults-end' });
  }

  #assignRoles(): Role[] {
    const { validators, byzantine, amnesiac, behaviours } = this.#options;
    const roles: Role[] = Array.from({ length: validators }, () => 'honest');
    const order = this.#random.shuffle(roles.map((_, i) => i));
    const offset = behaviours.length > 0 ? this.#random.int(0, behaviours.length - 1) : 0;
    for (let i = 0; i < byzantine && behaviours.length > 0; i++) roles[order[i]!] = behaviours[(i + offset) % behaviours.length]!;
    for (let i = 0; i < amnesiac; i++) roles[order[byzantine + i]!] = 'amnesiac';
    return roles;
  }

  #scheduleCrashes(): void {
    const { crashes, faultyPeriodMs, forgetfulGuard } = this.#options;
    if (faultyPeriodMs <= 0) return;
    const crash = (endpoint: Endpoint, keepRecord: boolean) => {
      const at = this.#random.int(0, faultyPeriodMs - 1);
      const downMs = this.#random.int(50, 3000);
      this.#queue.push(at, { kind: 'crash', endpoint: endpoint.id, crashId: 0, downMs, keepRecord });
    };
    const honest = this.#endpoints.filter((e) => e.role === 'honest');
    for (let i = 0; i < crashes && honest.length > 0; i++) crash(this.#random.pick(honest), forgetfulGuard !== true);
    for (const endpoint of this.#endpoints.filter((e) => e.role === 'amnesiac')) {
      crash(endpoint, false);
      crash(endpoint, false);
    }
  }

  validatorSetAt(height: number): ValidatorSet {
    const epoch = Math.floor((height - 1) / HEIGHTS_PER_VALIDATOR_SET);
    let set = this.#validatorSets.get(epoch);
    if (!set) {
      set = new ValidatorSet(
        this.#signers.map((signer, i) => ({
          publicKey: signer.publicKey,
          power: this.#roles[i] === 'honest' ? 1 + ((epoch * 7 + i * 13 + this.#options.seed) % 3) : 1,
        })),
      );
      this.#validatorSets.set(epoch, set);
    }
    return set;
  }

  run(): SimulationResult {
    const { faultyPeriodMs, livenessBoundMs } = this.#options;
    const deadline = faultyPeriodMs + livenessBoundMs;
    while (this.#events < MAX_EVENTS && !this.#livenessMet()) {
      const next = this.#queue.pop();
      if (!next || next.time > deadline) break;
      this.#now = next.time;
      this.#events++;
      try {
        this.#dispatch(next.event);
      } catch (error) {
        this.#checker.onException(this.#now, error);
        break;
      }
    }
    const live = this.#liveEndpoints();
    for (const endpoint of live) {
      const needed = (this.#heightsAtFaultEnd.get(endpoint.id) ?? 0) + this.#options.heightsAfterFaults;
      if (endpoint.chain.length < needed) {
        this.#checker.onStalled(this.#now, endpoint.label, `reached height ${endpoint.chain.length}, needed ${needed} by ${deadline} ms`);
      }
    }
    return {
      options: this.#options,
      violations: this.#checker.violations,
      heightsDecided: Math.min(...live.map((e) => e.chain.length)),
      virtualTimeMs: this.#now,
      events: this.#events,
      messagesSent: this.#messagesSent,
      finalStatus: this.#endpoints.map((e) => {
        const status = e.engine?.status;
        const where = status ? `height ${status.height} round ${status.round} ${status.step}${status.running ? '' : ' (between heights)'}` : 'down';
        return `${e.label}: ${where}, ${e.chain.length} decided, locked round ${status?.lockedRound ?? '-'}`;
      }),
    };
  }

  /** Endpoints that must stay live and agree: everyone but the Byzantine. */
  #liveEndpoints(): Endpoint[] {
    return this.#endpoints.filter((e) => e.role === 'honest' || e.role === 'amnesiac');
  }

  #livenessMet(): boolean {
    if (this.#heightsAtFaultEnd.size === 0) return false;
    return this.#liveEndpoints().every((e) => e.chain.length >= this.#heightsAtFaultEnd.get(e.id)! + this.#options.heightsAfterFaults);
  }

  #dispatch(event: SimEvent): void {
    const endpoint = event.kind === 'faults-end' ? undefined : this.#endpoints[event.endpoint]!;
    switch (event.kind) {
      case 'faults-end':
        for (const e of this.#endpoints) this.#heightsAtFaultEnd.set(e.id, e.chain.length);
        return;
      case 'start':
        this.#boot(endpoint!, false);
        return;
      case 'deliver':
        if (!endpoint!.engine) return;
        this.#noteProposal(endpoint!, event.bytes);
        this.#apply(endpoint!, endpoint!.engine.handle({ type: 'message', bytes: event.bytes, from: String(event.from) }));
        return;
      case 'timer':
        if (endpoint!.engine && endpoint!.epoch === event.epoch) this.#apply(endpoint!, endpoint!.engine.handle({ type: 'timeout', timer: event.timer }));
        return;
      case 'validity':
        if (endpoint!.engine && endpoint!.epoch === event.epoch) {
          this.#apply(endpoint!, endpoint!.engine.handle({ type: 'validity', height: event.height, blockHash: event.blockHash, valid: event.valid }));
        }
        return;
      case 'start-height':
        if (endpoint!.engine && endpoint!.epoch === event.epoch && endpoint!.chain.length + 1 === event.height) {
          this.#apply(endpoint!, endpoint!.engine.startHeight(event.height, this.validatorSetAt(event.height)));
        }
        return;
      case 'crash':
        if (!endpoint!.engine) return;
        endpoint!.engine = null;
        endpoint!.epoch++;
        endpoint!.crashId++;
        this.#queue.push(Math.min(this.#now + event.downMs, this.#options.faultyPeriodMs), {
          kind: 'restart',
          endpoint: endpoint!.id,
          crashId: endpoint!.crashId,
          keepRecord: event.keepRecord,
        });
        return;
      case 'restart':
        if (endpoint!.engine || endpoint!.crashId !== event.crashId) return;
        this.#boot(endpoint!, event.keepRecord);
        return;
    }
  }

  #boot(endpoint: Endpoint, keepRecords: boolean): void {
    if (!keepRecords) {
      endpoint.record = null;
      endpoint.lockRecord = null;
    }
    endpoint.engine = new ConsensusEngine({
      chainId: CHAIN_ID,
      signer: this.#signers[endpoint.validator]!,
      hashBlock: hashSimBlock,
      maxBlockBytes: MAX_BLOCK_BYTES,
      timeouts: SIM_TIMEOUTS,
      signRecord: endpoint.record,
      lockRecord: endpoint.lockRecord,
      verify: this.#verify,
      unsafeIgnoreLock: this.#options.brokenLock === true && endpoint.role === 'honest',
    });
    const height = endpoint.chain.length + 1;
    this.#apply(endpoint, endpoint.engine.startHeight(height, this.validatorSetAt(height)));
  }

  #noteProposal(endpoint: Endpoint, bytes: Uint8Array): void {
    if (endpoint.role !== 'double-voter') return;
    try {
      const message = decodeMessage(bytes, CHAIN_ID, MAX_BLOCK_BYTES);
      if (message.kind === 'proposal') endpoint.lastProposedHash = message.blockHash;
    } catch {
      // A message the engine will reject anyway; nothing to learn from it.
    }
  }

  #parentOf(endpoint: Endpoint, height: number): Uint8Array {
    return height <= 1 ? GENESIS_PARENT : (endpoint.chain[height - 2]?.hash ?? GENESIS_PARENT);
  }

  #apply(endpoint: Endpoint, outputs: readonly EngineOutput[]): void {
    for (const output of outputs) {
      switch (output.type) {
        case 'persist-sign-record':
          endpoint.record = output.record;
          break;
        case 'persist-lock-record':
          endpoint.lockRecord = output.record;
          break;
        case 'broadcast':
          this.#send(endpoint, output.message);
          break;
        case 'schedule':
          this.#queue.push(this.#now + output.delayMs, { kind: 'timer', endpoint: endpoint.id, epoch: endpoint.epoch, timer: output.timer });
          break;
        case 'validate': {
          const own = endpoint.role === 'invalid-block' && decodeSimBlock(output.block)?.proposer === endpoint.validator;
          const valid = own || isValidSimBlock(output.block, output.height, this.#parentOf(endpoint, output.height));
          this.#queue.push(this.#now + this.#random.int(0, 5), { kind: 'validity', endpoint: endpoint.id, epoch: endpoint.epoch, height: output.height, blockHash: output.blockHash, valid });
          break;
        }
        case 'need-proposal': {
          const block = encodeSimBlock({
            height: output.height,
            parent: this.#parentOf(endpoint, output.height),
            proposer: endpoint.validator,
            nonce: this.#random.int(0, 1_000_000_000),
            valid: endpoint.role !== 'invalid-block',
          });
          this.#apply(endpoint, endpoint.engine!.handle({ type: 'proposal-block', height: output.height, round: output.round, block }));
          break;
        }
        case 'decided':
          this.#onDecided(endpoint, output);
          break;
        case 'evidence':
          if (this.#isChecked(endpoint)) this.#checker.onEvidence(this.#now, endpoint.label, output.bytes, this.validatorSetAt(output.evidence.height), this.#faultyKeys);
          break;
        case 'peer-behind':
          this.#sendDecisions(endpoint, Number(output.peer), output.height);
          break;
        case 'rejected': {
          const sender = this.#endpoints[Number(output.from)];
          if (sender?.role === 'honest' && this.#isChecked(endpoint)) this.#checker.onHonestRejected(this.#now, endpoint.label, sender.label, output.reason);
          break;
        }
        case 'peer-ahead':
          break;
      }
    }
  }

  #isChecked(endpoint: Endpoint): boolean {
    return endpoint.role === 'honest' || endpoint.role === 'amnesiac';
  }

  #onDecided(endpoint: Endpoint, output: Extract<EngineOutput, { type: 'decided' }>): void {
    if (this.#isChecked(endpoint)) {
      const valid = isValidSimBlock(output.block, output.height, this.#parentOf(endpoint, output.height));
      this.#checker.onDecided(this.#now, endpoint.label, { ...output, valid }, this.validatorSetAt(output.height));
    }
    endpoint.chain.push({ hash: output.blockHash, block: output.block, commit: output.commitBytes });
    if (this.#now < this.#options.faultyPeriodMs && this.#random.chance(this.#options.faults.isolateDecider)) {
      this.#network.isolate(endpoint.id, this.#now, this.#random.int(200, 2000));
    }
    this.#queue.push(this.#now + BLOCK_INTERVAL_MS, { kind: 'start-height', endpoint: endpoint.id, epoch: endpoint.epoch, height: output.height + 1 });
  }

  #sendDecisions(endpoint: Endpoint, peer: number, fromHeight: number): void {
    const key = `${endpoint.id}/${peer}/${fromHeight}`;
    if ((this.#decisionsSentAt.get(key) ?? -Infinity) > this.#now - SIM_TIMEOUTS.rebroadcastMs / 2) return;
    this.#decisionsSentAt.set(key, this.#now);
    const last = Math.min(endpoint.chain.length, fromHeight + CATCH_UP_BATCH - 1);
    for (let height = fromHeight; height <= last; height++) {
      const decided = endpoint.chain[height - 1]!;
      this.#deliver(endpoint.id, [peer], encodeMessage({ kind: 'decision', block: decided.block, commit: decided.commit }));
    }
  }

  #send(endpoint: Endpoint, bytes: Uint8Array): void {
    const message = decodeMessage(bytes, CHAIN_ID, MAX_BLOCK_BYTES);
    if (endpoint.role === 'honest') this.#checker.onHonestSigned(this.#now, endpoint.label, message);
    const role = endpoint.role;
    const deliveries =
      role === 'honest' || role === 'amnesiac'
        ? undefined
        : byzantineDeliveries(role, message, {
            chainId: CHAIN_ID,
            signer: this.#signers[endpoint.validator]!,
            random: this.#random,
            peers: endpoint.peers,
            lastProposedHash: endpoint.lastProposedHash,
          });
    for (const delivery of deliveries ?? [{ to: endpoint.peers, bytes }]) this.#deliver(endpoint.id, delivery.to, delivery.bytes);
  }

  #deliver(from: number, to: readonly number[], bytes: Uint8Array): void {
    this.#messagesSent++;
    for (const peer of to) {
      for (const delay of this.#network.deliveries(from, peer, this.#now)) {
        this.#queue.push(this.#now + delay, { kind: 'deliver', endpoint: peer, from, bytes });
      }
    }
  }
}

export function runSimulation(options: SimulationOptions): SimulationResult {
  return new Simulation(options).run();
}
