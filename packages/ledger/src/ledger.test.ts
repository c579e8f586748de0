import { encode, sha256, toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { assembleBlock, decodeBlock, txRoot } from './block.js';
import { applyBlock, buildBlock } from './chain.js';
import { stateRoot, validatorSetHash } from './state-root.js';
import type { State } from './state.js';
import { makeTx, testNetwork, testSigner } from './testing.js';
import type { Anchor } from './transaction.js';
import { applyTransaction } from './transition.js';
import { approveGovernance, prepareTransaction, signTransaction } from './tx-codec.js';

const net = testNetwork();
const chainId = net.genesis.chainId;
const transport = net.issuers.get('transport')!;
const health = net.issuers.get('health')!;
const [v0, v1, v2] = net.validators as [ReturnType<typeof testSigner>, ReturnType<typeof testSigner>, ReturnType<typeof testSigner>];
const ctx = { height: 1, time: net.genesis.genesisTime + 1000 };

function anchorAction(root: Uint8Array, issuerId = 'transport', typeId = 'driving-licence'): Anchor {
  return { kind: 'anchor', issuerId, typeId, typeVersion: 1, root, leafCount: 3 };
}

function root(n: number): Uint8Array {
  return sha256(new Uint8Array([n, 0xaa]));
}

/** Builds a block on `state`, then checks a second node applying it reaches the same state root. */
function commit(state: State, txs: Uint8Array[], time = state.lastBlockTime + 1000): State {
  const built = buildBlock(state, txs, { time, proposer: v0.publicKey });
  expect(built.rejected.map((r) => r.error)).toEqual([]);
  const applied = applyBlock(state, built.block);
  if (!applied.ok) throw new Error(`${applied.error.code}: ${applied.error.message}`);
  expect(toHex(stateRoot(applied.value))).toBe(toHex(built.block.header.stateRoot));
  return applied.value;
}

function expectRejected(state: State, tx: Uint8Array, code: string): void {
  const before = toHex(stateRoot(state));
  const result = applyTransaction(state, tx, ctx);
  expect(result.ok ? 'accepted' : result.error.code).toBe(code);
  if (!result.ok) expect(result.error.message.length).toBeGreaterThan(10);
  expect(toHex(stateRoot(state))).toBe(before);
}

describe('anchoring', () => {
  it('records an issuer-signed batch root and advances the sender sequence', () => {
    const r = root(1);
    const state = commit(net.state, [makeTx(chainId, transport, 0, anchorAction(r))]);
    const anchor = state.anchors.get(toHex(r))!;
    expect(anchor.issuerId).toBe('transport');
    expect(anchor.height).toBe(1);
    expect(state.nonces.get(toHex(transport.publicKey))).toBe(1);
    expect(state.anchorLog.size).toBe(1);
  });

  it('refuses a replayed, forged, foreign or misdirected anchor and changes nothing', () => {
    const tx = makeTx(chainId, transport, 0, anchorAction(root(2)));
    const state = commit(net.state, [tx]);
    expectRejected(state, tx, 'BAD_SEQUENCE');
    expectRejected(net.state, makeTx(chainId, transport, 5, anchorAction(root(3))), 'BAD_SEQUENCE');
    expectRejected(net.state, makeTx('other-chain', transport, 0, anchorAction(root(3))), 'WRONG_CHAIN');
    expectRejected(net.state, makeTx(chainId, health, 0, anchorAction(root(3))), 'NOT_AUTHORISED');
    expectRejected(net.state, makeTx(chainId, health, 0, anchorAction(root(3), 'health', 'driving-licence')), 'NOT_AUTHORISED_FOR_TYPE');
    expectRejected(net.state, makeTx(chainId, transport, 0, { ...anchorAction(root(3)), typeVersion: 9 }), 'UNKNOWN_CERT_TYPE');
    expectRejected(state, makeTx(chainId, transport, 1, anchorAction(root(2))), 'DUPLICATE_ANCHOR');
  });

  it('refuses a transaction whose bytes were altered after signing', () => {
    const tx = makeTx(chainId, transport, 0, anchorAction(root(4)));
    const tampered = Uint8Array.from(tx);
    const at = tampered.length - 80;
    tampered[at] = (tampered[at] as number) ^ 1;
    const result = applyTransaction(net.state, tampered, ctx);
    expect(result.ok).toBe(false);
    expect(['BAD_SIGNATURE', 'MALFORMED_TX']).toContain(result.ok ? '' : result.error.code);
  });

  it('refuses malformed transactions with MALFORMED_TX', () => {
    expectRejected(net.state, new Uint8Array([0x93, 1, 2]), 'MALFORMED_TX');
    expectRejected(net.state, encode([encode([1, chainId, 'teleport', transport.publicKey, 0, {}]), new Uint8Array(64), []]), 'MALFORMED_TX');
    const extraField = encode([encode([1, chainId, 'reinstate-issuer', transport.publicKey, 0, { issuerId: 'x', extra: 1 }]), new Uint8Array(64), []]);
    expectRejected(net.state, extraField, 'MALFORMED_TX');
    expectRejected(net.state, new Uint8Array(net.state.params.maxTxBytes + 1), 'TX_TOO_LARGE');
  });
});

describe('revocation', () => {
  it('lets only the anchoring issuer revoke, once', () => {
    const r = root(5);
    const leaf = sha256(new Uint8Array([9]));
    let state = commit(net.state, [makeTx(chainId, transport, 0, anchorAction(r))]);
    const revoke = (sender = transport, seq = 1, issuerId = 'transport') =>
      makeTx(chainId, sender, seq, { kind: 'revoke', issuerId, revocations: [{ root: r, leaf, reason: 'licence withdrawn' }] });
    expectRejected(state, revoke(health, 0, 'health'), 'NOT_ANCHOR_OWNER');
    expectRejected(state, revoke(health, 0, 'transport'), 'NOT_AUTHORISED');
    state = commit(state, [revoke()]);
    expect(state.revocations.size).toBe(1);
    expectRejected(state, revoke(transport, 2), 'ALREADY_REVOKED');
    expectRejected(state, makeTx(chainId, transport, 2, { kind: 'revoke', issuerId: 'transport', revocations: [{ root: root(99), leaf: null, reason: 'x' }] }), 'UNKNOWN_ANCHOR');
  });
});

describe('governance', () => {
  const newIssuer = testSigner('issuer-education');
  const register = (approvers: ReturnType<typeof testSigner>[], seq = 0) =>
    makeTx(chainId, v0, seq, { kind: 'register-issuer', issuerId: 'education', displayName: 'Department of Education', publicKey: newIssuer.publicKey }, approvers);

  it('needs approvals of more than two thirds of the voting power', () => {
    expectRejected(net.state, register([v0, v1]), 'INSUFFICIENT_APPROVALS');
    expectRejected(net.state, register([v0, v1, testSigner('outsider')]), 'BAD_APPROVALS');
    const state = commit(net.state, [register([v0, v1, v2])]);
    expect(state.issuers.get('education')?.displayName).toBe('Department of Education');
    expectRejected(state, register([v0, v1, v2], 1), 'ISSUER_EXISTS');
  });

  it('refuses approvals given for another transaction', () => {
    const body = (issuerId: string) => ({ chainId, sender: v0.publicKey, seq: 0, action: { kind: 'register-issuer' as const, issuerId, displayName: 'Education', publicKey: newIssuer.publicKey } });
    const approved = prepareTransaction(body('education'));
    const approvals = [v0, v1, v2].map((v) => approveGovernance(approved, v));
    expectRejected(net.state, signTransaction(prepareTransaction(body('impostor')), v0, approvals), 'BAD_APPROVALS');
  });

  it('suspends an issuer, which then cannot anchor, and reinstates it', () => {
    let state = commit(net.state, [makeTx(chainId, v0, 0, { kind: 'suspend-issuer', issuerId: 'transport', reason: 'audit' }, [v0, v1, v2])]);
    expect(state.issuers.get('transport')?.suspension).toEqual({ atHeight: 1, reason: 'audit' });
    expectRejected(state, makeTx(chainId, transport, 0, anchorAction(root(6))), 'ISSUER_SUSPENDED');
    state = commit(state, [makeTx(chainId, v0, 1, { kind: 'reinstate-issuer', issuerId: 'transport' }, [v0, v1, v2])]);
    commit(state, [makeTx(chainId, transport, 0, anchorAction(root(6)))]);
  });

  it('rotates a key: the old one stops working, the new one anchors, a compromise height is kept', () => {
    const fresh = testSigner('issuer-transport-2');
    let state = commit(net.state, [makeTx(chainId, transport, 0, anchorAction(root(7)))]);
    state = commit(state, [makeTx(chainId, v0, 0, { kind: 'rotate-issuer-key', issuerId: 'transport', newPublicKey: fresh.publicKey, compromisedFromHeight: 1 }, [v0, v1, v2])]);
    const keys = state.issuers.get('transport')!.keys;
    expect(keys.map((k) => [k.retiredAtHeight, k.compromisedFromHeight])).toEqual([[2, 1], [null, null]]);
    expectRejected(state, makeTx(chainId, transport, 1, anchorAction(root(8))), 'NOT_AUTHORISED');
    commit(state, [makeTx(chainId, fresh, 0, anchorAction(root(8)))]);
    expectRejected(state, makeTx(chainId, v0, 1, { kind: 'rotate-issuer-key', issuerId: 'health', newPublicKey: fresh.publicKey, compromisedFromHeight: null }, [v0, v1, v2]), 'KEY_IN_USE');
  });

  it('schedules validator changes two heights later and moves the header hashes with them', () => {
    const newcomer = testSigner('validator-new');
    let state = commit(net.state, [makeTx(chainId, v0, 0, { kind: 'add-validator', publicKey: newcomer.publicKey, power: 10, name: 'new' }, [v0, v1, v2])]);
    expect(state.validators).toHaveLength(4);
    state = commit(state, []);
    expect(state.validators).toHaveLength(5);
    const built = buildBlock(state, [], { time: state.lastBlockTime + 1, proposer: v0.publicKey });
    expect(toHex(built.block.header.validatorSetHash)).toBe(toHex(validatorSetHash(state.validators)));
    expectRejected(state, makeTx(chainId, v0, 1, { kind: 'remove-validator', publicKey: testSigner('nobody').publicKey }, [v0, v1, v2]), 'INSUFFICIENT_APPROVALS');
  });

  it('registers a certificate type and changes who may issue it', () => {
    let state = commit(net.state, [
      makeTx(chainId, v0, 0, { kind: 'register-cert-type', typeId: 'pharmacist', version: 1, displayName: 'Pharmacist', schemaHash: root(1), issuers: ['health'] }, [v0, v1, v2]),
    ]);
    expectRejected(state, makeTx(chainId, transport, 0, anchorAction(root(9), 'transport', 'pharmacist')), 'NOT_AUTHORISED_FOR_TYPE');
    state = commit(state, [makeTx(chainId, v0, 1, { kind: 'set-type-issuers', typeId: 'pharmacist', version: 1, issuers: ['health', 'transport'] }, [v0, v1, v2])]);
    commit(state, [makeTx(chainId, transport, 0, anchorAction(root(9), 'transport', 'pharmacist'))]);
    expectRejected(state, makeTx(chainId, v0, 2, { kind: 'set-type-issuers', typeId: 'pharmacist', version: 1, issuers: ['nobody'] }, [v0, v1, v2]), 'UNKNOWN_ISSUER');
  });
});

describe('blocks', () => {
  const built = buildBlock(net.state, [makeTx(chainId, transport, 0, anchorAction(root(10)))], { time: net.state.lastBlockTime + 5, proposer: v0.publicKey });

  it('refuses a block whose header lies', () => {
    const { header, txs } = built.block;
    const cases: [Partial<typeof header>, string][] = [
      [{ stateRoot: new Uint8Array(32) }, 'BAD_STATE_ROOT'],
      [{ height: 2 }, 'BAD_HEIGHT'],
      [{ previousHash: new Uint8Array(32) }, 'BAD_PREVIOUS_HASH'],
      [{ time: net.state.lastBlockTime }, 'BAD_TIME'],
      [{ txRoot: new Uint8Array(32) }, 'BAD_TX_ROOT'],
      [{ validatorSetHash: new Uint8Array(32) }, 'BAD_VALIDATOR_SET_HASH'],
      [{ nextValidatorSetHash: new Uint8Array(32) }, 'BAD_VALIDATOR_SET_HASH'],
      [{ proposer: transport.publicKey }, 'BAD_PROPOSER'],
      [{ chainId: 'elsewhere' }, 'WRONG_CHAIN'],
    ];
    for (const [change, code] of cases) {
      const result = applyBlock(net.state, assembleBlock({ ...header, ...change }, txs));
      expect(result.ok ? 'accepted' : result.error.code).toBe(code);
    }
  });

  it('refuses a block holding an invalid transaction', () => {
    const bad = makeTx(chainId, transport, 3, anchorAction(root(11)));
    const block = assembleBlock({ ...built.block.header, txRoot: txRoot([bad]), txCount: 1 }, [bad]);
    const result = applyBlock(net.state, block);
    expect(result.ok ? 'accepted' : result.error.code).toBe('TX_REJECTED');
  });

  it('round-trips through bytes', () => {
    const decoded = decodeBlock(built.block.bytes, net.state.params.maxBlockBytes);
    expect(decoded.ok && toHex(decoded.value.hash)).toBe(toHex(built.block.hash));
    expect(decodeBlock(built.block.bytes.subarray(0, 40), 1 << 20).ok).toBe(false);
  });

  it('leaves out invalid candidates when building, with their reasons', () => {
    const good = makeTx(chainId, transport, 0, anchorAction(root(12)));
    const replay = good;
    const result = buildBlock(net.state, [good, replay], { time: net.state.lastBlockTime + 1, proposer: v0.publicKey });
    expect(result.block.txs).toHaveLength(1);
    expect(result.rejected.map((r) => r.error.code)).toEqual(['BAD_SEQUENCE']);
  });

});

