import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, tokenSha256 } from '@certledger/gateway';
import { makeTx, testSeed, testSigner } from '@certledger/ledger/testing';
import { fromHex } from '@certledger/codec';
import { createLogger, loadNodeConfig, startNode, type NodeHandle } from '@certledger/node';
import { freePortBlock, testNetworkPortCount, writeTestNetwork } from '@certledger/node/testing';
import { Level } from 'level';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * "Only hashes on the ledger" is a promise to citizens. A devnet of four validators issues,
 * verifies and revokes certificates whose field values are known, through the two routes that
 * do see personal data (POST /v1/issue and POST /v1/verify); then every file under every node's
 * folder, every stored LevelDB entry and every log line is searched for each value.
 */
const FIELD_VALUES = ['Quillon Privacy-Canary-5521', 'PCX9931QZ', 'Vexmoor-Canary-Street 12', 'Ünïcödé "quoted" Canary', '8675309123777'];
const TOKEN = 'privacy-test-token-0123456789abcdef';

const dir = mkdtempSync(join(tmpdir(), 'certledger-privacy-'));
const nodes: NodeHandle[] = [];

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
  rmSync(dir, { recursive: true, force: true });
});

/** Each value as bytes could appear: plain UTF-8, as JSON text, and JSON with non-ASCII escaped. */
function forms(value: string): Buffer[] {
  const json = JSON.stringify(value);
  const asciiJson = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [...new Set([value, json.slice(1, -1), asciiJson.slice(1, -1)])].map((text) => Buffer.from(text, 'utf8'));
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function findings(where: string, bytes: Uint8Array): string[] {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return FIELD_VALUES.flatMap((value) => (forms(value).some((form) => haystack.includes(form)) ? [`${value} in ${where}`] : []));
}

describe('privacy: no certificate field value is stored or logged by a node', () => {
  it('finds none of the issued values in any node file, LevelDB entry or log line', async () => {
    const network = writeTestNetwork(dir, { validators: 4, basePort: await freePortBlock(testNetworkPortCount(4)) });
    const logFiles = network.configFiles.map((_, i) => join(dir, `node-${i}.log`));
    for (const [i, file] of network.configFiles.entries()) {
      const logger = createLogger(`validator-${i}`, 'debug', pino.destination({ dest: logFiles[i]!, sync: true }));
      nodes.push(await startNode(loadNodeConfig(file), { logger }));
    }
    const gatewayLogger = createLogger('gateway-0', 'debug', pino.destination({ dest: join(dir, 'gateway.log'), sync: true }));
    const app = await createGateway(nodes[0]!, {
      logger: gatewayLogger,
      loadShedding: false,
      issuing: { departments: [{ issuerId: 'transport', secretKey: testSeed('issuer-transport'), tokenSha256: tokenSha256(TOKEN) }], schemas: new Map([['driving-licence@1', { type: 'object' }]]) },
    });

    const records = [
      { name: FIELD_VALUES[0], licenceNumber: FIELD_VALUES[1], address: { street: FIELD_VALUES[2] }, note: FIELD_VALUES[3], reference: FIELD_VALUES[4] },
      { name: 'Another Person', licenceNumber: 'ZZ000001' },
    ];
    const issued = await app.inject({
      method: 'POST',
      url: '/v1/issue',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, records, validFrom: '2026-01-01T00:00:00Z', wait: 30, dataIntegrity: true },
    });
    expect(issued.statusCode).toBe(201);
    const { credentials, root } = issued.json() as { credentials: Record<string, unknown>[]; root: string };
    expect(JSON.stringify(credentials[0])).toContain(FIELD_VALUES[0]);

    const verified = await app.inject({ method: 'POST', url: '/v1/verify', payload: { certificate: credentials[0] } });
    expect(verified.json().valid).toBe(true);
    const unknownRoute = await app.inject({ method: 'POST', url: `/v1/verify?${encodeURIComponent(FIELD_VALUES[0]!)}`, payload: { certificate: credentials[0], extra: FIELD_VALUES[1] } });
    expect(unknownRoute.statusCode).toBe(400);

    const leaf = (verified.json() as { summary: { leaf: string } }).summary.leaf;
    const transport = testSigner('issuer-transport');
    const seq = nodes[0]!.state.nonces.get(Buffer.from(transport.publicKey).toString('hex')) ?? 0;
    const revoke = makeTx(nodes[0]!.state.chainId, transport, seq, { kind: 'revoke', issuerId: 'transport', revocations: [{ root: fromHex(root), leaf: fromHex(leaf), reason: 'privacy test' }] });
    const revoked = await app.inject({ method: 'POST', url: '/v1/transactions', payload: { tx: Buffer.from(revoke).toString('base64'), wait: 30 } });
    expect(revoked.statusCode).toBe(201);
    const target = nodes[0]!.state.height;
    const deadline = Date.now() + 20_000;
    while (nodes.some((n) => n.state.height < target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    await app.close();
    await Promise.all(nodes.map((n) => n.stop()));
    const found: string[] = [];
    const files = filesUnder(dir);
    for (const file of files) found.push(...findings(file, readFileSync(file)));
    for (const dataDir of files.filter((f) => f.endsWith('CURRENT')).map((f) => join(f, '..'))) {
      const db = new Level<Uint8Array, Uint8Array>(dataDir, { keyEncoding: 'view', valueEncoding: 'view', createIfMissing: false });
      for await (const [key, value] of db.iterator()) found.push(...findings(`${dataDir} entry`, key), ...findings(`${dataDir} entry`, value));
      await db.close();
    }
    const logLines = [...logFiles, join(dir, 'gateway.log')].flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
    expect(logLines.length).toBeGreaterThan(20);
    expect(files.filter((f) => f.endsWith('.ldb') || f.endsWith('.log')).length).toBeGreaterThan(4);
    expect(found).toEqual([]);
  });
});
