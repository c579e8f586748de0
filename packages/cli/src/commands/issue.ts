import { join } from 'node:path';
import { addEddsaJcsProof, didKeyFromPublicKey, issueBatch, publicKeyMultibase, type JsonObject } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import { signerFromSeed } from '@certledger/crypto';
import { readKeyFile } from '@certledger/crypto/keyfile';
import type { Command } from 'commander';
import { DEFAULT_API, fetchAnchorLocation, fetchCertTypes, fetchChainId, fetchIssuer, fetchNextSeq, submitTransaction, TransactionRefusedError } from '../api-client.js';
import { checkBatchCertificates, readBatch } from '../batch-check.js';
import { attachAnchorToFiles, requireNewFolder, writeBatchFolder, writeBatchInfo, type BatchInfo } from '../batch-folder.js';
import { chooseCertType, readTypeSchema, requireCanIssue, schemaFileFor } from '../issuing.js';
import { parseApiUrl, parseDateTime, parseIdentifier, parseInteger, parseTypeReference, type TypeReference } from '../options.js';
import { withProgress } from '../progress.js';
import { readRecordFile } from '../records.js';

interface IssueOptions {
  type: TypeReference;
  issuer: string;
  key: string;
  out: string;
  schema?: string;
  network?: string;
  validFrom?: string;
  validUntil?: string;
  api: string;
  dataIntegrity?: boolean;
  wait: number;
}

