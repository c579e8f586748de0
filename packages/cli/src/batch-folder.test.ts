import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachAnchorLocation, findAnchorProof, type JsonObject } from '@certledger/certs';
import { afterAll, describe, expect, it } from 'vitest';
import { ANCHOR_TX_FILE, attachAnchorToFiles, credentialFileName, readBatchInfo, writeBatchFolder } from './batch-folder.js';
import { issueTestBatch, TEST_LOCATION, testBatchInfo } from './test-support.js';

const root = mkdtempSync(join(tmpdir(), 'certledger-batch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const readCredential = (dir: string, i: number, count: number) => JSON.parse(readFileSync(join(dir, 'credentials', credentialFileName(i, count)), 'utf8')) as JsonObject;

describe('batch folders', () => {
  it('name credential files by record number, zero-padded to the batch size', () => {
    expect(credentialFileName(0, 9)).toBe('1.json');
    expect(credentialFileName(0, 10)).toBe('01.json');
    expect(credentialFileName(99_999, 100_000)).toBe('100000.json');
    expect(credentialFileName(41, 100_000)).toBe('000042.json');
  });

  it('hold every credential, the anchor transaction and batch.json; reading batch.json gives it back', async () => {
    const batch = issueTestBatch(12);
    const dir = join(root, 'written');
    const progress: number[] = [];
    await writeBatchFolder(dir, testBatchInfo(batch), batch.anchorTransaction, batch.credentials, (done) => progress.push(done));
    expect(progress.at(-1)).toBe(12);
    expect(readBatchInfo(dir)).toEqual(testBatchInfo(batch));
    expect(readFileSync(join(dir, ANCHOR_TX_FILE), 'utf8').trim()).toBe(Buffer.from(batch.anchorTransaction).toString('base64'));
    for (let i = 0; i < 12; i++) expect(readCredential(dir, i, 12)).toEqual(batch.credentials[i]);
  });

  it('are never written over an existing, non-empty folder', async () => {
    const batch = issueTestBatch(1);
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    await expect(writeBatchFolder(dir, testBatchInfo(batch), batch.anchorTransaction, batch.credentials, () => {})).rejects.toThrow(/is not empty/);
    expect(existsSync(join(dir, 'credentials'))).toBe(false);
    await expect(writeBatchFolder(join(dir, 'notes.txt'), testBatchInfo(batch), batch.anchorTransaction, batch.credentials, () => {})).rejects.toThrow(/notes\.txt is a file/);
  });

  it('get the anchor location into every credential once: a second run changes nothing', async () => {
    const batch = issueTestBatch(5);
    const dir = join(root, 'anchored');
    const info = testBatchInfo(batch);
    await writeBatchFolder(dir, info, batch.anchorTransaction, batch.credentials, () => {});
    expect(await attachAnchorToFiles(dir, info, batch.anchorTransaction, TEST_LOCATION, () => {})).toBe(5);
    const first = readFileSync(join(dir, 'credentials', '3.json'), 'utf8');
    expect(findAnchorProof(JSON.parse(first) as JsonObject).proof.anchor).toEqual(TEST_LOCATION);
    expect(await attachAnchorToFiles(dir, info, batch.anchorTransaction, TEST_LOCATION, () => {})).toBe(0);
    expect(readFileSync(join(dir, 'credentials', '3.json'), 'utf8')).toBe(first);
  });

  it('refuse a credential of another batch, and a missing one', async () => {
    const batch = issueTestBatch(2);
    const other = issueTestBatch(1, 1);
    const dir = join(root, 'mixed');
    const info = testBatchInfo(batch);
    await writeBatchFolder(dir, info, batch.anchorTransaction, batch.credentials, () => {});
    writeFileSync(join(dir, 'credentials', '2.json'), JSON.stringify(other.credentials[0]));
    await expect(attachAnchorToFiles(dir, info, batch.anchorTransaction, TEST_LOCATION, () => {})).rejects.toThrow(/2\.json belongs to another batch/);
    rmSync(join(dir, 'credentials', '2.json'));
    await expect(attachAnchorToFiles(dir, info, batch.anchorTransaction, TEST_LOCATION, () => {})).rejects.toThrow(/cannot read the batch's certificate .*2\.json/);
  });

  it('refuse a credential that carries another anchor location than the ledger gives', async () => {
    const batch = issueTestBatch(2);
    const dir = join(root, 'elsewhere');
    const info = testBatchInfo(batch);
    const misplaced = attachAnchorLocation(batch.credentials[1]!, { ...TEST_LOCATION, height: 9 });
    await writeBatchFolder(dir, info, batch.anchorTransaction, [batch.credentials[0]!, misplaced], () => {});
    await expect(attachAnchorToFiles(dir, info, batch.anchorTransaction, TEST_LOCATION, () => {})).rejects.toThrow(
      /credentials\/2\.json says its anchor is in block 9 at position 0, but the ledger has it in block 5 at position 0/,
    );
  });

  it('refuse a batch.json that is missing or malformed, naming the field', async () => {
    const dir = join(root, 'bad-info');
    mkdirSync(dir);
    expect(() => readBatchInfo(dir)).toThrow(/is not a batch folder: cannot read the batch file .*batch\.json/);
    const info = testBatchInfo(issueTestBatch(1));
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
