export type { Json, JsonObject } from './json.js';
export { CertificateError } from './errors.js';
export { VC_CONTEXT_V2, CREDENTIAL_TYPE, certTypeUrn, parseCertTypeUrn, parseDateTimeStamp } from './credential.js';
export {
  addEddsaJcsProof,
  verifyEddsaJcsProof,
  DATA_INTEGRITY_PROOF,
  EDDSA_JCS_2022,
  didKeyFromPublicKey,
  publicKeyFromDidKey,
  publicKeyMultibase,
  publicKeyFromMultibase,
  type AddEddsaJcsProofOptions,
  type EddsaJcsProof,
  type ProofVerification,
  type PublicKeyResolver,
  type VerifyEddsaJcsProofOptions,
} from './data-integrity/index.js';
export { flattenEntries, entryDigest, credentialDigest, MAX_ENTRIES, type Entry, type EntryKind, type PathSegment } from './entries.js';
export { ANCHOR_PROOF_TYPE, anchorProofToJson, parseAnchorProof, findAnchorProof, type AnchorLocation, type AnchorProof } from './anchor-proof.js';
export { schemaHash, compileRecordSchema } from './schema.js';
export { issueBatch, attachAnchorLocation, MAX_BATCH, type IssueBatchOptions, type IssuedBatch } from './issue.js';
export { discloseCertificate, parseFieldPath } from './disclose.js';
export { strictJsonFault, MAX_NESTING, type StrictJsonFault } from './strict-json.js';
export { parseCertificate, parseCertificateJson, MAX_CERTIFICATE_BYTES, type ParsedCertificate } from './parse-certificate.js';
export { ledgerViewFromState, type LedgerView, type AnchorStatus, type IssuerStatus, type IssuerKeyStatus, type RevocationStatus } from './ledger-view.js';
export { type TrustedValidators } from './offline-anchor.js';
export { verifyCertificate, verifyFileAgainstLedger, type VerifyOptions } from './verify.js';
export { checkCertificateFile, type CertificateFacts, type FileVerdict } from './file-checks.js';
export { CHECK_ORDER, type Check, type CheckName, type CredentialSummary, type FailureReason, type VerificationResult } from './verification-types.js';
export { renderCertificateHtml, verifierLink, type RenderOptions } from './render.js';
export { connectLedger, GatewayAnswerError, type FetchFn } from './http-ledger-view.js';
