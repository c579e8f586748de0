import { bytesEqual, toHex } from '@certledger/codec';
import { checkCertificateFile, type CertificateFacts, type FileVerdict } from './file-checks.js';
import type { AnchorStatus, IssuerStatus, LedgerView } from './ledger-view.js';
import { locationProblem, offlineAnchorProblem, type TrustedValidators } from './offline-anchor.js';
import { CHECK_ORDER, failure, pass, skip, type Check, type CredentialSummary, type VerificationResult } from './verification-types.js';

export interface VerifyOptions {
  /** The moment to judge validity dates at, in ms since the epoch (the caller's clock). */
  readonly now: number;
  /** Online: ask a ledger (a node's state or a gateway) about anchor, issuer and revocation. */
  readonly ledger?: LedgerView;
  /** Offline: check the block header and commit carried in the file against these validators. */
  readonly trust?: TrustedValidators;
}

/** Where the ledger checks are: what they learn on the way feeds the later ones and the summary. */
interface LedgerContext {
  readonly facts: CertificateFacts;
  readonly options: Omit<VerifyOptions, 'now'>;
  anchorHeight: number | null;
  issuer: IssuerStatus | null;
  typeName: string | null;
  revocation: CredentialSummary['revocation'];
}

function keyProblem(issuer: IssuerStatus, key: Uint8Array, height: number): Check | undefined {
  const record = issuer.keys.find((k) => bytesEqual(k.publicKey, key));
  if (!record || record.addedAtHeight > height || (record.retiredAtHeight !== null && record.retiredAtHeight < height)) {
    return failure('issuer', 'UNKNOWN_ISSUER', `the signing key was not a key of "${issuer.displayName}" at height ${height}`);
  }
  if (record.compromisedFromHeight !== null && height >= record.compromisedFromHeight) {
    return failure('issuer', 'KEY_COMPROMISED', `"${issuer.displayName}" declared this key compromised from height ${record.compromisedFromHeight}; the batch was anchored at ${height}`);
  }
  return undefined;
}

async function checkIssuer(ctx: LedgerContext): Promise<Check> {
  const { facts, options } = ctx;
  const { issuerId } = facts;
  if (!options.ledger) {
    if (ctx.anchorHeight === null) return skip('issuer', `"${issuerId}" signed it; whether with its key of the time cannot be judged until the batch is found on a finalised block`);
    return pass('issuer', `"${issuerId}" signed it; the ledger accepted the anchor only from that department's current key (offline: from the finalised block)`);
  }
  const issuer = await options.ledger.issuer(issuerId);
  if (!issuer) return failure('issuer', 'UNKNOWN_ISSUER', `no issuing department "${issuerId}" is registered on the ledger`);
  ctx.issuer = issuer;
  if (ctx.anchorHeight === null) return skip('issuer', `"${issuer.displayName}" is registered; its key cannot be checked until the batch is found on the ledger`);
  return keyProblem(issuer, facts.issuerKey, ctx.anchorHeight) ?? pass('issuer', `issued by "${issuer.displayName}" (${issuerId}) with its key of that time`);
}

async function checkAuthorisation(ctx: LedgerContext): Promise<Check> {
  const { facts, options } = ctx;
  const { typeId, typeVersion } = facts;
  const claimed = facts.claimedType;
  if (claimed.typeId !== typeId || claimed.version !== typeVersion || claimed.chainId !== facts.chainId) {
    return failure('authorisation', 'NOT_AUTHORISED', `the credential claims type ${claimed.typeId} v${claimed.version} of chain "${claimed.chainId}", but its batch was anchored as ${typeId} v${typeVersion}`);
  }
  if (options.ledger) ctx.typeName = await options.ledger.certTypeName(typeId, typeVersion);
  if (ctx.anchorHeight === null) return skip('authorisation', 'cannot be judged until the batch is found on a finalised block');
  return pass('authorisation', `"${facts.issuerId}" was authorised for ${typeId} v${typeVersion} at height ${ctx.anchorHeight}: the ledger accepts anchors only from authorised departments`);
}

/** A location carried in the file must agree with itself and with the ledger, even when the ledger is asked. */
function locationMismatch(facts: CertificateFacts, anchor: AnchorStatus): string | undefined {
  const location = facts.location;
  if (!location) return undefined;
  if (location.height !== anchor.height) return `it says height ${location.height}, the ledger says ${anchor.height}`;
  if (anchor.blockHash && !bytesEqual(anchor.blockHash, location.blockHash)) return `it names block ${toHex(location.blockHash)}, the ledger's block at that height is ${toHex(anchor.blockHash)}`;
  return locationProblem(facts.anchorTransaction, location, facts.chainId);
}

