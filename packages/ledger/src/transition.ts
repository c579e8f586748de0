import { toHex } from '@certledger/codec';
import { LedgerRejection, fail, ok, reject, type Result } from './errors.js';
import { applyGovernance, checkApprovals } from './governance.js';
import { applyAnchor, applyRevoke } from './issuance.js';
import type { State } from './state.js';
import { isGovernanceAction, type Transaction } from './transaction.js';
import { decodeTransaction, hasValidSignature } from './tx-codec.js';

/** Where in the chain a transaction is being applied: the block's height and time. */
export interface TxContext {
  readonly height: number;
  readonly time: number;
}

/**
 * Applies one decoded transaction, or throws a LedgerRejection. Checks run cheapest-first
 * after the signature, so a forged transaction is reported as forged, not as out of order.
 */
export function applyTransactionUnchecked(state: State, tx: Transaction, ctx: TxContext): State {
  const { body } = tx;
  if (body.chainId !== state.chainId) reject('WRONG_CHAIN', `the transaction is for chain "${body.chainId}", this is "${state.chainId}"`);
  if (!hasValidSignature(tx)) {
    reject('BAD_SIGNATURE', 'the transaction signature does not verify under its sender key');
  }
  const senderHex = toHex(body.sender);
  const expectedSeq = state.nonces.get(senderHex) ?? 0;
  if (body.seq !== expectedSeq) {
    reject('BAD_SEQUENCE', body.seq < expectedSeq ? `sequence ${body.seq} was already used (replay); next is ${expectedSeq}` : `sequence ${body.seq} is ahead; next is ${expectedSeq}`);
  }
  const { action } = body;
  let next: State;
  if (isGovernanceAction(action)) {
    checkApprovals(state, tx);
    next = applyGovernance(state, action, ctx.height);
  } else if (action.kind === 'anchor') {
    next = applyAnchor(state, action, tx, ctx.height);
  } else if (action.kind === 'revoke') {
    next = applyRevoke(state, action, tx, ctx.height);
  } else {
    reject('MALFORMED_TX', 'unknown transaction kind');
  }
  return { ...next, nonces: next.nonces.set(senderHex, expectedSeq + 1) };
}

/**
 * Transaction bytes as received, or the transaction `decodeTransaction` made of them earlier: a
 * node decodes each transaction once, on arrival, and hands the result on to its block.
 */
export type TxInput = Uint8Array | Transaction;

/** Decodes under this state's size limit; an earlier decoding is held to the same limit. */
function decodeInput(state: State, input: TxInput): Result<Transaction> {
  const maxBytes = state.params.maxTxBytes;
  if (input instanceof Uint8Array) return decodeTransaction(input, maxBytes);
  if (input.bytes.length > maxBytes) return fail('TX_TOO_LARGE', `the transaction is ${input.bytes.length} bytes; the limit is ${maxBytes}`);
  return ok(input);
}

/** Applies one transaction; the state is untouched when the answer is an error. */
export function applyTransaction(state: State, input: TxInput, ctx: TxContext): Result<{ state: State; tx: Transaction }> {
  const decoded = decodeInput(state, input);
  if (!decoded.ok) return decoded;
  try {
    return ok({ state: applyTransactionUnchecked(state, decoded.value, ctx), tx: decoded.value });
  } catch (err) {
    if (err instanceof LedgerRejection) return fail(err.code, err.message);
    throw err;
  }
}
