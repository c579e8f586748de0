import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAnchorProof, issueBatch, type AnchorLocation, type JsonObject } from '@certledger/certs';
import { sha256, toHex } from '@certledger/codec';
import { testSigner } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ANCHOR_TX_FILE, attachAnchorToFiles, credentialFileName, readBatchInfo, writeBatchFolder, type BatchInfo } from './batch-folder.js';
import { DRIVING_LICENCE_SCHEMA } from './sample-schemas.js';

const root = mkdtempSync(join(tmpdir(), 'certledger-batch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function issue(count: number, seq = 0) {
  const records = Array.from({ length: count }, (_, i) => ({ name: `Person ${i}`, dateOfBirth: '1990-01-01', licenceNumber: `LIC${String(i).padStart(5, '0')}`, categories: ['B'] }));
  return issueBatch(records, {
    chainId: 'test-chain',
    issuerId: 'transport',
    issuerDisplayName: 'Department of Transport',
    signer: testSigner('issuer-transport'),
    seq,
    typeId: 'driving-licence',
    typeVersion: 1,
    typeDisplayName: 'Driving licence',
    schema: structuredClone(DRIVING_LICENCE_SCHEMA) as unknown as JsonObject,
    validFrom: '2026-01-01T00:00:00Z',
  });
}

function infoOf(batch: ReturnType<typeof issue>): BatchInfo {
  return {
    format: 1,
    state: 'signed',
    chainId: 'test-chain',
    issuerId: 'transport',
    typeId: 'driving-licence',
    typeVersion: 1,
    count: batch.credentials.length,
    root: toHex(batch.root),
    anchorTxId: toHex(batch.anchorTxId),
    height: null,
    createdAt: '2026-01-01T00:00:00Z',
  };
}

const location: AnchorLocation = { height: 5, blockHash: sha256(Uint8Array.of(5)), txIndex: 0, txCount: 1, txInclusionPath: [], header: Uint8Array.of(1), commit: Uint8Array.of(2) };
const readCredential = (dir: string, i: number, count: number) => JSON.parse(readFileSync(join(dir, 'credentials', credentialFileName(i, count)), 'utf8')) as JsonObject;

describe('batch folders', () => {
  it('name credential files by record number, zero-padded to the batch size', () => {
    expect(credentialFileName(0, 9)).toBe('1.json');
    expect(credentialFileName(0, 10)).toBe('01.json');
    expect(credentialFileName(99_999, 100_000)).toBe('100000.json');
    expect(credentialFileName(41, 100_000)).toBe('000042.json');
  });

  it('hold every credential, the anchor transaction and batch.json; reading batch.json gives it back', async () => {
    const batch = issue(12);
    const dir = join(root, 'written');
    const progress: number[] = [];
    await writeBatchFolder(dir, infoOf(batch), batch.anchorTransaction, batch.credentials, (done) => progress.push(done));
    expect(progress.at(-1)).toBe(12);
    expect(readBatchInfo(dir)).toEqual(infoOf(batch));
    expect(readFileSync(join(dir, ANCHOR_TX_FILE), 'utf8').trim()).toBe(Buffer.from(batch.anchorTransaction).toString('base64'));
    for (let i = 0; i < 12; i++) expect(readCredential(dir, i, 12)).toEqual(batch.credentials[i]);
  });

  it('are never written over an existing, non-empty folder', async () => {
    const batch = issue(1);
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    await expect(writeBatchFolder(dir, infoOf(batch), batch.anchorTransaction, batch.credentials, () => {})).rejects.toThrow(/is not empty/);
    expect(existsSync(join(dir, 'credentials'))).toBe(false);
    await expect(writeBatchFolder(join(dir, 'notes.txt'), infoOf(batch), batch.anchorTransaction, batch.credentials, () => {})).rejects.toThrow(/notes\.txt is a file/);
  });

  it('get the anchor location into every credential once: a second run changes nothing', async () => {
    const batch = issue(5);
    const dir = join(root, 'anchored');
    const info = infoOf(batch);
    await writeBatchFolder(dir, info, batch.anchorTransaction, batch.credentials, () => {});
    expect(await attachAnchorToFiles(dir, info, batch.anchorTransaction, location, () => {})).toBe(5);
    const first = readFileSync(join(dir, 'credentials', '3.json'), 'utf8');
    expect(findAnchorProof(JSON.parse(first) as JsonObject).proof.anchor).toEqual(location);
    expect(await attachAnchorToFiles(dir, info, batch.anchorTransaction, location, () => {})).toBe(0);
    expect(readFileSync(join(dir, 'credentials', '3.json'), 'utf8')).toBe(first);
  });

  it('refuse a credential of another batch, and a missing one', async () => {
    const batch = issue(2);
    const other = issue(1, 1);
    const dir = join(root, 'mixed');
    const info = infoOf(batch);
    await writeBatchFolder(dir, info, batch.anchorTransaction, batch.credentials, () => {});
    writeFileSync(join(dir, 'credentials', '2.json'), JSON.stringify(other.credentials[0]));
    await expect(attachAnchorToFiles(dir, info, batch.anchorTransaction, location, () => {})).rejects.toThrow(/2\.json belongs to another batch/);
    rmSync(join(dir, 'credentials', '2.json'));
    await expect(attachAnchorToFiles(dir, info, batch.anchorTransaction, location, () => {})).rejects.toThrow(/cannot read the batch's certificate .*2\.json/);
  });

  it('refuse a batch.json that is missing or malformed, naming the field', async () => {
    const dir = join(root, 'bad-info');
    mkdirSync(dir);
    expect(() => readBatchInfo(dir)).toThrow(/is not a batch folder: cannot read batch\.json/);
    const info = infoOf(issue(1));
    for (const [field, value, message] of [
      ['state', 'done', 'state must be "signed" or "anchored"'],
      ['root', 'AB'.repeat(32), 'root must be 64 lowercase hex digits'],
      ['count', 0, 'count must be a whole number of at least 1'],
      ['height', -1, 'height must be null or a block height'],
    ] as const) {
      writeFileSync(join(dir, 'batch.json'), JSON.stringify({ ...info, [field]: value }));
      expect(() => readBatchInfo(dir), field).toThrow(message);
    }
  });
});
