import { bytesEqual, toHex } from '@certledger/codec';
import { hasValidSignature } from '@certledger/ledger';
import { InclusionVerifier } from '@certledger/merkle';
import { DATA_INTEGRITY_PROOF, EDDSA_JCS_2022, verifyEddsaJcsProof } from './data-integrity/eddsa-jcs-2022.js';
import { publicKeyFromDidKey } from './data-integrity/multikey.js';
import { CertificateError } from './errors.js';
import { leafFromDisclosure } from './leaf.js';
import type { AnchorStatus, IssuerStatus, LedgerView } from './ledger-view.js';
import { locationProblem, offlineAnchorProblem, type TrustedValidators } from './offline-anchor.js';
import type { AnchorLocation } from './anchor-proof.js';
import { parseCertificate, type ParsedCertificate } from './parse-certificate.js';
import {
  CHECK_ORDER,
  failure,
  pass,
  skip,
  type Check,
  type CheckName,
  type CredentialSummary,
  type VerificationResult,
} from './verification-types.js';

export interface VerifyOptions {
  /** The moment to judge validity dates at, in ms since the epoch (the caller's clock). */
  readonly now: number;
  /** Online: ask a ledger (a node's state or a gateway) about anchor, issuer and revocation. */
  readonly ledger?: LedgerView;
  /** Offline: check the block header and commit carried in the file against these validators. */
  readonly trust?: TrustedValidators;
}

interface Context {
  readonly cert: ParsedCertificate;
  readonly options: VerifyOptions;
  leaf: Uint8Array | null;
  anchorHeight: number | null;
  issuer: IssuerStatus | null;
  typeName: string | null;
  revocation: CredentialSummary['revocation'];
}

/**
 * Certificates of one batch share the upper nodes of their inclusion paths: those already
 * verified up to a root are not hashed again (same answers as verifyInclusion). A batch of
 * 1000 needs about 1000 remembered steps; 16k of them take about 10 MB.
 */
const inclusion = new InclusionVerifier(16_384);

function checkIntegrity(ctx: Context): Check {
  const { cert } = ctx;
  let result;
  try {
    result = leafFromDisclosure(cert.unsecured, cert.proof.salts, cert.proof.hiddenDigests);
  } catch (err) {
    if (err instanceof CertificateError) return failure('integrity', 'MALFORMED', err.message);
    throw err;
  }
  if (!result.ok) return failure('integrity', 'TAMPERED', result.message);
  if (!inclusion.verify(result.leaf, cert.proof.leafIndex, cert.anchorAction.leafCount, cert.proof.inclusionPath, cert.anchorAction.root)) {
    return failure('integrity', 'TAMPERED', 'the fields, hidden-field digests or inclusion path do not lead to the anchored batch root: the certificate was altered');
  }
  ctx.leaf = result.leaf;
  const hidden = cert.proof.hiddenDigests.length;
  return pass('integrity', `every field matches what was issued${hidden ? ` (${hidden} hidden by the holder)` : ''}`);
}

function checkSignature({ cert }: Context): Check {
  const tx = cert.anchorTx;
  // parseCertificate gives every certificate of a batch the same transaction object, whose check is remembered.
  if (!hasValidSignature(tx)) return failure('signature', 'BAD_SIGNATURE', 'the signature on the batch root does not verify');
  if (!bytesEqual(tx.body.sender, cert.issuerKey)) {
    return failure('signature', 'BAD_SIGNATURE', `the credential names issuer key ${cert.issuerDid}, but the batch root was signed by another key`);
  }
  return pass('signature', `the batch root is signed by ${cert.issuerDid}`);
}

