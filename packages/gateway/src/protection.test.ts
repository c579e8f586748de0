import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testNetwork } from '@certledger/ledger/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './gateway.js';
import type { GatewayOptions } from './options.js';
import { expectError, FakeNode, NO_SHEDDING, storeChain, type StoredChain } from './test-support/fake-node.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-gateway-protection-'));
let chain: StoredChain;
const apps: FastifyInstance[] = [];

async function gateway(options: GatewayOptions): Promise<FastifyInstance> {
  const app = await createGateway(new FakeNode(chain.store, chain.state), { logger: false, ...NO_SHEDDING, ...options });
  apps.push(app);
  return app;
}

const remote = (url: string, method: 'GET' | 'POST' = 'GET', remoteAddress = '203.0.113.7') =>
  ({ url, method, remoteAddress, ...(method === 'POST' ? { payload: { tx: 'QUJD' } } : {}) }) as const;

beforeAll(async () => {
  chain = await storeChain(join(dir, 'store'), testNetwork(2), [[]]);
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await chain.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('per-client rate limits', () => {
  it('answers 429 with Retry-After in the one error shape once a client spends its read budget', async () => {
    const app = await gateway({ rateLimit: { readsPerWindow: 3, writesPerWindow: 1, windowMs: 60_000, exempt: [] } });
    for (const url of ['/v1/status', '/v1/blocks', '/v1/issuers']) expect((await app.inject(remote(url))).statusCode).toBe(200);
    const limited = await app.inject(remote('/v1/validators'));
    expectError(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ error: { message: expect.stringContaining('more than 3') } });
    // Another client has its own budget; probes have none.
    expect((await app.inject(remote('/v1/status', 'GET', '198.51.100.1'))).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await app.inject(remote('/health'))).statusCode).toBe(200);
  });

  it('counts writes apart from reads, with their own tighter budget', async () => {
    const app = await gateway({ rateLimit: { readsPerWindow: 100, writesPerWindow: 1, exempt: [] } });
    expectError(await app.inject(remote('/v1/transactions', 'POST')), 422, 'MEMPOOL_FULL');
    const limited = await app.inject(remote('/v1/transactions', 'POST'));
    expectError(limited, 429, 'RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await app.inject(remote('/v1/status'))).statusCode).toBe(200);
  });

  it('leaves loopback clients alone by default, and can be turned off', async () => {
    const app = await gateway({ rateLimit: { readsPerWindow: 1 } });
    for (let i = 0; i < 3; i++) expect((await app.inject(remote('/v1/status', 'GET', '127.0.0.1'))).statusCode).toBe(200);
    expect((await app.inject(remote('/v1/status'))).statusCode).toBe(200);
    expectError(await app.inject(remote('/v1/status')), 429, 'RATE_LIMITED');
    const unlimited = await gateway({ rateLimit: false });
    for (let i = 0; i < 3; i++) expect((await unlimited.inject(remote('/v1/status'))).headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('load shedding', () => {
  it('answers 503 OVERLOADED with Retry-After while over a limit, but still answers the probes', async () => {
    // Any heap is over one byte: the first sample (10 ms after start) puts the gateway under pressure.
    const app = await gateway({ loadShedding: { maxHeapUsedBytes: 1, sampleIntervalMs: 10, retryAfterSeconds: 7 } });
    let response = await app.inject('/v1/status');
    for (let attempt = 0; attempt < 100 && response.statusCode === 200; attempt++) {
      await sleep(20);
      response = await app.inject('/v1/status');
    }
    expectError(response, 503, 'OVERLOADED');
    expect(response.headers['retry-after']).toBe('7');
    expectError(await app.inject('/explorer'), 503, 'OVERLOADED');
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/metrics')).statusCode).toBe(200);
  });
});

describe('timeouts and limits', () => {
  it('applies the connection, request and keep-alive timeouts, with defaults', async () => {
    const defaults = await gateway({});
    expect(defaults.server.timeout).toBe(70_000);
    expect(defaults.server.requestTimeout).toBe(10_000);
    expect(defaults.server.keepAliveTimeout).toBe(72_000);
    const tuned = await gateway({ connectionTimeoutMs: 5000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 1000 });
    expect([tuned.server.timeout, tuned.server.requestTimeout, tuned.server.keepAliveTimeout]).toEqual([5000, 2000, 1000]);
  });

  it('refuses nonsensical options when created', async () => {
    const node = new FakeNode(chain.store, chain.state);
    await expect(createGateway(node, { rateLimit: { writesPerWindow: 0 } })).rejects.toThrow(/rateLimit.writesPerWindow must be a whole number of at least 1/);
    await expect(createGateway(node, { requestTimeoutMs: 1.5 })).rejects.toThrow(/requestTimeoutMs/);
    await expect(createGateway(node, { loadShedding: { sampleIntervalMs: 1 } })).rejects.toThrow(/sampleIntervalMs/);
  });

  it('answers malformed HTTP and oversized headers in the one error shape, before any route', async () => {
    const app = await gateway({});
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
      });
    const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    const huge = await raw(`GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toContain('"code":"HEADERS_TOO_LARGE"');
    // Node itself would close a CONNECT unanswered, and answer a missing Host or an unknown Expect with an empty body.
    const answers: [string, number, string, RegExp][] = [
      [`GET /v1/blocks?limit=${'1'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'HEADERS_TOO_LARGE', /URL and headers/],
      ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 404, 'NOT_FOUND', /no route CONNECT example\.com:443/],
      ['GET /v1/status HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'BAD_REQUEST', /Host header/],
      ['POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\nExpect: 200-ok\r\n\r\n{"tx":"QUJD"}', 417, 'EXPECTATION_FAILED', /100-continue/],
    ];
    for (const [request, status, code, message] of answers) {
      const answer = await raw(request);
      expect(answer, request.slice(0, 30)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code, message: expect.stringMatching(message) } });
    }
    expect((await raw('GET /v1/status HTTP/1.0\r\n\r\n')).split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  });

  it('answers a request arriving while the gateway closes with 503 SHUTTING_DOWN in the one shape', async () => {
    let release = () => {};
    class SlowNode extends FakeNode {
      override async waitForCommit(txId: string, timeoutMs: number) {
        this.waits.push({ txId, timeoutMs });
        await new Promise<void>((resolve) => (release = resolve));
        return undefined;
      }
    }
    const node = new SlowNode(chain.store, chain.state);
    node.submitAnswer = () => ({ ok: true, id: 'ab'.repeat(32) });
    const app = await createGateway(node, { logger: false, ...NO_SHEDDING });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const socket = connect((app.server.address() as { port: number }).port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    const body = JSON.stringify({ tx: 'QUJD', wait: 5 });
    // The first request holds the connection open while the gateway starts closing.
    socket.write(`POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    for (let i = 0; i < 500 && node.waits.length === 0; i++) await sleep(10);
    const closing = app.close();
    for (let i = 0; i < 500 && app.server.listening; i++) await sleep(10);
    socket.write('GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n');
    release();
    await closing;
    await Promise.race([ended, sleep(5000)]);
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 202 /);
    expect(text).toMatch(/HTTP\/1\.1 503 [^]*\{"error":\{"code":"SHUTTING_DOWN","message":"[^"]+"\}\}$/);
  });
});
