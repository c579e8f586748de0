import { gzipSync } from 'node:zlib';
import { testNetwork, testSeed } from '@certledger/ledger/testing';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenSha256 } from './issuing.js';
import { expectError, fakeGateway, type FakeGateway } from './test-support/fake-node.js';

const TOKEN = 'transport-token-0123456789abcdef';
const issuing = {
  departments: [{ issuerId: 'transport', secretKey: testSeed('issuer-transport'), tokenSha256: tokenSha256(TOKEN) }],
  schemas: new Map([['driving-licence@1', { type: 'object' } as never]]),
};
let gateway: FakeGateway;
let app: FastifyInstance;
let inLoop: FakeGateway;

beforeAll(async () => {
  gateway = await fakeGateway(testNetwork(2), [[]], { issuing, bodyLimitBytes: 64 * 1024 });
  app = gateway.app;
  inLoop = await fakeGateway(testNetwork(2), [[]], { verifierThreads: 0 });
});

afterAll(async () => {
  await gateway.close();
  await inLoop.close();
});

beforeEach(() => {
  gateway.node.submitted = [];
});

const json = { 'content-type': 'application/json' };
const issueBody = (record: string) => `{"issuerId":"transport","typeId":"driving-licence","typeVersion":1,"validFrom":"2026-01-01T00:00:00Z","records":[${record}]}`;
/** A body each POST route would take (the issue one would issue and submit), with `value` as one of its strings. */
const bodies: Record<string, (value: string) => string> = {
  '/v1/transactions': (value) => `{"tx":"${value}"}`,
  '/v1/transactions/batch': (value) => `{"txs":["${value}"]}`,
  '/v1/issue': (value) => issueBody(`{"name":"${value}"}`),
  '/v1/verify': (value) => `{"certificate":"${value}"}`,
};
const post = (url: string, payload: string | Buffer, headers: Record<string, string> = {}, target = app) =>
  target.inject({ method: 'POST', url, payload, headers: { ...json, authorization: `Bearer ${TOKEN}`, ...headers } });

