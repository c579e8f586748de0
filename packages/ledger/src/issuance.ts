import { bytesEqual, encode, toHex } from '@certledger/codec';
import { leafHash } from '@certledger/merkle';
import { reject } from './errors.js';
import { appendToLog } from './logs.js';
import { certTypeKey, revocationKey, type AnchorRecord, type IssuerRecord, type RevocationRecord, type State } from './state.js';
import type { Anchor, Revoke, Transaction } from './transaction.js';

/** The issuer record whose current key sent the transaction; anyone else is refused. */
export function requireIssuerSender(state: State, issuerId: string, sender: Uint8Array): IssuerRecord {
  const issuer = state.issuers.get(issuerId);
  if (!issuer) reject('UNKNOWN_ISSUER', `no issuing department "${issuerId}" is registered`);
  const current = issuer.keys.at(-1);
  if (!current || !bytesEqual(current.publicKey, sender)) {
    reject('NOT_AUTHORISED', `the sender is not the current key of "${issuerId}"; only that department can act for it`);
  }
  return issuer;
}

function anchorLeaf(record: AnchorRecord): Uint8Array {
  return leafHash(
    encode([record.root, record.issuerId, record.typeId, record.typeVersion, record.leafCount, record.signerKey, record.height, record.txId]),
  );
}

function revocationLeaf(record: RevocationRecord): Uint8Array {
  return leafHash(encode([record.root, record.leaf, record.issuerId, record.reason, record.height, record.txId]));
}

export function applyAnchor(state: State, action: Anchor, tx: Transaction, height: number): State {
  const issuer = requireIssuerSender(state, action.issuerId, tx.body.sender);
  if (issuer.suspension) reject('ISSUER_SUSPENDED', `"${issuer.issuerId}" is suspended and cannot anchor certificates`);
  const typeKey = certTypeKey(action.typeId, action.typeVersion);
  const certType = state.certTypes.get(typeKey);
  if (!certType) reject('UNKNOWN_CERT_TYPE', `certificate type ${typeKey} is not registered`);
  if (!certType.issuers.includes(issuer.issuerId)) {
    reject('NOT_AUTHORISED_FOR_TYPE', `"${issuer.issuerId}" is not authorised to issue ${typeKey}`);
  }
  const rootHex = toHex(action.root);
  if (state.anchors.has(rootHex)) reject('DUPLICATE_ANCHOR', `batch root ${rootHex} is already anchored`);
  const record: AnchorRecord = {
    root: action.root,
    issuerId: action.issuerId,
    typeId: action.typeId,
    typeVersion: action.typeVersion,
    leafCount: action.leafCount,
    signerKey: tx.body.sender,
    height,
    txId: tx.id,
    logIndex: state.anchorLog.size,
  };
  return { ...state, anchors: state.anchors.set(rootHex, record), anchorLog: appendToLog(state.anchorLog, anchorLeaf(record)) };
}

export function applyRevoke(state: State, action: Revoke, tx: Transaction, height: number): State {
  requireIssuerSender(state, action.issuerId, tx.body.sender);
  let revocations = state.revocations;
  let log = state.revocationLog;
  for (const entry of action.revocations) {
    const rootHex = toHex(entry.root);
    const anchor = state.anchors.get(rootHex);
    if (!anchor) reject('UNKNOWN_ANCHOR', `no batch with root ${rootHex} is anchored`);
    if (anchor.issuerId !== action.issuerId) reject('NOT_ANCHOR_OWNER', `batch ${rootHex} was anchored by "${anchor.issuerId}", not "${action.issuerId}"`);
    const key = revocationKey(rootHex, entry.leaf && toHex(entry.leaf));
    if (revocations.has(key) || revocations.has(revocationKey(rootHex, null))) {
      reject('ALREADY_REVOKED', entry.leaf ? `certificate ${toHex(entry.leaf)} of batch ${rootHex} is already revoked` : `batch ${rootHex} is already revoked`);
    }
    const record: RevocationRecord = { root: entry.root, leaf: entry.leaf, issuerId: action.issuerId, reason: entry.reason, height, txId: tx.id, logIndex: log.size };
    revocations = revocations.set(key, record);
    log = appendToLog(log, revocationLeaf(record));
  }
  return { ...state, revocations, revocationLog: log };
}
