import { bytesEqual } from '@certledger/codec';
import { hasValidSignatureRemembered } from '@certledger/ledger';
import { InclusionVerifier } from '@certledger/merkle';
import type { AnchorLocation } from './anchor-proof.js';
import { DATA_INTEGRITY_PROOF, EDDSA_JCS_2022, verifyEddsaJcsProof } from './data-integrity/eddsa-jcs-2022.js';
import { publicKeyFromDidKey } from './data-integrity/multikey.js';
import { CertificateError } from './errors.js';
import type { JsonObject } from './json.js';
import { leafFromDisclosure } from './leaf.js';
import { parseCertificate, type ParsedCertificate } from './parse-certificate.js';
import { failure, pass, skip, type Check } from './verification-types.js';

/**
 * What the ledger checks need to know of a certificate file. Plain data (texts, numbers,
 * byte arrays), so a file can be checked in a worker thread and the rest done where the
 * ledger is.
 */
export interface CertificateFacts {
  readonly id: string;
  readonly issuerDid: string;
  readonly issuerKey: Uint8Array;
  /** The department's and the type's names as the file gives them. */
  readonly issuerName: string;
  readonly typeName: string;
  readonly claimedType: { readonly chainId: string; readonly typeId: string; readonly version: number };
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly subject: JsonObject;
  readonly hiddenFieldCount: number;
  /** The anchor transaction: its bytes, id, chain and what it anchored. */
  readonly anchorTransaction: Uint8Array;
  readonly txId: Uint8Array;
  readonly chainId: string;
  readonly issuerId: string;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly root: Uint8Array;
  /** Where the file says the anchor sits, when it carries the block header and commit. */
  readonly location: AnchorLocation | null;
  /** The certificate's leaf, when its fields lead to the anchored root; null when they do not. */
  readonly leaf: Uint8Array | null;
}

/** The checks a file answers by itself (format, integrity, signature, dataIntegrity, validity), and its facts (null when malformed). */
export interface FileVerdict {
  readonly checks: readonly Check[];
  readonly facts: CertificateFacts | null;
}

/**
 * Certificates of one batch share the upper nodes of their inclusion paths: those already
 * verified up to a root are not hashed again (same answers as verifyInclusion). A batch of
 * 1000 needs about 1000 remembered steps; 16k of them take about 10 MB.
 */
const inclusion = new InclusionVerifier(16_384);

function checkIntegrity(cert: ParsedCertificate): { check: Check; leaf: Uint8Array | null } {
  let result;
  try {
    result = leafFromDisclosure(cert.unsecured, cert.proof.salts, cert.proof.hiddenDigests);
  } catch (err) {
    if (err instanceof CertificateError) return { check: failure('integrity', 'MALFORMED', err.message), leaf: null };
    throw err;
  }
  if (!result.ok) return { check: failure('integrity', 'TAMPERED', result.message), leaf: null };
  if (!inclusion.verify(result.leaf, cert.proof.leafIndex, cert.anchorAction.leafCount, cert.proof.inclusionPath, cert.anchorAction.root)) {
    return { check: failure('integrity', 'TAMPERED', 'the fields, hidden-field digests or inclusion path do not lead to the anchored batch root: the certificate was altered'), leaf: null };
  }
  const hidden = cert.proof.hiddenDigests.length;
  return { check: pass('integrity', `every field matches what was issued${hidden ? ` (${hidden} hidden by the holder)` : ''}`), leaf: result.leaf };
}

function checkSignature(cert: ParsedCertificate): Check {
  const tx = cert.anchorTx;
  // parseCertificate gives every certificate of a batch the same transaction object, whose check is remembered.
  if (!hasValidSignatureRemembered(tx)) return failure('signature', 'BAD_SIGNATURE', 'the signature on the batch root does not verify');
  if (!bytesEqual(tx.body.sender, cert.issuerKey)) {
    return failure('signature', 'BAD_SIGNATURE', `the credential names issuer key ${cert.issuerDid}, but the batch root was signed by another key`);
  }
  return pass('signature', `the batch root is signed by ${cert.issuerDid}`);
}

/** The optional W3C proof: it must be by the same key that signed the batch root, like the rest. */
function checkDataIntegrity(cert: ParsedCertificate): Check {
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

function checkValidity(cert: ParsedCertificate, now: number): Check {
  if (now < cert.validFromMs) return failure('validity', 'NOT_YET_VALID', `not valid before ${cert.validFrom}`);
  if (cert.validUntilMs !== null && now > cert.validUntilMs) return failure('validity', 'EXPIRED', `expired on ${cert.validUntil}`);
  return pass('validity', cert.validUntil ? `valid from ${cert.validFrom} until ${cert.validUntil}` : `valid from ${cert.validFrom}, with no end date`);
}

function factsOf(cert: ParsedCertificate, leaf: Uint8Array | null): CertificateFacts {
  const { anchorTx, anchorAction } = cert;
  return {
    id: cert.id,
    issuerDid: cert.issuerDid,
    issuerKey: cert.issuerKey,
    issuerName: cert.issuerName,
    typeName: cert.typeName,
    claimedType: cert.claimedType,
    validFrom: cert.validFrom,
    validUntil: cert.validUntil,
    subject: cert.subject,
    hiddenFieldCount: cert.proof.hiddenDigests.length,
    anchorTransaction: cert.proof.anchorTransaction,
    txId: anchorTx.id,
    chainId: anchorTx.body.chainId,
    issuerId: anchorAction.issuerId,
    typeId: anchorAction.typeId,
    typeVersion: anchorAction.typeVersion,
    root: anchorAction.root,
    location: cert.proof.anchor,
    leaf,
  };
}

const FILE_CHECKS = ['integrity', 'signature', 'dataIntegrity', 'validity'] as const;

/**
 * The checks a certificate file (text, bytes or parsed JSON) answers without a ledger, judged
 * at `now` (ms since the epoch), and the facts the ledger checks need. Pure and synchronous:
 * safe to run in a worker thread. Never throws for a bad certificate.
 */
export function checkCertificateFile(input: unknown, now: number): FileVerdict {
  // NaN (e.g. Date.parse of a leap second) would pass every validity date.
  if (!Number.isFinite(now)) throw new CertificateError('BAD_OPTIONS', `the moment to judge validity dates at must be milliseconds since the epoch, got ${now}`);
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(input);
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    return { checks: [failure('format', 'MALFORMED', err.message), ...FILE_CHECKS.map((name) => skip(name, 'not checked: the file is malformed'))], facts: null };
  }
  const integrity = checkIntegrity(cert);
  const checks = [pass('format', 'a well-formed W3C Verifiable Credential with a certledger proof'), integrity.check, checkSignature(cert), checkDataIntegrity(cert), checkValidity(cert, now)];
  return { checks, facts: factsOf(cert, integrity.leaf) };
}