/** The optional W3C proof: it must be by the same key that signed the batch root, like the rest. */
function checkDataIntegrity({ cert }: Context): Check {
  const standard = cert.otherProofs.filter((p) => p.type === DATA_INTEGRITY_PROOF && p.cryptosuite === EDDSA_JCS_2022);
  if (standard.length === 0) return skip('dataIntegrity', 'no W3C Data Integrity proof (optional)');
  const issuerKeyOnly = (method: string): Uint8Array | undefined => {
    try {
      const key = publicKeyFromDidKey(method);
      return bytesEqual(key, cert.issuerKey) ? key : undefined;
    } catch {
      return undefined;
    }
  };
  const result = verifyEddsaJcsProof(cert.credential, issuerKeyOnly);
  if (!result.verified) return failure('dataIntegrity', 'BAD_SIGNATURE', `the W3C Data Integrity proof does not hold: ${result.reason}`);
  return pass('dataIntegrity', `the W3C Data Integrity proof (${EDDSA_JCS_2022}) is signed by ${cert.issuerDid}`);
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

async function checkIssuer(ctx: Context): Promise<Check> {
  const { cert, options } = ctx;
  const issuerId = cert.anchorAction.issuerId;
  if (!options.ledger) return pass('issuer', `"${issuerId}" signed it; the ledger accepted the anchor only from that department's current key (offline: from the finalised block)`);
  const issuer = await options.ledger.issuer(issuerId);
  if (!issuer) return failure('issuer', 'UNKNOWN_ISSUER', `no issuing department "${issuerId}" is registered on the ledger`);
  ctx.issuer = issuer;
  if (ctx.anchorHeight === null) return skip('issuer', `"${issuer.displayName}" is registered; its key cannot be checked until the batch is found on the ledger`);
  return keyProblem(issuer, cert.issuerKey, ctx.anchorHeight) ?? pass('issuer', `issued by "${issuer.displayName}" (${issuerId}) with its key of that time`);
}

async function checkAuthorisation(ctx: Context): Promise<Check> {
  const { cert, options } = ctx;
  const { typeId, typeVersion } = cert.anchorAction;
  const claimed = cert.claimedType;
  if (claimed.typeId !== typeId || claimed.version !== typeVersion || claimed.chainId !== cert.anchorTx.body.chainId) {
    return failure('authorisation', 'NOT_AUTHORISED', `the credential claims type ${claimed.typeId} v${claimed.version} of chain "${claimed.chainId}", but its batch was anchored as ${typeId} v${typeVersion}`);
  }
  if (options.ledger) ctx.typeName = await options.ledger.certTypeName(typeId, typeVersion);
  if (ctx.anchorHeight === null) return skip('authorisation', 'cannot be judged until the batch is found on a finalised block');
  return pass('authorisation', `"${cert.anchorAction.issuerId}" was authorised for ${typeId} v${typeVersion} at height ${ctx.anchorHeight}: the ledger accepts anchors only from authorised departments`);
}

/** A location carried in the file must agree with itself and with the ledger, even when the ledger is asked. */
function locationMismatch(cert: ParsedCertificate, anchor: AnchorStatus): string | undefined {
  const location = cert.proof.anchor as AnchorLocation;
  if (location.height !== anchor.height) return `it says height ${location.height}, the ledger says ${anchor.height}`;
  if (anchor.blockHash && !bytesEqual(anchor.blockHash, location.blockHash)) return `it names block ${toHex(location.blockHash)}, the ledger's block at that height is ${toHex(anchor.blockHash)}`;
  return locationProblem(cert.proof.anchorTransaction, location, cert.anchorTx.body.chainId);
}

async function checkAnchor(ctx: Context): Promise<Check> {
  const { cert, options } = ctx;
  const chainId = options.ledger?.chainId ?? options.trust?.chainId;
  if (chainId !== undefined && cert.anchorTx.body.chainId !== chainId) {
    return failure('anchor', 'WRONG_CHAIN', `the batch was anchored for chain "${cert.anchorTx.body.chainId}", this verifier trusts "${chainId}"`);
  }
  if (options.ledger) {
    const anchor = await options.ledger.anchor(cert.anchorAction.root);
    if (!anchor) return failure('anchor', 'NOT_ANCHORED', `batch root ${toHex(cert.anchorAction.root)} is not on the ledger`);
    if (!bytesEqual(anchor.txId, cert.anchorTx.id)) return failure('anchor', 'NOT_ANCHORED', `batch root ${toHex(cert.anchorAction.root)} was anchored by another transaction than the one in the file`);
    const mismatch = cert.proof.anchor && locationMismatch(cert, anchor);
    if (mismatch) return failure('anchor', 'NOT_ANCHORED', `the anchor location in the file is wrong: ${mismatch}`);
    ctx.anchorHeight = anchor.height;
    return pass('anchor', `anchored at height ${anchor.height} in a finalised block`);
  }
  const location = cert.proof.anchor;
  if (!location) return failure('anchor', 'NOT_ANCHORED', 'the file carries no block header and commit, so it cannot be checked offline');
  if (!options.trust) return failure('anchor', 'NOT_ANCHORED', 'neither a ledger to ask nor trusted validators were given');
  const problem = offlineAnchorProblem(cert.proof.anchorTransaction, location, options.trust);
  if (problem) return failure('anchor', 'NOT_ANCHORED', problem);
  ctx.anchorHeight = location.height;
  return pass('anchor', `anchored at height ${location.height}; block ${toHex(location.blockHash)} is finalised by the trusted validators`);
}

async function checkRevocation(ctx: Context): Promise<Check> {
  const { cert, options } = ctx;
  if (!options.ledger) return skip('revocation', 'revocations cannot be checked offline; ask a node for the current status');
  if (!ctx.leaf) return skip('revocation', 'cannot be checked for an altered certificate');
  const revoked = await options.ledger.revocation(cert.anchorAction.root, ctx.leaf);
  if (!revoked) return pass('revocation', 'not revoked');
  ctx.revocation = { reason: revoked.reason, height: revoked.height };
  const what = revoked.wholeBatch ? 'its whole batch was revoked' : 'revoked';
  return failure('revocation', 'REVOKED', `${what} at height ${revoked.height}: ${revoked.reason}`);
}

function checkValidity({ cert, options }: Context): Check {
  if (options.now < cert.validFromMs) return failure('validity', 'NOT_YET_VALID', `not valid before ${cert.validFrom}`);
  if (cert.validUntilMs !== null && options.now > cert.validUntilMs) return failure('validity', 'EXPIRED', `expired on ${cert.validUntil}`);
  return pass('validity', cert.validUntil ? `valid from ${cert.validFrom} until ${cert.validUntil}` : `valid from ${cert.validFrom}, with no end date`);
}

function summarise(ctx: Context): CredentialSummary {
  const { cert } = ctx;
  return {
    id: cert.id,
    issuerId: cert.anchorAction.issuerId,
    issuerName: ctx.issuer?.displayName ?? cert.issuerName,
    issuerKey: cert.issuerDid,
    issuerSuspended: ctx.issuer?.suspended ?? null,
    typeId: cert.anchorAction.typeId,
    typeVersion: cert.anchorAction.typeVersion,
    typeName: ctx.typeName ?? cert.typeName,
    validFrom: cert.validFrom,
    validUntil: cert.validUntil,
    fields: cert.subject,
    hiddenFieldCount: cert.proof.hiddenDigests.length,
    root: toHex(cert.anchorAction.root),
    leaf: ctx.leaf && toHex(ctx.leaf),
    anchor: ctx.anchorHeight === null ? null : { height: ctx.anchorHeight, txId: toHex(cert.anchorTx.id), blockHash: cert.proof.anchor ? toHex(cert.proof.anchor.blockHash) : null },
    revocation: ctx.revocation,
  };
}

function resultOf(checks: Check[], summary: CredentialSummary | null): VerificationResult {
  const ordered = CHECK_ORDER.map((name) => checks.find((c) => c.name === name) as Check);
  const firstFailure = ordered.find((c) => c.outcome === 'fail');
  return { valid: !firstFailure, reason: firstFailure?.outcome === 'fail' ? firstFailure.reason : null, checks: ordered, summary };
}

/**
 * Verifies a certificate file (text, bytes or parsed JSON) and reports every check with its
 * outcome. Never throws for a bad certificate: the result says what is wrong.
 */
export async function verifyCertificate(input: unknown, options: VerifyOptions): Promise<VerificationResult> {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(input);
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    const rest = CHECK_ORDER.filter((name): name is CheckName => name !== 'format').map((name) => skip(name, 'not checked: the file is malformed'));
    return resultOf([failure('format', 'MALFORMED', err.message), ...rest], null);
  }
  const ctx: Context = { cert, options, leaf: null, anchorHeight: null, issuer: null, typeName: null, revocation: null };
  const checks: Check[] = [pass('format', 'a well-formed W3C Verifiable Credential with a certledger proof')];
  checks.push(checkIntegrity(ctx), checkSignature(ctx), checkDataIntegrity(ctx));
  checks.push(await checkAnchor(ctx));
  checks.push(await checkIssuer(ctx), await checkAuthorisation(ctx), await checkRevocation(ctx), checkValidity(ctx));
  return resultOf(checks, summarise(ctx));
}
