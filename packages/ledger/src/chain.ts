import { bytesEqual } from '@certledger/codec';
import { assembleBlock, checkHeaderLinks, txRoot, type Block } from './block.js';
import { LedgerRejection, fail, ok, reject, type LedgerError, type Result } from './errors.js';
import { stateRoot, validatorSetHash } from './state-root.js';
import type { State } from './state.js';
import { applyTransaction } from './transition.js';

/** Moves to the new height: scheduled validator sets due for the next block take over. */
function finishBlock(state: State, block: Block): State {
  const nextHeight = block.header.height + 1;
  const due = state.pendingValidatorSets.find((p) => p.effectiveHeight === nextHeight);
  return {
    ...state,
    height: block.header.height,
    lastBlockHash: block.hash,
    lastBlockTime: block.header.time,
    validators: due ? due.validators : state.validators,
    pendingValidatorSets: state.pendingValidatorSets.filter((p) => p.effectiveHeight > nextHeight),
  };
}

function applyAll(state: State, txs: readonly Uint8Array[], height: number, time: number): State {
  let current = state;
  txs.forEach((bytes, index) => {
    const result = applyTransaction(current, bytes, { height, time });
    if (!result.ok) throw new LedgerRejection('TX_REJECTED', `transaction ${index}: ${result.error.code}: ${result.error.message}`);
    current = result.value.state;
  });
  return current;
}

/**
 * The state transition: a valid block gives the next state, anything else an error and the
 * state as it was. Pure: same state and block, same answer, on every node.
 */
export function applyBlock(state: State, block: Block): Result<State> {
  try {
    checkHeaderLinks(state, block.header, validatorSetHash(state.validators));
    if (block.txs.length > state.params.maxBlockTxs) reject('BLOCK_TOO_LARGE', `the block holds ${block.txs.length} transactions; the limit is ${state.params.maxBlockTxs}`);
    if (block.bytes.length > state.params.maxBlockBytes) reject('BLOCK_TOO_LARGE', `the block is ${block.bytes.length} bytes; the limit is ${state.params.maxBlockBytes}`);
    if (block.header.txCount !== block.txs.length || !bytesEqual(block.header.txRoot, txRoot(block.txs))) {
      reject('BAD_TX_ROOT', 'the transactions do not match the header');
    }
    const next = finishBlock(applyAll(state, block.txs, block.header.height, block.header.time), block);
    if (!bytesEqual(block.header.nextValidatorSetHash, validatorSetHash(next.validators))) {
      reject('BAD_VALIDATOR_SET_HASH', 'the header names another next validator set');
    }
    if (!bytesEqual(block.header.stateRoot, stateRoot(next))) reject('BAD_STATE_ROOT', 'the state root in the header is not the state this block produces');
    return ok(next);
  } catch (err) {
    if (err instanceof LedgerRejection) return fail(err.code, err.message);
    throw err;
  }
}

export interface BuiltBlock {
  readonly block: Block;
  readonly state: State;
  /** Candidates left out, with the reason, so the mempool can drop or keep them. */
  readonly rejected: readonly { readonly tx: Uint8Array; readonly error: LedgerError }[];
}

export interface BuildOptions {
  readonly time: number;
  readonly proposer: Uint8Array;
}

/**
 * Makes a valid block from candidate transactions in order, leaving out any that fail
 * against the state so far and stopping at the block limits.
 */
export function buildBlock(state: State, candidates: readonly Uint8Array[], options: BuildOptions): BuiltBlock {
  const height = state.height + 1;
  const time = Math.max(options.time, state.lastBlockTime + 1);
  const included: Uint8Array[] = [];
  const rejected: { tx: Uint8Array; error: LedgerError }[] = [];
  let current = state;
  let bytes = 1024;
  for (const tx of candidates) {
    if (included.length >= state.params.maxBlockTxs || bytes + tx.length + 8 > state.params.maxBlockBytes) break;
    const result = applyTransaction(current, tx, { height, time });
    if (!result.ok) {
      rejected.push({ tx, error: result.error });
      continue;
    }
    current = result.value.state;
    included.push(tx);
    bytes += tx.length + 8;
  }
  const validatorSetHashNow = validatorSetHash(state.validators);
  const draft = assembleBlock(
    {
      chainId: state.chainId,
      height,
      time,
      previousHash: state.lastBlockHash,
      txRoot: txRoot(included),
      txCount: included.length,
      stateRoot: new Uint8Array(32),
      validatorSetHash: validatorSetHashNow,
      nextValidatorSetHash: new Uint8Array(32),
      proposer: options.proposer,
    },
    included,
  );
  const next = finishBlock(current, draft);
  const block = assembleBlock({ ...draft.header, stateRoot: stateRoot(next), nextValidatorSetHash: validatorSetHash(next.validators) }, included);
  return { block, state: finishBlock(current, block), rejected };
}
