import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import type { NodeHandle } from '@certledger/node';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { handleClientError, handleError, HttpError, noRoute, OverloadedError, rateLimitedError, refuseConnect, refuseExpectation } from './errors.js';
import { jsonBodyText, parseJsonText } from './json-body.js';
import { resolveOptions, type GatewayOptions } from './options.js';
import { accountRoutes } from './routes/account-routes.js';
import { blockRoutes } from './routes/block-routes.js';
import { explorerRoutes } from './routes/explorer-routes.js';
import { issueRoutes } from './routes/issue-routes.js';
import { probeRoutes, statusRoute } from './routes/node-routes.js';
import { registryRoutes } from './routes/registry-routes.js';
import { transactionRoutes } from './routes/transaction-routes.js';
import { verifierRoutes } from './routes/verifier-routes.js';
import { AJV_OPTIONS } from './verify-body.js';
import { VerifierPool } from './verifier-pool.js';

const API_DESCRIPTION =
  'The HTTP API of a certledger node. Every error is `{ "error": { "code", "message" } }`. Requests under /v1, /docs and /explorer are rate-limited per client (429 with Retry-After) and shed when the process is overloaded (503 with Retry-After).';

/**
 * The node's HTTP API, not yet listening. Every route validates its input with a JSON Schema;
 * errors come as `{ error: { code, message } }`; a write is answered 201 only once it is in a
 * committed block, 202 with a status URL before. Probes (/health, /ready, /metrics) sit
 * outside the rate limits and load shedding; everything else sits inside.
 */
export async function createGateway(node: NodeHandle, options: GatewayOptions = {}): Promise<FastifyInstance> {
  const settings = resolveOptions(options);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: settings.bodyLimitBytes,
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    trustProxy: (options.trustProxy ?? false) as boolean | string | string[],
    // Node would answer a missing Host with an empty 400; the onRequest hook below answers in our shape.
    http: { requireHostHeader: false },
    clientErrorHandler: handleClientError,
    // The router's own refusals (a path part that is not valid percent-encoding or is too long) in our shape too.
    frameworkErrors: handleError,
    // fastify's own 503 while closing has another shape; the hook below answers in ours.
    return503OnClosing: false,
    ajv: { customOptions: { ...AJV_OPTIONS } },
  });
  const pool = settings.verifierThreads > 0 ? new VerifierPool(settings.verifierThreads, settings.verifyQueueLimit) : undefined;
  if (pool) app.addHook('onClose', () => pool.close());
  app.server.on('connect', refuseConnect);
  app.server.on('checkExpectation', refuseExpectation);
  app.setErrorHandler(handleError);
  // JSON only: a text body would otherwise reach the schema as a string and fail less clearly.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const json = parseJsonText(jsonBodyText(request, body as Buffer));
    if (json.ok) done(null, json.value);
    else done(new HttpError(400, json.code, json.message), undefined);
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(noRoute(request.method, request.url)));
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook: an async one costs every request a promise and a turn of the microtask queue.
  app.addHook('onRequest', (request, _reply, done) => {
    if (closing) done(new HttpError(503, 'SHUTTING_DOWN', 'the gateway is shutting down; retry on another node'));
    else if (request.headers.host === undefined && request.raw.httpVersion === '1.1') done(new HttpError(400, 'BAD_REQUEST', 'an HTTP/1.1 request must carry a Host header'));
    else done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'certledger node API', version: '1', description: API_DESCRIPTION },
      tags: [
        { name: 'node', description: 'probes, metrics and status' },
        { name: 'transactions', description: 'submit, look up and prove transactions' },
        { name: 'blocks', description: 'committed blocks' },
        { name: 'registry', description: 'issuing departments, certificate types, validators' },
        { name: 'anchors', description: 'anchored certificate batches and revocations' },
        { name: 'certificates', description: 'verify certificate files' },
      ],
    },
  });
  probeRoutes(app, node);

  await app.register(async (api) => {
    const { loadShedding: shed, rateLimit: limits } = settings;
    if (shed) {
      await api.register(underPressure, {
        maxEventLoopDelay: shed.maxEventLoopDelayMs,
        maxHeapUsedBytes: shed.maxHeapUsedBytes,
        maxRssBytes: shed.maxRssBytes,
        sampleInterval: shed.sampleIntervalMs,
        retryAfter: shed.retryAfterSeconds,
        customError: OverloadedError,
      });
    }
    if (limits) {
      await api.register(rateLimit, {
        global: true,
        max: limits.readsPerWindow,
        timeWindow: limits.windowMs,
        allowList: [...limits.exempt],
        errorResponseBuilder: rateLimitedError,
      });
    }
    await api.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    statusRoute(api, node);
    const writeLimit = limits ? { max: limits.writesPerWindow, timeWindow: limits.windowMs } : undefined;
    transactionRoutes(api, node, writeLimit);
    blockRoutes(api, node);
    registryRoutes(api, node);
    accountRoutes(api, node);
    explorerRoutes(api);
    await verifierRoutes(api, node, pool);
    if (options.issuing) issueRoutes(api, node, options.issuing, writeLimit);
  });

  return app;
}
