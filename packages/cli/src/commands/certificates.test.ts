import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachAnchorLocation } from '@certledger/certs';
import { genesisToJson } from '@certledger/ledger';
import { testNetwork } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { issueTestBatch, runCommand, stubNode, TEST_LOCATION } from '../test-support.js';
import { registerCertificateCommands } from './certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-certificate-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const genesisFile = join(dir, 'genesis.json');
writeFileSync(genesisFile, JSON.stringify(genesisToJson(testNetwork().genesis)));
const [certificate] = issueTestBatch(1).credentials.map((credential) => attachAnchorLocation(credential, TEST_LOCATION));
const calls = stubNode();
const verifyOffline = (file: string) => runCommand([registerCertificateCommands], ['verify', file, '--offline', '--genesis', genesisFile, '--at', '2026-06-01T00:00:00Z']);

describe('certledger verify --offline', () => {
  // The test location's block is made up, so even an intact certificate fails at its anchor; what matters is which check fails first.
  it('reports a certificate edited after issuing as tampered, before anything about its anchor', async () => {
    const intact = join(dir, 'intact.json');
    writeFileSync(intact, JSON.stringify(certificate));
    await expect(verifyOffline(intact)).rejects.toThrow(/intact\.json is not valid: anchor failed/);

    const edited = join(dir, 'edited.json');
    const json = JSON.parse(readFileSync(intact, 'utf8')) as { credentialSubject: Record<string, unknown> };
    writeFileSync(edited, JSON.stringify({ ...json, credentialSubject: { ...json.credentialSubject, licenceNumber: 'FORGED1' } }));
    await expect(verifyOffline(edited)).rejects.toThrow(/edited\.json is not valid: integrity failed \(TAMPERED\)/);
    expect(calls).toEqual([]);
  });

  it('refuses a folder, an oversized file and text that is not a certificate, naming the file', async () => {
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    await expect(verifyOffline(folder)).rejects.toThrow(/cannot read the certificate .*folder\.json: it is a folder$/);
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 64 << 20);
    await expect(verifyOffline(huge)).rejects.toThrow(/cannot read the certificate .*huge\.json: it is 67108864 bytes; the certificate is at most \d+/);
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, JSON.stringify(certificate).slice(0, 500));
    await expect(verifyOffline(truncated)).rejects.toThrow(/truncated\.json is not valid: format failed \(MALFORMED\)/);
  });

  it('passes the file to verification as its bytes: a key written twice or bytes that are not UTF-8 are refused, not smoothed over', async () => {
    const text = JSON.stringify(certificate);
    const repeated = join(dir, 'repeated.json');
    writeFileSync(repeated, text.replace('"credentialSubject":{', '"credentialSubject":{"name":"Mallory",'));
    await expect(verifyOffline(repeated)).rejects.toThrow(/repeated\.json is not valid: format failed \(MALFORMED\)/);
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from(',"note":"Ren'), Buffer.of(0xe9), Buffer.from('"}')]));
    await expect(verifyOffline(latin1)).rejects.toThrow(/latin1\.json is not valid: format failed \(MALFORMED\)/);
  });
});
