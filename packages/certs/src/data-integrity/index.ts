export {
  addEddsaJcsProof,
  verifyEddsaJcsProof,
  DATA_INTEGRITY_PROOF,
  EDDSA_JCS_2022,
  type AddEddsaJcsProofOptions,
  type EddsaJcsProof,
  type ProofVerification,
  type PublicKeyResolver,
  type VerifyEddsaJcsProofOptions,
} from './eddsa-jcs-2022.js';
export { didKeyFromPublicKey, publicKeyFromDidKey, publicKeyFromMultibase, publicKeyMultibase } from './multikey.js';
