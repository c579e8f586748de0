import { sha256, toHex } from '@certledger/codec';
import type { Signer } from '@certledger/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBlock } from './block.js';
import { applyBlock, buildBlock } from './chain.js';
import { stateRoot } from './state-root.js';
import type { State } from './state.js';
import { makeTx, testNetwork } from './testing.js';
import type { Action } from './transaction.js';
import { applyTransaction } from './transition.js';

const net = testNetwork();
const chainId = net.genesis.chainId;
const issuerNames = ['transport', 'health'] as const;
const typeOf = { transport: 'driving-licence', health: 'nurse-licence' } as const;

/** One step a fuzzed history can take; many are invalid on purpose (wrong sender, bad seq, few approvals). */
type Step =
  | { op: 'anchor'; issuer: 0 | 1; sender: 0 | 1; rootSeed: number; seqSkew: number }
  | { op: 'revoke'; issuer: 0 | 1; sender: 0 | 1; rootSeed: number; leafSeed: number | null; seqSkew: number }
  | { op: 'suspend' | 'reinstate'; issuer: 0 | 1; approvers: number }
  | { op: 'power'; validator: number; power: number; approvers: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('anchor' as const), issuer: fc.constantFrom(0 as const, 1 as const), sender: fc.constantFrom(0 as const, 1 as const), rootSeed: fc.nat(20), seqSkew: fc.constantFrom(0, 0, 0, -1, 1) }),
  fc.record({ op: fc.constant('revoke' as const), issuer: fc.constantFrom(0 as const, 1 as const), sender: fc.constantFrom(0 as const, 1 as const), rootSeed: fc.nat(20), leafSeed: fc.option(fc.nat(5)), seqSkew: fc.constantFrom(0, 0, 1) }),
  fc.record({ op: fc.constantFrom('suspend' as const, 'reinstate' as const), issuer: fc.constantFrom(0 as const, 1 as const), approvers: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('power' as const), validator: fc.nat(3), power: fc.integer({ min: 1, max: 30 }), approvers: fc.integer({ min: 1, max: 4 }) }),
);

function rootFor(seed: number): Uint8Array {
  return sha256(new Uint8Array([seed, 7]));
}

/** Turns a step into transaction bytes against the current state (sequence numbers read from it). */
function toTx(state: State, step: Step): Uint8Array {
  const nextSeq = (signer: Signer) => state.nonces.get(toHex(signer.publicKey)) ?? 0;
  if (step.op === 'anchor' || step.op === 'revoke') {
    const issuerId = issuerNames[step.issuer];
    const sender = net.issuers.get(issuerNames[step.sender])!;
    const seq = Math.max(0, nextSeq(sender) + step.seqSkew);
    let action: Action;
    if (step.op === 'anchor') {
      const fields = { issuerId, typeId: typeOf[issuerId], typeVersion: 1, root: rootFor(step.rootSeed), leafCount: 10 };
      action = { kind: 'anchor', ...fields };
    } else {
      const leaf = step.leafSeed === null ? null : sha256(new Uint8Array([step.leafSeed]));
      action = { kind: 'revoke', issuerId, revocations: [{ root: rootFor(step.rootSeed), leaf, reason: 'fuzz' }] };
    }
    return makeTx(chainId, sender, seq, action);
  }
  const proposer = net.validators[0]!;
  const approvers = net.validators.slice(0, step.approvers);
  const action: Action =
    step.op === 'power'
      ? { kind: 'set-validator-power', publicKey: net.validators[step.validator]!.publicKey, power: step.power }
      : step.op === 'suspend'
        ? { kind: 'suspend-issuer', issuerId: issuerNames[step.issuer], reason: 'fuzz' }
        : { kind: 'reinstate-issuer', issuerId: issuerNames[step.issuer] };
  return makeTx(chainId, proposer, nextSeq(proposer), action, approvers);
}

describe('state transition properties', () => {
  it('same blocks in the same order give the same state root; rejected transactions change nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.array(stepArb, { maxLength: 6 }), { minLength: 1, maxLength: 6 }), (blocks) => {
        let proposerState = net.state;
        let replicaState = net.state;
        for (const steps of blocks) {
          const txs: Uint8Array[] = [];
          let draft = proposerState;
          for (const step of steps) {
            const tx = toTx(draft, step);
            const before = toHex(stateRoot(draft));
            const result = applyTransaction(draft, tx, { height: draft.height + 1, time: draft.lastBlockTime + 10 });
            if (result.ok) {
              draft = result.value.state;
              txs.push(tx);
            } else {
              expect(result.error.code).toMatch(/^[A-Z_]+$/);
              expect(toHex(stateRoot(draft))).toBe(before);
            }
          }
          const built = buildBlock(proposerState, txs, { time: proposerState.lastBlockTime + 10, proposer: net.validators[0]!.publicKey });
          expect(built.rejected).toEqual([]);
          proposerState = built.state;
          const received = decodeBlock(built.block.bytes, replicaState.params.maxBlockBytes);
          if (!received.ok) throw new Error(received.error.message);
          const applied = applyBlock(replicaState, received.value);
          if (!applied.ok) throw new Error(`${applied.error.code}: ${applied.error.message}`);
          replicaState = applied.value;
          expect(toHex(stateRoot(replicaState))).toBe(toHex(stateRoot(proposerState)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('any altered byte of a valid transaction gets it refused, with the state unchanged', () => {
    const tx = makeTx(chainId, net.issuers.get('transport')!, 0, {
      kind: 'anchor',
      issuerId: 'transport',
      typeId: 'driving-licence',
      typeVersion: 1,
      root: rootFor(1),
      leafCount: 1,
    });
    const before = toHex(stateRoot(net.state));
    expect(applyTransaction(net.state, tx, { height: 1, time: 1 }).ok).toBe(true);
    fc.assert(
      fc.property(fc.nat(tx.length - 1), fc.integer({ min: 1, max: 255 }), (index, mask) => {
        const altered = Uint8Array.from(tx);
        altered[index] = (altered[index] as number) ^ mask;
        const result = applyTransaction(net.state, altered, { height: 1, time: 1 });
        expect(result.ok).toBe(false);
        expect(toHex(stateRoot(net.state))).toBe(before);
      }),
      { numRuns: 1500 },
    );
  });
});