describe('request bodies', () => {
  it('refuses a body that is not UTF-8 on every route, before anything is issued or submitted', async () => {
    // "Ren\xe9" as Latin-1: decoded as UTF-8 it would quietly become "Ren\ufffd" in an issued certificate.
    for (const [url, body] of Object.entries(bodies)) {
      for (const bytes of [Buffer.from(body('Ren\xe9'), 'latin1'), Buffer.from(body('\xed\xa0\x80'), 'latin1'), Buffer.from(body('\xc0\xaf'), 'latin1')]) {
        const response = await post(url, bytes);
        expectError(response, 400, 'BAD_JSON');
        expect(response.json().error.message, url).toBe('the request body is not UTF-8, which JSON must be');
      }
    }
    expectError(await post('/v1/verify', Buffer.from(bodies['/v1/verify']!('\xff'), 'latin1'), {}, inLoop.app), 400, 'BAD_JSON');
    expect(gateway.node.submitted).toEqual([]);
  });

  it('refuses a compressed body with 415 rather than calling it "not JSON", and takes identity', async () => {
    for (const [url, body] of Object.entries(bodies)) {
      const response = await post(url, gzipSync(body('QUJD')), { 'content-encoding': 'gzip' });
      expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(response.json().error.message, url).toContain('"gzip"');
    }
    expectError(await post('/v1/transactions', bodies['/v1/transactions']!('QUJD'), { 'content-encoding': 'br' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(gateway.node.submitted).toEqual([]);
    expectError(await post('/v1/transactions', bodies['/v1/transactions']!('QUJD'), { 'content-encoding': 'identity' }), 422, 'MEMPOOL_FULL');
    expect(gateway.node.submitted).toHaveLength(1);
  });

  it('names a prototype key as the reason, on the event loop as in a verifier thread', async () => {
    const poisoned = ['{"tx":"QUJD","__proto__":{"x":1}}', issueBody('{"a":{"constructor":{"prototype":{"x":1}}}}'), '{"certificate":{"__proto__":{}}}'];
    for (const [url, payload] of [['/v1/transactions', poisoned[0]!], ['/v1/issue', poisoned[1]!], ['/v1/verify', poisoned[2]!]] as const) {
      for (const target of [app, inLoop.app]) {
        const response = await post(url, payload, {}, target);
        expectError(response, 400, 'BAD_JSON');
        expect(response.json().error.message, url).toMatch(/has a key "__proto__", or "constructor" holding "prototype"/);
      }
    }
    expect(gateway.node.submitted).toEqual([]);
  });
});

it('answers each malformed input with a 4xx in the one error shape, and submits nothing', async () => {
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const cases: [InjectOptions, number, string][] = [
    [{ method: 'POST', url: '/v1/transactions', payload: '{"tx":"QUJD"} x', headers: json }, 400, 'BAD_JSON'],
    [{ method: 'POST', url: '/v1/transactions', payload: '{"tx":"QUJD"}' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [{ method: 'POST', url: '/v1/transactions', payload: Buffer.from([0x81, 0xa2]), headers: { 'content-type': 'application/msgpack' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [{ method: 'POST', url: '/v1/transactions', payload: 'null', headers: json }, 400, 'INVALID_REQUEST'],
    [{ method: 'POST', url: '/v1/transactions', payload: `{"tx":"QUJD","x":${deep(20_000)}}`, headers: json }, 400, 'BAD_JSON'],
    [{ method: 'POST', url: '/v1/transactions', payload: '{"tx":"QUJD","tx":"REVG"}', headers: json }, 400, 'BAD_JSON'],
    [{ method: 'POST', url: '/v1/verify', payload: '{"certificate":{"id":"a","id":"b"}}', headers: json }, 400, 'BAD_JSON'],
    [{ method: 'POST', url: '/v1/transactions', payload: '{"tx":"QUJD\\u0000"}', headers: json }, 400, 'BAD_ENCODING'],
    [{ method: 'POST', url: '/v1/transactions', payload: '{"tx":"QUJ\\ud800"}', headers: json }, 400, 'BAD_ENCODING'],
    [{ method: 'POST', url: '/v1/transactions', payload: '{"tx":"QUJD","wait":1e999}', headers: json }, 400, 'INVALID_REQUEST'],
    [{ method: 'POST', url: '/v1/issue', payload: issueBody('{}').replace('"typeVersion":1', '"typeVersion":1.5'), headers: { ...json, authorization: `Bearer ${TOKEN}` } }, 400, 'INVALID_REQUEST'],
    [{ method: 'POST', url: '/v1/issue', payload: issueBody('[]'), headers: { ...json, authorization: `Bearer ${TOKEN}` } }, 400, 'INVALID_REQUEST'],
    [{ method: 'POST', url: '/v1/verify', payload: '{"certificate":{}} x', headers: json }, 400, 'BAD_JSON'],
    [{ method: 'POST', url: '/v1/verify', payload: '{"certificate":{},"at":20260101}', headers: json }, 400, 'INVALID_REQUEST'],
    [{ method: 'PUT', url: '/v1/transactions', payload: '{"tx":"QUJD"}', headers: json }, 404, 'NOT_FOUND'],
    [{ method: 'GET', url: '/v1/blocks/%00' }, 400, 'INVALID_REQUEST'],
    [{ method: 'GET', url: '/v1/issuers/%C0%AF' }, 400, 'BAD_URL'],
    [{ method: 'GET', url: '/v1/issuers/a%2Fb' }, 400, 'INVALID_REQUEST'],
    [{ method: 'GET', url: `/v1/accounts/${'0'.repeat(63)}%` }, 400, 'BAD_URL'],
    [{ method: 'GET', url: '/v1/blocks/999999999999999/transactions' }, 404, 'NOT_FOUND'],
    [{ method: 'GET', url: '/v1/blocks?__proto__=1' }, 400, 'INVALID_REQUEST'],
    [{ method: 'GET', url: '/v1/blocks?limit[]=1' }, 400, 'INVALID_REQUEST'],
    [{ method: 'GET', url: `/v1/revocations/${'0'.repeat(64)}?leaf=${'0'.repeat(64)}&leaf=${'0'.repeat(64)}` }, 400, 'INVALID_REQUEST'],
    [{ method: 'GET', url: `/v1/blocks?limit=${'1'.repeat(100_000)}` }, 400, 'INVALID_REQUEST'],
    [{ method: 'GET', url: '/docs/static/%2e%2e/%2e%2e/package.json' }, 404, 'NOT_FOUND'],
  ];
  for (const [request, status, code] of cases) {
    const response = await app.inject(request);
    expect(response.headers['content-type'], `${request.method} ${request.url}`).toMatch(/^application\/json/);
    expectError(response, status, code);
  }
  expect(gateway.node.submitted).toEqual([]);
});
