import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachAnchorLocation, type JsonObject } from '@certledger/certs';
import { createLogger, loadNodeConfig, startNode, type NodeHandle } from '@certledger/node';
import { freePortBlock, testNetworkPortCount, writeTestNetwork } from '@certledger/node/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAnchoredTestBatch } from './anchored-certificate.js';
import { createGateway } from './gateway.js';
import { NO_SHEDDING } from './test-support/fake-node.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-verify-route-'));
let node: NodeHandle;
let app: FastifyInstance;
let certificate: JsonObject;

beforeAll(async () => {
  const network = writeTestNetwork(dir, { validators: 1, basePort: await freePortBlock(testNetworkPortCount(1)) });
  node = await startNode(loadNodeConfig(network.configFiles[0]!), { logger: createLogger('verify-route-test', 'error') });
  app = await createGateway(node, NO_SHEDDING);
  const { credentials, location } = await issueAnchoredTestBatch(node, [{ name: 'Grace Hopper', licenceNumber: 'GH654321' }], '2030-01-01T00:00:00Z');
  certificate = attachAnchorLocation(credentials[0]!, location);
});

afterAll(async () => {
  await app.close();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

function verify(payload: unknown) {
  return app.inject({ method: 'POST', url: '/v1/verify', payload: payload as Record<string, unknown> });
}

describe('POST /v1/verify', () => {
  it('answers every check for a valid certificate, given as JSON or as the file text', async () => {
    for (const given of [certificate, JSON.stringify(certificate)]) {
      const response = await verify({ certificate: given, at: '2027-01-01T00:00:00Z' });
      expect(response.statusCode).toBe(200);
      const result = response.json();
      expect(result).toMatchObject({ valid: true, reason: null, summary: { issuerName: 'Department of Transport', fields: { name: 'Grace Hopper' } } });
      expect(result.checks).toHaveLength(9);
    }
  });

  it('names the reason: tampered, expired, malformed', async () => {
    const altered = structuredClone(certificate);
    (altered.credentialSubject as JsonObject).name = 'Grace Hoppe';
    expect((await verify({ certificate: altered })).json().reason).toBe('TAMPERED');
    expect((await verify({ certificate, at: '2031-01-01T00:00:00Z' })).json().reason).toBe('EXPIRED');
    const malformed = (await verify({ certificate: '{ nope' })).json();
    expect(malformed).toMatchObject({ valid: false, reason: 'MALFORMED', summary: null });
  });

  it('refuses a request that is not a verify request with 400 in the one error shape', async () => {
    // JSON Schema's date-time takes these, but a leap second is NaN to Date.parse (it once made
    // an expired certificate valid) and a lower-case t is not how certificates write a moment.
    const badMoments = ['yesterday', '2030-06-30T23:59:60Z', '2020-06-30T23:59:60Z', '2030-01-01t00:00:00Z'].map((at) => ({ certificate, at }));
    for (const body of [{}, { certificate: 5 }, { certificate, extra: 1 }, ...badMoments]) {
      const response = await verify(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(response.json().error.code).toBe('INVALID_REQUEST');
    }
  });

  it('answers the same, refusals included, with the file checks on the event loop as in a verifier thread', async () => {
    const inLoop = await createGateway(node, { ...NO_SHEDDING, verifierThreads: 0 });
    try {
      const altered = structuredClone(certificate);
      (altered.credentialSubject as JsonObject).licenceNumber = 'GH000000';
      for (const body of [{ certificate }, { certificate: JSON.stringify(certificate), at: '2031-01-01T00:00:00Z' }, { certificate: altered }, { certificate: '{ nope' }]) {
        const threaded = await verify(body);
        const direct = await inLoop.inject({ method: 'POST', url: '/v1/verify', payload: body });
        expect(threaded.statusCode).toBe(200);
        expect(threaded.json()).toEqual(direct.json());
      }
      // Refused bodies too: the thread reads and validates the body as fastify does here.
      const refused = ['{}', '{"certificate":5}', '{"certificate":{},"extra":1}', '{"certificate":{},"at":"yesterday"}', '{"certificate":{},"at":"2030-06-30T23:59:60Z"}', '{ nope', '{"certificate":{},"__proto__":{"x":1}}'];
      for (const payload of refused) {
        const request = { method: 'POST' as const, url: '/v1/verify', payload, headers: { 'content-type': 'application/json' } };
        const [threaded, direct] = [await app.inject(request), await inLoop.inject(request)];
        expect(threaded.statusCode, payload).toBe(400);
        expect(threaded.json(), payload).toEqual(direct.json());
      }
      const bodiless = { method: 'POST' as const, url: '/v1/verify' };
      const [threaded, direct] = [await app.inject(bodiless), await inLoop.inject(bodiless)];
      expect(threaded.statusCode).toBe(400);
      expect(threaded.json()).toEqual(direct.json());
    } finally {
      await inLoop.close();
    }
  });

  it('sheds verifications beyond the queue limit with 503 and Retry-After, and answers the rest', async () => {
    const small = await createGateway(node, { ...NO_SHEDDING, verifierThreads: 1, verifyQueueLimit: 2 });
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => small.inject({ method: 'POST', url: '/v1/verify', payload: { certificate } })));
      const shed = answers.filter((a) => a.statusCode === 503);
      expect(answers.filter((a) => a.statusCode === 200).map((a) => a.json().valid)).toEqual([true, true]);
      expect(shed).toHaveLength(4);
      for (const answer of shed) {
        expect(answer.headers['retry-after']).toBe('1');
        expect(answer.json().error.code).toBe('OVERLOADED');
      }
    } finally {
      await small.close();
    }
  });

  it('serves the verifier page, its script and the certificate library bundle with a strict CSP', async () => {
    const page = await app.inject('/');
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('id="file-input"');
    const bundle = await app.inject('/verifier/certs.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toContain('text/javascript');
    expect(bundle.body).toContain('verifyCertificate');
    expect(bundle.body).not.toMatch(/from\s*["']node:/);
  });
});
