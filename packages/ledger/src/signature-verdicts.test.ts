import { sha256 } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { makeTx, testNetwork } from './testing.js';
import type { Transaction } from './transaction.js';
import { applyTransaction } from './transition.js';
import { decodeTransaction, hasValidSignature, hasValidSignatureRemembered } from './tx-codec.js';

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
    expect(hasValidSignatureRemembered(decoded(anchorBytes))).toBe(true);
    expect(hasValidSignature(decoded(anchorBytes))).toBe(true);
    expect(hasValidSignatureRemembered(forged())).toBe(false);
    expect(hasValidSignature(forged())).toBe(false);
  });

  it('stand for the decoded transaction: the state transition answers from the check made earlier', () => {
    const ctx = { height: 1, time: net.state.lastBlockTime + 1 };
    const checked = decoded(anchorBytes);
    expect(hasValidSignature(checked)).toBe(true);
    // Spoiling the signature after the check shows that the transition does not check again.
    (checked.signature as Uint8Array)[0] = (checked.signature[0] as number) ^ 1;
    expect(applyTransaction(net.state, checked, ctx).ok).toBe(true);

    const unchecked = decoded(anchorBytes);
    (unchecked.signature as Uint8Array)[0] = (unchecked.signature[0] as number) ^ 1;
    const refused = applyTransaction(net.state, unchecked, ctx);
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('BAD_SIGNATURE');
  });
});
