import { sha256 } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { makeTx, testNetwork } from './testing.js';
import type { Transaction } from './transaction.js';
import { applyTransaction } from './transition.js';
import { decodeTransaction, hasValidSignature, hasValidSignatureOnce } from './tx-codec.js';

const net = testNetwork();
const transport = net.issuers.get('transport')!;
const anchorBytes = makeTx(net.genesis.chainId, transport, 0, { kind: 'anchor', issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root: sha256(Uint8Array.of(9)), leafCount: 2 });

function decoded(bytes: Uint8Array): Transaction {
  const result = decodeTransaction(Uint8Array.from(bytes));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function forged(): Transaction {
  const bytes = Uint8Array.from(anchorBytes);
  bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 1;
  return decoded(bytes);
}

describe('signature verdicts', () => {
  it('agree between the two checks, for valid and forged signatures alike', () => {
    expect(hasValidSignatureOnce(decoded(anchorBytes))).toBe(true);
    expect(hasValidSignature(decoded(anchorBytes))).toBe(true);
    expect(hasValidSignatureOnce(forged())).toBe(false);
    expect(hasValidSignature(forged())).toBe(false);
  });

  it('stand for the decoded transaction: the state transition answers from a verdict made earlier', () => {
    const valid = decoded(anchorBytes);
    const bad = forged();
    hasValidSignatureOnce(valid);
    hasValidSignatureOnce(bad);
    const ctx = { height: 1, time: net.state.lastBlockTime + 1 };
    expect(applyTransaction(net.state, valid, ctx).ok).toBe(true);
    const refused = applyTransaction(net.state, bad, ctx);
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('BAD_SIGNATURE');
  });
});
