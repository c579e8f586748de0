import { sha256 } from '@certledger/codec';
import { signerFromSeed, type Signer } from '@certledger/crypto';
import { DEFAULT_PARAMS, genesisState, type Genesis } from './genesis.js';
import type { State } from './state.js';
import type { Action } from './transaction.js';
import { approveGovernance, prepareTransaction, signTransaction } from './tx-codec.js';

/** The seed behind {@link testSigner}, for tests that need key files. */
export function testSeed(name: string): Uint8Array {
  return sha256(new TextEncoder().encode(`certledger test key ${name}`));
}

/**
 * A small network for tests and benchmarks: keys derived from names, so every run and every
 * process builds the same chain. Never for real use: anyone can derive these keys.
 */
export function testSigner(name: string): Signer {
  return signerFromSeed(testSeed(name));
}

/**
 * The test types' registered schema is `{"type":"object"}` (any record): this is the SHA-256 of
 * its RFC 8785 form, what certs' `schemaHash` gives for it.
 */
export const ANY_OBJECT_SCHEMA_HASH = sha256(new TextEncoder().encode('{"type":"object"}'));

export interface TestNetwork {
  readonly genesis: Genesis;
  readonly validators: readonly Signer[];
  readonly issuers: ReadonlyMap<string, Signer>;
  readonly state: State;
}

/**
 * `extraIssuers` adds departments `dept-0`, `dept-1`... authorised for `bench-licence@1`, so
 * load tests can spread transactions over many senders.
 */
export function testNetwork(validatorCount = 4, chainId = 'test-chain', extraIssuers = 0): TestNetwork {
  const validators = Array.from({ length: validatorCount }, (_, i) => testSigner(`validator-${i}`));
  const extraIds = Array.from({ length: extraIssuers }, (_, i) => `dept-${i}`);
  const issuerIds = ['transport', 'health', ...extraIds];
  const issuers = new Map(issuerIds.map((id) => [id, testSigner(`issuer-${id}`)]));
  const displayNames: Record<string, string> = { transport: 'Department of Transport', health: 'Department of Health' };
  const genesis: Genesis = {
    chainId,
    genesisTime: 1_700_000_000_000,
    params: DEFAULT_PARAMS,
    validators: validators
      .map((v, i) => ({ publicKey: v.publicKey, power: 10, name: `validator-${i}` }))
      .sort((a, b) => Buffer.compare(a.publicKey, b.publicKey)),
    issuers: issuerIds.map((issuerId) => ({ issuerId, displayName: displayNames[issuerId] ?? `Department ${issuerId}`, publicKey: issuers.get(issuerId)!.publicKey })),
    certTypes: [
      { typeId: 'driving-licence', version: 1, displayName: 'Driving licence', schemaHash: ANY_OBJECT_SCHEMA_HASH, issuers: ['transport'] },
      { typeId: 'nurse-licence', version: 1, displayName: 'Nursing licence', schemaHash: ANY_OBJECT_SCHEMA_HASH, issuers: ['health'] },
      ...(extraIds.length > 0 ? [{ typeId: 'bench-licence', version: 1, displayName: 'Benchmark licence', schemaHash: ANY_OBJECT_SCHEMA_HASH, issuers: extraIds }] : []),
    ],
  };
  return { genesis, validators, issuers, state: genesisState(genesis) };
}

/** A signed transaction; governance actions get approvals from `approvers`. */
export function makeTx(chainId: string, sender: Signer, seq: number, action: Action, approvers: readonly Signer[] = []): Uint8Array {
  const unsigned = prepareTransaction({ chainId, sender: sender.publicKey, seq, action });
  return signTransaction(unsigned, sender, approvers.map((a) => approveGovernance(unsigned, a)));
}

/** A signed anchor of a batch root by a test network's issuing department. */
export function testAnchorTx(chainId: string, seq: number, root: Uint8Array, issuerId = 'transport', typeId = 'driving-licence'): Uint8Array {
  const issuer = testSigner(`issuer-${issuerId}`);
  const fields = { issuerId, typeId, typeVersion: 1, root, leafCount: 1 };
  const action: Action = { kind: 'anchor', ...fields };
  return makeTx(chainId, issuer, seq, action);
}
