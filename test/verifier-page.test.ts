import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachAnchorLocation, issueBatch, type AnchorLocation, type JsonObject } from '@certledger/certs';
import { fromHex, toHex } from '@certledger/codec';
import { createGateway } from '@certledger/gateway';
import { makeTx, testSigner } from '@certledger/ledger/testing';
import { createLogger, loadNodeConfig, startNode, type NodeHandle } from '@certledger/node';
import { freePortBlock, testNetworkPortCount, writeTestNetwork } from '@certledger/node/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Debian's Chromium (.ci/run installs it); a test tool's own browser download does not work here. */
const CHROMIUM = process.env.CERTLEDGER_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const dir = mkdtempSync(join(tmpdir(), 'certledger-verifier-page-'));
let node: NodeHandle;
let app: Awaited<ReturnType<typeof createGateway>>;
let browser: Browser;
let baseUrl: string;
let chainId: string;
const transport = testSigner('issuer-transport');
let seq = 0;

async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: response.status, json: (await response.json()) as T };
}

/** Issues one certificate, anchors it through the HTTP API and attaches the committed location. */
async function issueThroughApi(record: JsonObject): Promise<{ credential: JsonObject; root: Uint8Array; leaf: Uint8Array }> {
  const batch = issueBatch([record], {
    chainId,
    issuerId: 'transport',
    issuerDisplayName: 'Department of Transport',
    signer: transport,
    seq: seq++,
    typeId: 'driving-licence',
    typeVersion: 1,
    typeDisplayName: 'Driving licence',
    schema: { type: 'object' },
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2099-01-01T00:00:00Z',
  });
  const submitted = await api<{ id: string }>('POST', '/v1/transactions', { tx: Buffer.from(batch.anchorTransaction).toString('base64'), wait: 30 });
  expect(submitted.status).toBe(201);
  const proof = await api<{ height: number; blockHash: string; header: string; commit: string; txIndex: number; txCount: number; inclusionPath: string[] }>('GET', `/v1/transactions/${submitted.json.id}/proof`);
  expect(proof.status).toBe(200);
  const location: AnchorLocation = {
    height: proof.json.height,
    blockHash: fromHex(proof.json.blockHash),
    txIndex: proof.json.txIndex,
    txCount: proof.json.txCount,
    txInclusionPath: proof.json.inclusionPath.map((h) => fromHex(h)),
    header: Buffer.from(proof.json.header, 'base64'),
    commit: Buffer.from(proof.json.commit, 'base64'),
  };
  return { credential: attachAnchorLocation(batch.credentials[0]!, location), root: batch.root, leaf: batch.leaves[0]! };
}

async function dropFile(page: Page, credential: unknown): Promise<string> {
  await page.locator('#file-input').setInputFiles({ name: 'certificate.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(credential)) });
  await page.waitForFunction(() => {
    const text = document.getElementById('verdict')?.textContent ?? '';
    return text !== '' && text !== 'Checking…';
  });
  return (await page.locator('#verdict').textContent()) ?? '';
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CERTLEDGER_CHROMIUM`);
  const network = writeTestNetwork(dir, { validators: 1, basePort: await freePortBlock(testNetworkPortCount(1)) });
  chainId = network.chainId;
  node = await startNode(loadNodeConfig(network.configFiles[0]!), { logger: createLogger('verifier-page-test', 'error') });
  app = await createGateway(node, {});
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the verifier page in headless Chromium', () => {
  it('shows valid for an issued certificate, tampered for an altered one, revoked for a revoked one', async () => {
    const { credential, root, leaf } = await issueThroughApi({ name: 'Ada Lovelace', licenceNumber: 'AL123456', organDonor: true, address: { city: 'London' } });
    const page = await browser.newPage();
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') uploads.push(`${request.method()} ${request.url()}`);
    });
    await page.goto(`${baseUrl}/`);

    expect(await dropFile(page, credential)).toBe('Valid');
    expect(await page.locator('#summary').textContent()).toContain('Department of Transport');
    expect(await page.locator('#fields').textContent()).toContain('AL123456');
    expect(await page.locator('#checks li[data-outcome="fail"]').count()).toBe(0);

    const altered = structuredClone(credential);
    (altered.credentialSubject as JsonObject).licenceNumber = 'AL123457';
    expect(await dropFile(page, altered)).toMatch(/^Not valid/);
    expect(await page.locator('#checks li[data-check="integrity"]').getAttribute('data-outcome')).toBe('fail');

    const revoke = makeTx(chainId, transport, seq++, { kind: 'revoke', issuerId: 'transport', revocations: [{ root, leaf, reason: 'withdrawn by court order' }] });
    expect((await api('POST', '/v1/transactions', { tx: Buffer.from(revoke).toString('base64'), wait: 30 })).status).toBe(201);
    expect(await dropFile(page, credential)).toContain('withdrawn by court order');
    expect(await page.locator('#checks li[data-check="revocation"]').getAttribute('data-outcome')).toBe('fail');

    expect(uploads).toEqual([]);
    if (process.env.CERTLEDGER_SCREENSHOT) await page.screenshot({ path: process.env.CERTLEDGER_SCREENSHOT, fullPage: true });

    await page.goto(`${baseUrl}/#root=${toHex(root)}&leaf=${toHex(leaf)}`);
    await page.waitForFunction(() => /height|not on the ledger|Could not/.test(document.getElementById('lookup-text')?.textContent ?? ''));
    expect(await page.locator('#lookup-text').textContent()).toMatch(/anchored at height \d+; REVOKED at height \d+: withdrawn by court order/);
    await page.close();
  });
});
