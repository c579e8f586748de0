import { readFileSync } from 'node:fs';
import { ledgerViewFromState, verifyCertificate, verifyFileAgainstLedger, type FileVerdict } from '@certledger/certs';
import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError } from '../errors.js';
import { jsonBodyText } from '../json-body.js';
import { judgedAt, type VerifyBody } from '../verify-body.js';
import { VerifierUnavailableError, VerifyBodyRejectedError, type VerifierPool } from '../verifier-pool.js';
import { verifySchema } from '../verify-schemas.js';
import { verifierBundle } from '../verifier-bundle.js';
import { EXPLORER_CSP } from './explorer-routes.js';

const files = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/verifier/verifier.js', file: 'verifier.js', type: 'text/javascript; charset=utf-8' },
  { url: '/verifier/verifier.css', file: 'verifier.css', type: 'text/css; charset=utf-8' },
] as const;

/** Retry-After for a verification shed because the verifier threads are full. */
const RETRY_AFTER_SECONDS = 1;

async function fileChecksInPool(pool: VerifierPool, body: string | undefined, reply: FastifyReply): Promise<FileVerdict> {
  try {
    return await pool.check(body, Date.now());
  } catch (error) {
    if (error instanceof VerifyBodyRejectedError) throw new HttpError(400, error.code, error.message);
    if (!(error instanceof VerifierUnavailableError)) throw error;
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    throw new HttpError(503, 'OVERLOADED', `the certificate could not be checked now (${error.message}); retry after the number of seconds in Retry-After`);
  }
}

/**
 * POST /v1/verify. With a pool, the event loop does not even parse the body: its text goes to
 * a verifier thread, which parses it and checks it against the route's schema as fastify
 * would (readVerifyBody: same compiler, options, codes and sentences), then checks the file;
 * the ledger checks run here, where the state is. The schema stays on the route for the docs.
 */
async function verifyRoute(app: FastifyInstance, node: NodeHandle, pool: VerifierPool | undefined): Promise<void> {
  const ledger = ledgerViewFromState(() => node.state);
  if (!pool) {
    app.post('/v1/verify', { schema: verifySchema }, async (request) => {
      const body = request.body as VerifyBody;
      return verifyCertificate(body.certificate, { now: judgedAt(body, Date.now()), ledger });
    });
    return;
  }
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => done(null, jsonBodyText(request, body as Buffer)));
  const validatedInThread = () => () => true;
  app.post('/v1/verify', { schema: verifySchema, validatorCompiler: validatedInThread }, async (request, reply) =>
    verifyFileAgainstLedger(await fileChecksInPool(pool, request.body as string | undefined, reply), { ledger }),
  );
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
