import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkCertificateFile, findAnchorProof, type JsonObject } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import { decodeTransaction } from '@certledger/ledger';
import { ANCHOR_TX_FILE, BATCH_FILE, CREDENTIALS_DIR, credentialFileName, credentialPath, forEachFile, readBatchInfo, type BatchInfo, type Progress } from './batch-folder.js';
import { readCertificateJson } from './certificate-files.js';
import { readTransactionFile } from './tx-file.js';

export interface Batch {
  readonly info: BatchInfo;
  /** The signed anchor transaction of anchor-tx.b64. */
  readonly anchorTx: Uint8Array;
}

/**
 * batch.json and the anchor transaction of a batch folder, refused unless they say the same:
 * the transaction is signed, so a batch.json edited after issuing (another root, say) would
 * otherwise send `anchor` or `revoke --batch` after something the issuer never signed.
 */
export function readBatch(dir: string): Batch {
  const info = readBatchInfo(dir);
  const txFile = join(dir, ANCHOR_TX_FILE);
  const tx = readTransactionFile(txFile);
  const decoded = decodeTransaction(tx.bytes);
  const body = decoded.ok ? decoded.value.body : undefined;
  const action = body?.action;
  if (!body || action?.kind !== 'anchor') throw new Error(`${txFile} does not hold an anchor transaction`);
  if (tx.id !== info.anchorTxId) throw new Error(`${txFile} holds transaction ${tx.id}, but ${BATCH_FILE} names ${info.anchorTxId}; the folder was changed after issuing`);
  const signed: Record<string, string | number> = {
    chainId: body.chainId,
    issuerId: action.issuerId,
    typeId: action.typeId,
    typeVersion: action.typeVersion,
    count: action.leafCount,
    root: toHex(action.root),
  };
  for (const [field, value] of Object.entries(signed)) {
    const claimed = info[field as keyof BatchInfo];
    if (claimed !== value) {
      throw new Error(`${join(dir, BATCH_FILE)} says ${field} ${claimed}, but the signed anchor transaction in ${ANCHOR_TX_FILE} has ${value}; the folder was changed after issuing`);
    }
  }
  return { info, anchorTx: tx.bytes };
}

/** Refuses a credentials folder that does not hold exactly the batch's file names (our own interrupted `.tmp` rewrites aside). */
function requireBatchFileNames(dir: string, count: number): void {
  const folder = join(dir, CREDENTIALS_DIR);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    throw new Error(`${dir} is not a whole batch: cannot list ${folder} (${(error as Error).message})`);
  }
  const expected = new Set(Array.from({ length: count }, (_, i) => credentialFileName(i, count)));
  const stray = names.find((name) => !expected.has(name) && !expected.has(name.replace(/\.tmp$/, '')));
  if (stray !== undefined) throw new Error(`${folder}/ holds ${stray}, which is not one of the batch's ${count} certificates; the folder was changed after issuing`);
  const present = new Set(names);
  const missing = [...expected].find((name) => !present.has(name));
  if (missing !== undefined) throw new Error(`${join(folder, missing)} is missing: the batch has ${count} certificates`);
}

/** Refuses a certificate file that is not this batch's certificate `index`, as issued. */
function requireIssuedCertificate(file: string, index: number, anchorTxId: string): void {
  const json = readCertificateJson(file);
  const { checks, facts } = checkCertificateFile(json, Date.now());
  if (!facts) throw new Error(`${file} is not a certificate: ${checks[0]?.message}`);
  if (toHex(facts.txId) !== anchorTxId) throw new Error(`${file} belongs to another batch: its anchor transaction is not the one in ${ANCHOR_TX_FILE}`);
  // Validity dates are the holder's concern, not the folder's.
  const broken = checks.find((check) => check.outcome === 'fail' && check.name !== 'validity');
  if (broken) throw new Error(`${file} was altered after issuing: ${broken.message}`);
  if (facts.hiddenFieldCount > 0) throw new Error(`${file} has ${facts.hiddenFieldCount} field${facts.hiddenFieldCount === 1 ? '' : 's'} hidden: it is a disclosed copy, not the certificate as issued`);
  const { leafIndex } = findAnchorProof(json as JsonObject).proof;
  if (leafIndex !== index) throw new Error(`${file} holds the batch's certificate ${leafIndex + 1}, not ${index + 1}`);
}

/**
 * Checks, before anything of the batch is sent, that its folder holds exactly the batch's
 * certificates, each unaltered, of this batch and in its place.
 */
export async function checkBatchCertificates(dir: string, batch: Batch, progress: Progress): Promise<void> {
  const { count, anchorTxId } = batch.info;
  requireBatchFileNames(dir, count);
  await forEachFile(count, (i) => requireIssuedCertificate(credentialPath(dir, i, count), i, anchorTxId), progress);
}