async function checkAnchor(ctx: LedgerContext): Promise<Check> {
  const { facts, options } = ctx;
  const chainId = options.ledger?.chainId ?? options.trust?.chainId;
  if (chainId !== undefined && facts.chainId !== chainId) {
    return failure('anchor', 'WRONG_CHAIN', `the batch was anchored for chain "${facts.chainId}", this verifier trusts "${chainId}"`);
  }
  if (options.ledger) {
    const anchor = await options.ledger.anchor(facts.root);
    if (!anchor) return failure('anchor', 'NOT_ANCHORED', `batch root ${toHex(facts.root)} is not on the ledger`);
    if (!bytesEqual(anchor.txId, facts.txId)) return failure('anchor', 'NOT_ANCHORED', `batch root ${toHex(facts.root)} was anchored by another transaction than the one in the file`);
    const mismatch = locationMismatch(facts, anchor);
    if (mismatch) return failure('anchor', 'NOT_ANCHORED', `the anchor location in the file is wrong: ${mismatch}`);
    ctx.anchorHeight = anchor.height;
    return pass('anchor', `anchored at height ${anchor.height} in a finalised block`);
  }
  const location = facts.location;
  if (!location) return failure('anchor', 'NOT_ANCHORED', 'the file carries no block header and commit, so it cannot be checked offline');
  if (!options.trust) return failure('anchor', 'NOT_ANCHORED', 'neither a ledger to ask nor trusted validators were given');
  const problem = offlineAnchorProblem(facts.anchorTransaction, location, options.trust);
  if (problem) return failure('anchor', 'NOT_ANCHORED', problem);
  ctx.anchorHeight = location.height;
  return pass('anchor', `anchored at height ${location.height}; block ${toHex(location.blockHash)} is finalised by the trusted validators`);
}

async function checkRevocation(ctx: LedgerContext): Promise<Check> {
  const { facts, options } = ctx;
  if (!options.ledger) return skip('revocation', 'revocations cannot be checked offline; ask a node for the current status');
  if (!facts.leaf) return skip('revocation', 'cannot be checked for an altered certificate');
  const revoked = await options.ledger.revocation(facts.root, facts.leaf);
  if (!revoked) return pass('revocation', 'not revoked');
  ctx.revocation = { reason: revoked.reason, height: revoked.height };
  const what = revoked.wholeBatch ? 'its whole batch was revoked' : 'revoked';
  return failure('revocation', 'REVOKED', `${what} at height ${revoked.height}: ${revoked.reason}`);
}

function summarise(ctx: LedgerContext): CredentialSummary {
  const { facts } = ctx;
  return {
    id: facts.id,
    issuerId: facts.issuerId,
    issuerName: ctx.issuer?.displayName ?? facts.issuerName,
    issuerKey: facts.issuerDid,
    issuerSuspended: ctx.issuer?.suspended ?? null,
    typeId: facts.typeId,
    typeVersion: facts.typeVersion,
    typeName: ctx.typeName ?? facts.typeName,
    validFrom: facts.validFrom,
    validUntil: facts.validUntil,
    fields: facts.subject,
    hiddenFieldCount: facts.hiddenFieldCount,
    root: toHex(facts.root),
    leaf: facts.leaf && toHex(facts.leaf),
    anchor: ctx.anchorHeight === null ? null : { height: ctx.anchorHeight, txId: toHex(facts.txId), blockHash: facts.location ? toHex(facts.location.blockHash) : null },
    revocation: ctx.revocation,
  };
}

function resultOf(checks: readonly Check[], summary: CredentialSummary | null): VerificationResult {
  const ordered = CHECK_ORDER.map((name) => checks.find((c) => c.name === name) as Check);
  const firstFailure = ordered.find((c) => c.outcome === 'fail');
  return { valid: !firstFailure, reason: firstFailure?.outcome === 'fail' ? firstFailure.reason : null, checks: ordered, summary };
}

const LEDGER_CHECKS = ['anchor', 'issuer', 'authorisation', 'revocation'] as const;

/**
 * Finishes what {@link checkCertificateFile} began: the anchor, issuer, authorisation and
 * revocation checks against a ledger (or, offline, trusted validators), and the summary.
 */
export async function verifyFileAgainstLedger(file: FileVerdict, options: Omit<VerifyOptions, 'now'>): Promise<VerificationResult> {
  const { facts } = file;
  if (!facts) return resultOf([...file.checks, ...LEDGER_CHECKS.map((name) => skip(name, 'not checked: the file is malformed'))], null);
  const ctx: LedgerContext = { facts, options, anchorHeight: null, issuer: null, typeName: null, revocation: null };
  const anchor = await checkAnchor(ctx);
  const checks = [...file.checks, anchor, await checkIssuer(ctx), await checkAuthorisation(ctx), await checkRevocation(ctx)];
  return resultOf(checks, summarise(ctx));
}

/**
 * Verifies a certificate file (text, bytes or parsed JSON) and reports every check with its
 * outcome. Never throws for a bad certificate: the result says what is wrong.
 */
export async function verifyCertificate(input: unknown, options: VerifyOptions): Promise<VerificationResult> {
  return verifyFileAgainstLedger(checkCertificateFile(input, options.now), options);
}