/** Now, to the second, as a dateTimeStamp. */
function nowText(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Checks everything against the ledger, signs the batch and writes its folder. Kept apart
 * from anchoring so the records and credentials can be freed before the files are rewritten.
 */
async function signAndWrite(recordsFile: string, options: IssueOptions): Promise<{ info: BatchInfo; anchorTx: Uint8Array }> {
  const { api } = options;
  requireNewFolder(options.out);
  const key = readKeyFile(options.key);
  const chainId = await fetchChainId(api);
  const issuer = await fetchIssuer(api, options.issuer);
  requireCanIssue(options.issuer, issuer, key.publicKey);
  const type = chooseCertType(await fetchCertTypes(api), options.type, options.issuer);
  const schema = readTypeSchema(schemaFileFor(type, options.schema, options.network), type);
  const records = await readRecordFile(recordsFile, schema);
  const seq = await fetchNextSeq(api, key.publicKey);
  const createdAt = nowText();
  const verificationMethod = `${didKeyFromPublicKey(key.publicKey)}#${publicKeyMultibase(key.publicKey)}`;
  const addDataIntegrityProof = (credential: JsonObject): JsonObject => addEddsaJcsProof(credential, { secretKey: key.secretKey, verificationMethod, created: createdAt }) as JsonObject;

  const batch = await withProgress('signing certificates', records.length, (update) =>
    issueBatch(records, {
      chainId,
      issuerId: options.issuer,
      issuerDisplayName: issuer.displayName,
      signer: signerFromSeed(key.secretKey),
      seq,
      typeId: type.typeId,
      typeVersion: type.version,
      typeDisplayName: type.displayName,
      schema,
      validFrom: options.validFrom ?? createdAt,
      validUntil: options.validUntil ?? null,
      ...(options.dataIntegrity ? { addProof: addDataIntegrityProof } : {}),
      onProgress: update,
    }),
  );
  const info: BatchInfo = {
    format: 1,
    state: 'signed',
    chainId,
    issuerId: options.issuer,
    typeId: type.typeId,
    typeVersion: type.version,
    count: records.length,
    root: toHex(batch.root),
    anchorTxId: toHex(batch.anchorTxId),
    height: null,
    createdAt,
  };
  await withProgress('writing certificates', info.count, (update) => writeBatchFolder(options.out, info, batch.anchorTransaction, batch.credentials, update));
  process.stdout.write(`wrote ${info.count} certificates of ${type.typeId}@${type.version} to ${join(options.out, 'credentials')}; batch root ${info.root}\n`);
  return { info, anchorTx: batch.anchorTransaction };
}

type AnchorOutcome = { readonly height: number; readonly rewritten: number } | { readonly pending: string };

function anchorCommand(dir: string, api: string): string {
  return `certledger anchor ${JSON.stringify(dir)} --api ${api}`;
}

/** What to do when anchoring failed: retry later, unless the batch's sequence number was taken for good. */
function anchoringAdvice(error: unknown, dir: string, api: string): string {
  if (error instanceof TransactionRefusedError && error.code === 'BAD_SEQUENCE') {
    return `the batch in ${dir} can no longer be anchored: its transaction's sequence number is taken by another transaction of this key (wait for pending ones, then issue the records again into a new folder)`;
  }
  return `the signed batch is saved in ${dir}: once the cause is fixed, anchor it with ${anchorCommand(dir, api)}`;
}

/**
 * Submits the anchor (a committed one answers committed again) and gives every file its
 * location. A failure says whether running `anchor` later can still finish the batch.
 */
async function anchorBatch(dir: string, info: BatchInfo, anchorTx: Uint8Array, api: string, waitSeconds: number): Promise<AnchorOutcome> {
  try {
    const submitted = await submitTransaction(api, anchorTx, waitSeconds);
    if (!('height' in submitted)) return { pending: `${api}${submitted.statusUrl}` };
    const location = await fetchAnchorLocation(api, info.anchorTxId, anchorTx);
    const rewritten = await withProgress('adding anchor proofs', info.count, (update) => attachAnchorToFiles(dir, info, anchorTx, location, update));
    writeBatchInfo(dir, { ...info, state: 'anchored', height: location.height });
    return { height: location.height, rewritten };
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${anchoringAdvice(error, dir, api)}`);
  }
}

export function registerIssueCommands(program: Command): void {
  program
    .command('issue')
    .description('issue a batch of certificates from a CSV or JSON file of records, write them to a new folder and anchor the batch on the ledger')
    .argument('<records>', 'records: .csv (header row, dotted names for nested fields) or .json / .ndjson')
    .requiredOption('--type <type[@version]>', 'certificate type, e.g. driving-licence or driving-licence@1 (default: the newest version)', parseTypeReference)
    .requiredOption('--issuer <id>', 'the issuing department', parseIdentifier)
    .requiredOption('--key <file>', "the department's current key file")
    .requiredOption('--out <dir>', 'a new or empty folder for the batch')
    .option('--schema <file>', "the type's JSON Schema (must hash to the ledger's)")
    .option('--network <dir>', 'the network folder from certledger init; its schemas/ holds the type schema')
    .option('--valid-from <date-time>', 'start of validity, e.g. 2026-01-01T00:00:00Z (default: now)', parseDateTime)
    .option('--valid-until <date-time>', 'end of validity (default: none)', parseDateTime)
    .option('--api <url>', 'the node HTTP API', parseApiUrl, DEFAULT_API)
    .option('--data-integrity', 'also sign each certificate with a W3C Data Integrity proof (eddsa-jcs-2022)')
    .option('--wait <seconds>', 'wait this long for the anchor to commit, 0 to 60', parseInteger(0, 60), 60)
    .action(async (recordsFile: string, options: IssueOptions) => {
      const { info, anchorTx } = await signAndWrite(recordsFile, options);
      const outcome = await anchorBatch(options.out, info, anchorTx, options.api, options.wait);
      if ('pending' in outcome) {
        process.stdout.write(`anchor transaction ${info.anchorTxId} is pending (${outcome.pending}); finish the batch later with ${anchorCommand(options.out, options.api)}\n`);
      } else {
        process.stdout.write(`anchored at height ${outcome.height}: ${info.count} certificates in ${options.out} are ready\n`);
      }
    });

  program
    .command('anchor')
    .description("submit a batch's anchor transaction again if needed and add the anchor location to every certificate; safe to run again")
    .argument('<batch-dir>', 'a folder written by certledger issue')
    .option('--api <url>', 'the node HTTP API', parseApiUrl, DEFAULT_API)
    .option('--wait <seconds>', 'wait this long for the anchor to commit, 0 to 60', parseInteger(0, 60), 60)
    .action(async (dir: string, options: { api: string; wait: number }) => {
      const batch = readBatch(dir);
      const { info, anchorTx } = batch;
      await withProgress('checking certificates', info.count, (update) => checkBatchCertificates(dir, batch, update));
      const chainId = await fetchChainId(options.api);
      if (chainId !== info.chainId) throw new Error(`the batch was issued on chain "${info.chainId}", but ${options.api} serves "${chainId}"`);
      const outcome = await anchorBatch(dir, info, anchorTx, options.api, options.wait);
      if ('pending' in outcome) throw new Error(`anchor transaction ${info.anchorTxId} is still pending after ${options.wait} s (${outcome.pending}); run this command again later`);
      const untouched = info.count - outcome.rewritten;
      process.stdout.write(`batch ${info.root} anchored at height ${outcome.height}: ${outcome.rewritten} certificate files updated${untouched ? `, ${untouched} already had the anchor` : ''}\n`);
    });
}
