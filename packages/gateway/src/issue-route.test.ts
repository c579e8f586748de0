import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSeed } from '@certledger/ledger/testing';
import { createLogger, loadNodeConfig, startNode, type NodeHandle } from '@certledger/node';
import { freePortBlock, testNetworkPortCount, writeTestNetwork } from '@certledger/node/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './gateway.js';
import { tokenSha256, type IssuingOptions } from './issuing.js';
import { NO_SHEDDING } from './test-support/fake-node.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-issue-route-'));
const TOKEN = 'transport-token-0123456789abcdef';
let node: NodeHandle;
let app: FastifyInstance;

const issuing = (schema: object): IssuingOptions => ({
  departments: [{ issuerId: 'transport', secretKey: testSeed('issuer-transport'), tokenSha256: tokenSha256(TOKEN) }],
  schemas: new Map([
    ['driving-licence@1', schema as never],
    ['nurse-licence@1', { type: 'object' }],
  ]),
});

beforeAll(async () => {
  const network = writeTestNetwork(dir, { validators: 1, basePort: await freePortBlock(testNetworkPortCount(1)) });
  node = await startNode(loadNodeConfig(network.configFiles[0]!), { logger: createLogger('issue-route-test', 'error') });
  app = await createGateway(node, { ...NO_SHEDDING, issuing: issuing({ type: 'object' }) });
});

afterAll(async () => {
  await app.close();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

const request = { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, validFrom: '2026-01-01T00:00:00Z', validUntil: '2036-01-01T00:00:00Z', wait: 30 };

function issue(body: object, token: string | null = TOKEN, target = app) {
  return target.inject({ method: 'POST', url: '/v1/issue', payload: body as Record<string, unknown>, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

describe('POST /v1/issue', () => {
  it('issues, anchors and answers 201 with certificates that verify', async () => {
    const response = await issue({ ...request, records: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }] });
    expect(response.statusCode).toBe(201);
    const answer = response.json();
    expect(answer).toMatchObject({ status: 'committed', count: 2, height: expect.any(Number) });
    const verified = await app.inject({ method: 'POST', url: '/v1/verify', payload: { certificate: answer.credentials[1] } });
    expect(verified.json()).toMatchObject({ valid: true, summary: { issuerName: 'Department of Transport', fields: { name: 'Alan Turing' } } });
    const offline = answer.credentials[0].proof;
    expect(offline.anchor.height).toBe(answer.height);
  });

  it('gives concurrent requests of one department distinct sequence numbers, and both commit', async () => {
    const [a, b] = await Promise.all([issue({ ...request, records: [{ n: 1 }] }), issue({ ...request, records: [{ n: 2 }] })]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().txId).not.toBe(b.json().txId);
  });

  it('adds a W3C Data Integrity proof when asked', async () => {
    const response = await issue({ ...request, records: [{ name: 'Grace Hopper' }], dataIntegrity: true });
    const proofs = response.json().credentials[0].proof as { type: string; cryptosuite?: string }[];
    expect(proofs.map((p) => p.cryptosuite ?? p.type)).toEqual(['eddsa-jcs-2022', 'CertLedgerAnchorProof']);
    const verified = await app.inject({ method: 'POST', url: '/v1/verify', payload: { certificate: response.json().credentials[0] } });
    expect(verified.json().checks.find((c: { name: string }) => c.name === 'dataIntegrity').outcome).toBe('pass');
  });

  it('needs the department token, and a token acts only for its own department', async () => {
    const missing = await issue({ ...request, records: [{ x: 1 }] }, null);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('UNAUTHENTICATED');
    expect((await issue({ ...request, records: [{ x: 1 }] }, 'not-the-token-0123456789')).statusCode).toBe(401);
    const lowerCaseScheme = await app.inject({ method: 'POST', url: '/v1/issue', payload: { ...request, issuerId: 'health', typeId: 'nurse-licence', records: [{ x: 1 }] }, headers: { authorization: `bearer ${TOKEN}` } });
    expect(lowerCaseScheme.statusCode, 'the token is known whatever the case of "Bearer"').toBe(403);
    const other = await issue({ ...request, issuerId: 'health', typeId: 'nurse-licence', records: [{ x: 1 }] });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toContain('acts for "transport"');
    const wrongType = await issue({ ...request, typeId: 'nurse-licence', records: [{ x: 1 }] });
    expect(wrongType.statusCode).toBe(403);
    expect(wrongType.json().error.code).toBe('NOT_AUTHORISED_FOR_TYPE');
  });

  it('refuses bad batches and a schema that is not the one on the ledger, changing nothing', async () => {
    const height = node.state.height;
    const badDates = await issue({ ...request, validUntil: '2020-01-01T00:00:00Z', records: [{ x: 1 }] });
    expect(badDates.statusCode).toBe(422);
    expect(badDates.json().error.message).toContain('is not after validFrom');
    expect((await issue({ ...request, records: [] })).statusCode).toBe(400);
    for (const validFrom of ['yesterday', '2016-12-31T23:59:60Z', '2026-02-30T00:00:00Z']) {
      const badDate = await issue({ ...request, validFrom, records: [{ x: 1 }] });
      expect(badDate.statusCode, validFrom).toBe(400);
      expect(badDate.json().error).toEqual({ code: 'INVALID_REQUEST', message: 'body.validFrom must match format "date-time-stamp"' });
    }
    const queried = await app.inject({ method: 'POST', url: '/v1/issue?wait=5', payload: { ...request, records: [{ x: 1 }] }, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(queried.statusCode).toBe(400);
    expect(queried.json().error).toEqual({ code: 'INVALID_REQUEST', message: 'querystring has an unknown field "wait"' });
    const stale = await createGateway(node, { ...NO_SHEDDING, issuing: issuing({ type: 'object', required: ['name'] }) });
    const mismatch = await issue({ ...request, records: [{ name: 'x' }] }, TOKEN, stale);
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json().error.code).toBe('SCHEMA_MISMATCH');
    await stale.close();
    expect(node.state.nonces.size).toBeGreaterThan(0);
    expect(node.state.height).toBeGreaterThanOrEqual(height);
  });
});
