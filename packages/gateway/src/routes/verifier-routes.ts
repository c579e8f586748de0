import { readFileSync } from 'node:fs';
import { ledgerViewFromState, verifyCertificate } from '@certledger/certs';
import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { verifySchema } from '../verify-schemas.js';
import { verifierBundle } from '../verifier-bundle.js';
import { EXPLORER_CSP } from './explorer-routes.js';

const files = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/verifier/verifier.js', file: 'verifier.js', type: 'text/javascript; charset=utf-8' },
  { url: '/verifier/verifier.css', file: 'verifier.css', type: 'text/css; charset=utf-8' },
] as const;

/**
 * The verifier page (the certificate is checked in the visitor's browser and never uploaded)
 * and POST /v1/verify for programs that would rather ask the node.
 */
export function verifierRoutes(app: FastifyInstance, node: NodeHandle): void {
  const secure = { 'content-security-policy': EXPLORER_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
  for (const { url, file, type } of files) {
    const content = readFileSync(new URL(`../../verifier/${file}`, import.meta.url));
    app.get(url, { schema: { hide: true } }, async (_request, reply) => reply.type(type).headers(secure).send(content));
  }
  app.get('/verifier/certs.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').headers(secure).send(Buffer.from(await verifierBundle())),
  );

  const ledger = ledgerViewFromState(() => node.state);
  app.post('/v1/verify', { schema: verifySchema }, async (request) => {
    const { certificate, at } = request.body as { certificate: unknown; at?: string };
    return verifyCertificate(certificate, { now: at === undefined ? Date.now() : Date.parse(at), ledger });
  });
}
