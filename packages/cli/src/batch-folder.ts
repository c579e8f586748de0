import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesEqual, firstUnknownKey, toHex } from '@certledger/codec';
import { attachAnchorLocation, findAnchorProof, type AnchorLocation, type AnchorProof, type JsonObject } from '@certledger/certs';
import { readJsonFile } from '@certledger/node/files';

/**
 * A batch folder, as `certledger issue` writes it and `certledger anchor` finishes it:
 *   batch.json          what the batch is and whether its anchor is committed
 *   anchor-tx.b64       the signed anchor transaction, base64
 *   credentials/N.json  one certificate a record, N the record number, zero-padded
 */
export const BATCH_FILE = 'batch.json';
export const ANCHOR_TX_FILE = 'anchor-tx.b64';
export const CREDENTIALS_DIR = 'credentials';
const BATCH_FORMAT = 1;
/** Files handled between two chances for the progress bar to be drawn. */
const YIELD_EVERY = 500;

export interface BatchInfo {
  readonly format: typeof BATCH_FORMAT;
  /** "signed": written, the anchor not known to be committed; "anchored": every file carries its anchor location. */
  readonly state: 'signed' | 'anchored';
  readonly chainId: string;
  readonly issuerId: string;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly count: number;
  /** Batch root and anchor transaction id, hex. */
  readonly root: string;
  readonly anchorTxId: string;
  /** Height of the block holding the anchor, once committed. */
  readonly height: number | null;
  readonly createdAt: string;
}

export type Progress = (done: number) => void;

/** Refuses a folder that exists and is not empty, so no earlier batch is ever overwritten. */
export function requireNewFolder(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is a file; choose a new folder for the batch`);
  if (readdirSync(dir).length > 0) throw new Error(`${dir} is not empty; choose a new folder for the batch so nothing is overwritten`);
}

export function credentialFileName(index: number, count: number): string {
  return `${String(index + 1).padStart(String(count).length, '0')}.json`;
}

export function credentialPath(dir: string, index: number, count: number): string {
  return join(dir, CREDENTIALS_DIR, credentialFileName(index, count));
}

function credentialText(credential: JsonObject): string {
  return `${JSON.stringify(credential, null, 2)}\n`;
}

/**
 * Runs `task(i)` for i in 0..count-1, reporting progress. Small files are read and written
 * with synchronous calls, far cheaper per file than the thread pool's round trips; the loop
 * yields now and then so the progress bar is drawn.
 */
export async function forEachFile(count: number, task: (index: number) => void, progress: Progress): Promise<void> {
  for (let i = 0; i < count; i++) {
    task(i);
    if ((i + 1) % YIELD_EVERY === 0 || i + 1 === count) {
      progress(i + 1);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Written last, so a folder with a batch.json holds a whole batch. Replaced atomically. */
export function writeBatchInfo(dir: string, info: BatchInfo): void {
  const file = join(dir, BATCH_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Writes a new batch folder: the credentials (never overwriting a file), the anchor transaction, then batch.json. */
export async function writeBatchFolder(dir: string, info: BatchInfo, anchorTx: Uint8Array, credentials: readonly JsonObject[], progress: Progress): Promise<void> {
  requireNewFolder(dir);
  mkdirSync(join(dir, CREDENTIALS_DIR), { recursive: true });
  const count = credentials.length;
  await forEachFile(count, (i) => writeFileSync(credentialPath(dir, i, count), credentialText(credentials[i] as JsonObject), { flag: 'wx' }), progress);
  writeFileSync(join(dir, ANCHOR_TX_FILE), `${Buffer.from(anchorTx).toString('base64')}\n`, { flag: 'wx' });
  writeBatchInfo(dir, info);
}

const HEX_32 = /^[0-9a-f]{64}$/;
const MAX_BATCH_FILE_BYTES = 64 * 1024;
const BATCH_FIELDS = ['format', 'state', 'chainId', 'issuerId', 'typeId', 'typeVersion', 'count', 'root', 'anchorTxId', 'height', 'createdAt'];

/**
 * batch.json of a batch folder, checked field by field; `readBatch` also checks what it says
 * against the signed anchor transaction.
 */
export function readBatchInfo(dir: string): BatchInfo {
  const file = join(dir, BATCH_FILE);
  let json: unknown;
  try {
    json = readJsonFile(file, 'the batch file', MAX_BATCH_FILE_BYTES);
  } catch (error) {
    throw new Error(`${dir} is not a batch folder: ${(error as Error).message}`);
  }
  const info = json as Record<string, unknown>;
  const bad = (field: string, what: string): never => {
    throw new Error(`${file}: ${field} must be ${what}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('the file', 'a JSON object');
  const unknown = firstUnknownKey(info, BATCH_FIELDS);
  if (unknown !== undefined) throw new Error(`${file} has an unknown field "${unknown}" (known: ${BATCH_FIELDS.join(', ')})`);
  if (info.format !== BATCH_FORMAT) bad('format', String(BATCH_FORMAT));
  if (info.state !== 'signed' && info.state !== 'anchored') bad('state', '"signed" or "anchored"');
  for (const field of ['chainId', 'issuerId', 'typeId', 'createdAt']) if (typeof info[field] !== 'string') bad(field, 'a text');
  for (const field of ['typeVersion', 'count']) if (!Number.isSafeInteger(info[field]) || (info[field] as number) < 1) bad(field, 'a whole number of at least 1');
  for (const field of ['root', 'anchorTxId']) if (typeof info[field] !== 'string' || !HEX_32.test(info[field] as string)) bad(field, '64 lowercase hex digits');
  if (info.height !== null && (!Number.isSafeInteger(info.height) || (info.height as number) < 1)) bad('height', 'null or a block height');
  if (info.state === 'anchored' && info.height === null) throw new Error(`${file}: an anchored batch must name its height`);
  if (info.state === 'signed' && info.height !== null) throw new Error(`${file}: a batch that is only signed has no height yet`);
  return json as BatchInfo;
}

/**
 * Gives every credential of the batch its anchor location, rewriting each file atomically;
 * files that already carry it are left alone, so running it again is harmless. Each file must
 * hold this batch's anchor transaction, and a location it carries must be the ledger's.
 * Returns how many files were rewritten.
 */
export async function attachAnchorToFiles(dir: string, info: BatchInfo, anchorTx: Uint8Array, location: AnchorLocation, progress: Progress): Promise<number> {
  const expectedTx = toHex(anchorTx);
  let rewritten = 0;
  await forEachFile(
    info.count,
    (i) => {
      const file = credentialPath(dir, i, info.count);
      let credential: JsonObject;
      let proof: AnchorProof;
      try {
        credential = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
        ({ proof } = findAnchorProof(credential));
      } catch (error) {
        throw new Error(`cannot read the batch's certificate ${file}: ${(error as Error).message}`);
      }
      if (toHex(proof.anchorTransaction) !== expectedTx) throw new Error(`${file} belongs to another batch: its anchor transaction is not ${ANCHOR_TX_FILE}`);
      if (proof.anchor) {
        const { height, txIndex, blockHash } = proof.anchor;
        if (height !== location.height || txIndex !== location.txIndex || !bytesEqual(blockHash, location.blockHash)) {
          throw new Error(`${file} says its anchor is in block ${height} at position ${txIndex}, but the ledger has it in block ${location.height} at position ${location.txIndex}: the file was changed after anchoring`);
        }
        return;
      }
      writeFileSync(`${file}.tmp`, credentialText(attachAnchorLocation(credential, location)));
      renameSync(`${file}.tmp`, file);
      rewritten++;
    },
    progress,
  );
  return rewritten;
}
