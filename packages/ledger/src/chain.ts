import { bytesEqual } from '@certledger/codec';
import { TXS_MISMATCH, assembleBlock, checkHeaderLinks, txRoot, txsMatchHeader, type Block } from './block.js';
import { LedgerRejection, fail, ok, reject, type LedgerError, type Result } from './errors.js';
import { stateRoot, validatorSetHash } from './state-root.js';
import type { State } from './state.js';
import type { Transaction } from './transaction.js';
import { applyTransaction, type TxInput } from './transition.js';

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

/** Answers a transaction decoded earlier from exactly these bytes, if one is at hand. */
export type DecodedTxLookup = (bytes: Uint8Array) => Transaction | undefined;

const nothingDecoded: DecodedTxLookup = () => undefined;

function applyAll(state: State, block: Block, decoded: DecodedTxLookup): ExecutedBlock {
  const ctx = { height: block.header.height, time: block.header.time };
  let current = state;
  const txs: Transaction[] = [];
  block.txs.forEach((bytes, index) => {
    // An earlier decoding stands in for decoding again only when it was made of these very bytes.
    const earlier = decoded(bytes);
    const result = applyTransaction(current, earlier && bytesEqual(earlier.bytes, bytes) ? earlier : bytes, ctx);
    if (!result.ok) throw new LedgerRejection('TX_REJECTED', `transaction ${index}: ${result.error.code}: ${result.error.message}`);
    current = result.value.state;
    txs.push(result.value.tx);
  });
  return { state: current, txs };
}

/** A block's outcome: the next state, and the block's transactions decoded, in block order. */
export interface ExecutedBlock {
  readonly state: State;
  readonly txs: readonly Transaction[];
}

/**
 * The state transition: a valid block gives the next state, anything else an error and the
 * state as it was. Pure: same state and block, same answer, on every node.
 */
export function applyBlock(state: State, block: Block): Result<State> {
  const executed = executeBlock(state, block);
  return executed.ok ? ok(executed.value.state) : executed;
}

/**
 * {@link applyBlock} that also answers the decoded transactions (a node indexes them) and
 * may take decodings made earlier (a node decodes each transaction on arrival): `decoded`
 * saves work only, the answer is the same with or without it.
 */
export function executeBlock(state: State, block: Block, decoded: DecodedTxLookup = nothingDecoded): Result<ExecutedBlock> {
  try {
    checkHeaderLinks(state, block.header, validatorSetHash(state.validators));
    if (block.txs.length > state.params.maxBlockTxs) reject('BLOCK_TOO_LARGE', `the block holds ${block.txs.length} transactions; the limit is ${state.params.maxBlockTxs}`);
    if (block.bytes.length > state.params.maxBlockBytes) reject('BLOCK_TOO_LARGE', `the block is ${block.bytes.length} bytes; the limit is ${state.params.maxBlockBytes}`);
    if (!txsMatchHeader(block)) reject('BAD_TX_ROOT', TXS_MISMATCH);
    const executed = applyAll(state, block, decoded);
    const next = finishBlock(executed.state, block);
    if (!bytesEqual(block.header.nextValidatorSetHash, validatorSetHash(next.validators))) {
      reject('BAD_VALIDATOR_SET_HASH', 'the header names another next validator set');
    }
    if (!bytesEqual(block.header.stateRoot, stateRoot(next))) reject('BAD_STATE_ROOT', 'the state root in the header is not the state this block produces');
    return ok({ state: next, txs: executed.txs });
  } catch (err) {
    if (err instanceof LedgerRejection) return fail(err.code, err.message);
    throw err;
  }
}

export interface BuiltBlock extends ExecutedBlock {
  readonly block: Block;
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
export function buildBlock(state: State, candidates: readonly TxInput[], options: BuildOptions): BuiltBlock {
  const height = state.height + 1;
  const time = Math.max(options.time, state.lastBlockTime + 1);
  const included: Uint8Array[] = [];
  const txs: Transaction[] = [];
  const rejected: { tx: Uint8Array; error: LedgerError }[] = [];
  let current = state;
  let bytes = 1024;
  for (const candidate of candidates) {
    const tx = candidate instanceof Uint8Array ? candidate : candidate.bytes;
    if (included.length >= state.params.maxBlockTxs || bytes + tx.length + 8 > state.params.maxBlockBytes) break;
    const result = applyTransaction(current, candidate, { height, time });
    if (!result.ok) {
      rejected.push({ tx, error: result.error });
      continue;
    }
    current = result.value.state;
    included.push(tx);
    txs.push(result.value.tx);
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
  return { block, state: finishBlock(current, block), txs, rejected };
}
