/** What a web page needs to check a certificate: no issuance, no schema compiler, no Node built-in. */
export { verifyCertificate, type VerifyOptions } from './verify.js';
export { connectLedger, GatewayAnswerError } from './http-ledger-view.js';
export { CHECK_ORDER, type Check, type CheckName, type CredentialSummary, type FailureReason, type VerificationResult } from './verification-types.js';
