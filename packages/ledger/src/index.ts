export * from './errors.js';
export * from './transaction.js';
export * from './state.js';
export { MAX_LEAF_COUNT, MAX_POWER, MAX_REVOCATIONS_PER_TX, MAX_TYPE_ISSUERS, checkIdentifier } from './action-codec.js';
export {
  TX_FORMAT_VERSION,
  DEFAULT_MAX_TX_BYTES,
  encodeTxBody,
  txSigningDigest,
  hasValidSignature,
  hasValidSignatureRemembered,
  governanceApprovalDigest,
  txId,
  decodeTransaction,
  prepareTransaction,
  approveGovernance,
  signTransaction,
  type UnsignedTx,
} from './tx-codec.js';
export { stateRoot, validatorSetHash, issuerToValue, certTypeToValue, validatorToValue } from './state-root.js';
export { EMPTY_LOG, appendToLog, logRoot, type CompactLogState } from './logs.js';
export { applyTransaction, type TxContext, type TxInput } from './transition.js';
export { BLOCK_FORMAT_VERSION, encodeHeader, decodeHeader, blockHash, txRoot, assembleBlock, decodeBlock, decodeReceivedBlock, type Block, type BlockHeader } from './block.js';
export { applyBlock, buildBlock, executeBlock, type BuiltBlock, type BuildOptions, type DecodedTxLookup, type ExecutedBlock } from './chain.js';
export { DEFAULT_PARAMS, MAX_BLOCK_TXS, parseGenesis, genesisToJson, genesisHash, genesisState, type Genesis } from './genesis.js';
export { MAX_VALIDATORS, MAX_TOTAL_POWER } from './validators.js';
export { encodeStateCore, decodeStateCore, anchorToValue, anchorFromValue, revocationToValue, revocationFromValue } from './state-codec.js';
