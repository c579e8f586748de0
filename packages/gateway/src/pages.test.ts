import { readFileSync } from 'node:fs';
import { sha256 } from '@certledger/codec';
import { testAnchorTx, testNetwork } from '@certledger/ledger/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORER_CSP } from './routes/explorer-routes.js';
import { expectError, fakeGateway, type FakeGateway } from './test-support/fake-node.js';

const network = testNetwork(2);
let gateway: FakeGateway;
let app: FastifyInstance;

beforeAll(async () => {
  gateway = await fakeGateway(network, [[testAnchorTx(network.genesis.chainId, 0, sha256(Uint8Array.of(1)))]]);
  app = gateway.app;
});

afterAll(() => gateway.close());

const API = [
  'GET /health',
  'GET /ready',
  'GET /metrics',
  'GET /v1/status',
  'POST /v1/transactions',
  'POST /v1/transactions/batch',
  'GET /v1/transactions/{id}',
  'GET /v1/transactions/{id}/proof',
  'GET /v1/accounts/{publicKey}',
  'GET /v1/blocks',
  'GET /v1/blocks/{height}',
  'GET /v1/blocks/{height}/transactions',
  'GET /v1/issuers',
  'GET /v1/issuers/{issuerId}',
  'GET /v1/issuers/{issuerId}/anchors',
  'GET /v1/anchors/{root}',
  'GET /v1/revocations/{root}',
  'GET /v1/cert-types',
  'GET /v1/validators',
  'POST /v1/verify',
];

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; schema: object }[];
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

describe('OpenAPI documents', () => {
  it('document every API route with a summary, tags, parameters and response schemas', async () => {
    const response = await app.inject('/docs/json');
    expect(response.statusCode).toBe(200);
    const doc = response.json() as { openapi: string; tags: { name: string }[]; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual([...API].sort());
    const tags = doc.tags.map((t) => t.name);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const operation of Object.values(operations)) {
        expect(operation.summary, path).toMatch(/^\S.{8,}/);
        expect(operation.tags?.length, path).toBe(1);
        expect(tags).toContain(operation.tags![0]);
        const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
        expect(success.length, path).toBeGreaterThan(0);
        for (const status of [...success, '4XX', '5XX']) expect(operation.responses[status]?.content, `${path} ${status}`).toBeDefined();
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(pathParams);
        for (const parameter of operation.parameters ?? []) expect(parameter.schema, `${path} ${parameter.name}`).toHaveProperty('pattern');
      }
    }
    expect(doc.paths['/v1/blocks']!.get!.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:before', 'query:limit']);
  });

  it('match what the routes do: every GET of the API refuses a query field it does not document', async () => {
    const sample: Record<string, string> = { id: '0'.repeat(64), publicKey: '0'.repeat(64), root: '0'.repeat(64), height: '1', issuerId: 'transport' };
    // Probes and scrapers may be set up to add query parameters; those routes ignore them.
    const probes = ['/health', '/ready', '/metrics'];
    const gets = API.filter((route) => route.startsWith('GET ')).map((route) => route.slice('GET '.length)).filter((path) => !probes.includes(path));
    expect(gets.length).toBeGreaterThanOrEqual(13);
    for (const path of gets) {
      const url = `${path.replace(/\{(\w+)\}/g, (_, name: string) => sample[name] ?? name)}?unknown=1`;
      const response = await app.inject(url);
      expectError(response, 400, 'INVALID_REQUEST');
      expect((response.json() as { error: { message: string } }).error.message, url).toBe('querystring has an unknown field "unknown"');
    }
  });

  it('serve the docs page with a Content-Security-Policy that allows no inline script', async () => {
    const page = await app.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toContain('unsafe-inline');
    expect((await app.inject('/docs/static/swagger-ui.css')).statusCode).toBe(200);
  });
});

describe('explorer page', () => {
  const html = readFileSync(new URL('../explorer/index.html', import.meta.url), 'utf8');
  const script = readFileSync(new URL('../explorer/explorer.js', import.meta.url), 'utf8');

  it('serves the page, its script and its style with their types and a strict CSP', async () => {
    for (const [url, type, body] of [
      ['/explorer', /^text\/html; charset=utf-8$/, html],
      ['/explorer/explorer.js', /^text\/javascript; charset=utf-8$/, script],
      ['/explorer/explorer.css', /^text\/css; charset=utf-8$/, undefined],
    ] as const) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(type);
      expect(response.headers['content-security-policy'], url).toBe(EXPLORER_CSP);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      if (body) expect(response.body).toBe(body);
    }
    expect(EXPLORER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('needs nothing inline: no inline script, style or event handler attributes', () => {
    expect(html).toContain('<script type="module" src="/explorer/explorer.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/explorer/explorer.css">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });

  it('labels every control and marks up its tables', () => {
    expect(html).toMatch(/<html lang="en">/);
    const controls = [...html.matchAll(/<(?:input|select)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);
    expect(controls).toEqual(['auto-refresh', 'block-height', 'issuer']);
    for (const id of controls) expect(html, id).toMatch(new RegExp(`<label for="${id}">|<label><input[^>]*id="${id}"`));
    expect(html.match(/<table/g)).toHaveLength(3);
    expect(html.match(/<caption/g)).toHaveLength(3);
    expect(html.match(/<th scope="col">/g)!.length).toBe(15);
  });

  it('calls only API routes that exist', async () => {
    const literals = [...script.matchAll(/'(\/v1\/[^']*)'|`(\/v1\/(?:[^`$]|\$\{[^}]*\})*)`/g)].map((m) => m[1] ?? m[2]!);
    expect(literals.length).toBeGreaterThanOrEqual(4);
    for (const literal of literals) {
      const url = literal.replace(/\$\{[^}]*\}/g, '1');
      const response = await app.inject(url);
      expect(response.statusCode, url).toBeLessThan(500);
      if (response.statusCode !== 200) expect((response.json() as { error: { message: string } }).error.message, url).not.toMatch(/^there is no route/);
    }
  });
});
