import { readFileSync } from 'node:fs';
import { checkCertificateFile, ledgerViewFromState, verifyFileAgainstLedger, type FileVerdict } from '@certledger/certs';
import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';
import { VerifierUnavailableError, type VerifierPool } from '../verifier-pool.js';
import { verifySchema } from '../verify-schemas.js';
import { verifierBundle } from '../verifier-bundle.js';
import { EXPLORER_CSP } from './explorer-routes.js';

const files = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/verifier/verifier.js', file: 'verifier.js', type: 'text/javascript; charset=utf-8' },
  { url: '/verifier/verifier.css', file: 'verifier.css', type: 'text/css; charset=utf-8' },
] as const;

interface VerifyBody {
  readonly certificate: unknown;
  readonly at?: string;
}

/** Retry-After for a verification shed because the verifier threads are full. */
const RETRY_AFTER_SECONDS = 1;

async function fileChecksInPool(pool: VerifierPool, body: string, now: number, reply: FastifyReply): Promise<FileVerdict> {
  try {
    return await pool.check(body, now);
  } catch (error) {
    if (!(error instanceof VerifierUnavailableError)) throw error;
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    throw new HttpError(503, 'OVERLOADED', `the certificate could not be checked now (${error.message}); retry after the number of seconds in Retry-After`);
  }
}

/**
 * POST /v1/verify. With a pool, the request body's text goes to a verifier thread for the
 * file checks, so its JSON parser here keeps the text (after the usual parsing, which the
 * body schema needs) for this route alone; the ledger checks run here, where the state is.
 */
async function verifyRoute(app: FastifyInstance, node: NodeHandle, pool: VerifierPool | undefined): Promise<void> {
  const bodyTexts = new WeakMap<FastifyRequest, string>();
  if (pool) {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
      bodyTexts.set(request, text as string);
      parseJson(request, text as string, done);
    });
  }
  const ledger = ledgerViewFromState(() => node.state);
  app.post('/v1/verify', { schema: verifySchema }, async (request, reply) => {
    const { certificate, at } = request.body as VerifyBody;
    const now = at === undefined ? Date.now() : Date.parse(at);
    const text = bodyTexts.get(request);
    const file = pool && text !== undefined ? await fileChecksInPool(pool, text, now, reply) : checkCertificateFile(certificate, now);
    return verifyFileAgainstLedger(file, { ledger });
  });
}

/**
 * The verifier page (the certificate is checked in the visitor's browser and never uploaded)
 * and POST /v1/verify for programs that would rather ask the node.
 */
export async function verifierRoutes(app: FastifyInstance, node: NodeHandle, pool: VerifierPool | undefined): Promise<void> {
  const secure = { 'content-security-policy': EXPLORER_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
  for (const { url, file, type } of files) {
    const content = readFileSync(new URL(`../../verifier/${file}`, import.meta.url));
    app.get(url, { schema: { hide: true } }, async (_request, reply) => reply.type(type).headers(secure).send(content));
  }
  app.get('/verifier/certs.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').headers(secure).send(Buffer.from(await verifierBundle())),
  );

  await app.register((scope) => verifyRoute(scope, node, pool));
}
