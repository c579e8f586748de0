export { HASH_BYTES, EMPTY_ROOT, leafHash, nodeHash } from './hashing.js';
export { merkleRoot, MerkleTree } from './tree.js';
export { rootFromInclusionProof, verifyInclusion, verifyConsistency } from './verify.js';
export { CompactMerkleLog, appendedState, type CompactMerkleLogState } from './compact-log.js';
export { InclusionVerifier } from './inclusion-verifier.js';
