import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachAnchorLocation, discloseCertificate, type JsonObject } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import { keyPairFromSeed } from '@certledger/crypto';
import { writeKeyFile } from '@certledger/crypto/keyfile';
import { testSeed } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ANCHOR_TX_FILE, BATCH_FILE, CREDENTIALS_DIR, writeBatchFolder, type BatchInfo } from '../batch-folder.js';
import { issueTestBatch, runCommand, snapshot, stubNode, TEST_LOCATION, testBatchInfo, type TestBatch } from '../test-support.js';
import { registerIssueCommands } from './issue.js';
import { registerRevokeCommand } from './revoke.js';

const root = mkdtempSync(join(tmpdir(), 'certledger-batch-commands-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const issuerKey = keyPairFromSeed(testSeed('issuer-transport'));
const keyFile = join(root, 'transport.key.json');
writeKeyFile(keyFile, issuerKey);

const batch = issueTestBatch(3, 0);
const otherBatch = issueTestBatch(3, 1);

let folders = 0;
async function writeFolder(issued: TestBatch = batch, credentials: readonly JsonObject[] = issued.credentials, info: BatchInfo = testBatchInfo(issued)): Promise<string> {
  const dir = join(root, `batch-${folders++}`);
  await writeBatchFolder(dir, info, issued.anchorTransaction, credentials, () => {});
  return dir;
}

const credentialFile = (dir: string, name: string) => join(dir, CREDENTIALS_DIR, name);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const writeJson = (file: string, json: unknown) => writeFileSync(file, JSON.stringify(json));

const fetchCalls = stubNode();
const run = (args: string[]) => runCommand([registerIssueCommands, registerRevokeCommand], args);

async function expectRefusedUntouched(dir: string, args: string[], message: RegExp): Promise<void> {
  const before = snapshot(dir);
  await expect(run(args)).rejects.toThrow(message);
  expect(fetchCalls, 'nothing may be asked of or sent to the node').toEqual([]);
  expect(snapshot(dir)).toEqual(before);
}

describe('certledger anchor on a batch folder', () => {
  it('goes on to the node with an intact folder, signed or already anchored', async () => {
    const signed = await writeFolder();
    await expect(run(['anchor', signed, '--api', 'http://127.0.0.1:1'])).rejects.toThrow(/cannot reach the node/);
    expect(fetchCalls).toEqual([{ method: 'GET', url: 'http://127.0.0.1:1/v1/status' }]);

    fetchCalls.length = 0;
    const anchored = await writeFolder(batch, batch.credentials.map((credential) => attachAnchorLocation(credential, TEST_LOCATION)), { ...testBatchInfo(batch), state: 'anchored', height: 5 });
    await expect(run(['anchor', anchored, '--api', 'http://127.0.0.1:1'])).rejects.toThrow(/cannot reach the node/);
    expect(fetchCalls).toHaveLength(1);
  });

  it('refuses a certificate edited after issuing, naming it', async () => {
    const dir = await writeFolder();
    const file = credentialFile(dir, '2.json');
    const credential = readJson(file);
    writeJson(file, { ...credential, credentialSubject: { ...(credential.credentialSubject as object), name: 'Mallory' } });
    await expectRefusedUntouched(dir, ['anchor', dir], /credentials\/2\.json was altered after issuing: .*altered/);
  });

  it('refuses a certificate replaced by a disclosed copy of itself', async () => {
    const dir = await writeFolder();
    const file = credentialFile(dir, '1.json');
    writeJson(file, discloseCertificate(readJson(file) as JsonObject, ['dateOfBirth']));
    await expectRefusedUntouched(dir, ['anchor', dir], /credentials\/1\.json has 1 field hidden: it is a disclosed copy, not the certificate as issued/);
  });

  it('refuses a certificate added to the folder', async () => {
    const dir = await writeFolder();
    cpSync(credentialFile(dir, '1.json'), credentialFile(dir, '4.json'));
    await expectRefusedUntouched(dir, ['anchor', dir], /credentials\/ holds 4\.json, which is not one of the batch's 3 certificates/);
  });

  it('refuses a folder with a certificate removed', async () => {
    const dir = await writeFolder();
    rmSync(credentialFile(dir, '3.json'));
    await expectRefusedUntouched(dir, ['anchor', dir], /credentials\/3\.json is missing: the batch has 3 certificates/);
  });

  it('refuses a certificate of another batch, and one moved to another place of the batch', async () => {
    const dir = await writeFolder();
    writeJson(credentialFile(dir, '2.json'), otherBatch.credentials[1]);
    await expectRefusedUntouched(dir, ['anchor', dir], /2\.json belongs to another batch/);

    const copied = await writeFolder();
    cpSync(credentialFile(copied, '1.json'), credentialFile(copied, '2.json'));
    await expectRefusedUntouched(copied, ['anchor', copied], /credentials\/2\.json holds the batch's certificate 1, not 2/);
  });

  it('refuses a certificate replaced by a folder, and one that cannot be read', async () => {
    const dir = await writeFolder();
    rmSync(credentialFile(dir, '2.json'));
    mkdirSync(credentialFile(dir, '2.json'));
    await expectRefusedUntouched(dir, ['anchor', dir], /cannot read the certificate .*credentials\/2\.json/);

    const dangling = await writeFolder();
    rmSync(credentialFile(dangling, '3.json'));
    symlinkSync(join(root, 'nowhere.json'), credentialFile(dangling, '3.json'));
    await expectRefusedUntouched(dangling, ['anchor', dangling], /cannot read the certificate .*credentials\/3\.json/);
  });

  it('refuses a batch.json that does not match the signed anchor transaction', async () => {
    const changes: [Partial<Record<keyof BatchInfo, unknown>>, RegExp][] = [
      [{ root: toHex(otherBatch.root) }, /batch\.json says root [0-9a-f]{64}, but the signed anchor transaction in anchor-tx\.b64 has [0-9a-f]{64}/],
      [{ count: 2 }, /batch\.json says count 2, but the signed anchor transaction in anchor-tx\.b64 has 3/],
      [{ issuerId: 'health' }, /batch\.json says issuerId health, but the signed anchor transaction in anchor-tx\.b64 has transport/],
      [{ chainId: 'other-chain' }, /batch\.json says chainId other-chain/],
      [{ typeVersion: 2 }, /batch\.json says typeVersion 2/],
    ];
    for (const [change, message] of changes) {
      const dir = await writeFolder();
      writeJson(join(dir, BATCH_FILE), { ...testBatchInfo(batch), ...change });
      await expectRefusedUntouched(dir, ['anchor', dir], message);
    }
  });

  it("refuses an anchor transaction swapped for another batch's", async () => {
    const dir = await writeFolder();
    writeFileSync(join(dir, ANCHOR_TX_FILE), Buffer.from(otherBatch.anchorTransaction).toString('base64'));
    writeJson(join(dir, BATCH_FILE), { ...testBatchInfo(batch), anchorTxId: toHex(otherBatch.anchorTxId) });
    await expectRefusedUntouched(dir, ['anchor', dir], /batch\.json says root [0-9a-f]{64}, but the signed anchor transaction in anchor-tx\.b64 has/);
  });

  it('refuses a damaged batch.json: unknown field, state without height, too large', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...testBatchInfo(batch), note: 'x' }, /batch\.json has an unknown field "note"/],
      [{ ...testBatchInfo(batch), state: 'anchored' }, /batch\.json: an anchored batch must name its height/],
      [{ ...testBatchInfo(batch), height: 7 }, /batch\.json: a batch that is only signed has no height yet/],
    ];
    for (const [json, message] of cases) {
      const dir = await writeFolder();
      writeJson(join(dir, BATCH_FILE), json);
      await expectRefusedUntouched(dir, ['anchor', dir], message);
    }
    const huge = await writeFolder();
    writeFileSync(join(huge, BATCH_FILE), `${JSON.stringify(testBatchInfo(batch))}${' '.repeat(2 << 20)}`);
    await expectRefusedUntouched(huge, ['anchor', huge], /batch\.json: it is \d+ bytes; the batch file is at most \d+/);
  });
});

describe('certledger revoke --batch', () => {
  it('refuses a batch.json whose root was changed, before asking the node anything', async () => {
    const dir = await writeFolder();
    writeJson(join(dir, BATCH_FILE), { ...testBatchInfo(batch), root: toHex(otherBatch.root) });
    await expectRefusedUntouched(dir, ['revoke', '--issuer', 'transport', '--key', keyFile, '--reason', 'withdrawn', '--batch', dir], /batch\.json says root/);
  });
});
