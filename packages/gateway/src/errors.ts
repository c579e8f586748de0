import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The one shape of every error answer: a stable code and a sentence for people. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** A failure a route answers on purpose, with its HTTP status and stable code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** under-pressure's error (it constructs it with no arguments); the plugin sets Retry-After. */
export class OverloadedError extends HttpError {
  constructor() {
    super(503, 'OVERLOADED', 'the gateway is overloaded; retry after the number of seconds in Retry-After');
  }
}

/** What @fastify/rate-limit throws once a client is over its budget; the plugin sets Retry-After. */
export function rateLimitedError(_request: FastifyRequest, context: { max: number; after: string }): HttpError {
  return new HttpError(429, 'RATE_LIMITED', `this client sent more than ${context.max} such requests in the current window; retry in ${context.after}`);
}

interface SchemaViolation {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

/** "body.wait must be <= 60", "body has an unknown field "extra"": where, and what is wrong. */
function describeViolation(context: string, violation: SchemaViolation): string {
  const where = [context, ...violation.instancePath.split('/').filter(Boolean)].join('.');
  switch (violation.keyword) {
    case 'additionalProperties':
      return `${where} has an unknown field "${String(violation.params.additionalProperty)}"`;
    case 'required':
      return `${where} lacks the field "${String(violation.params.missingProperty)}"`;
    default:
      return `${where} ${violation.message ?? 'is not valid'}`;
  }
}

/** A request that breaks its route's schema: the code and sentence every such answer carries. */
export function schemaFailure(context: string, violation: SchemaViolation): { code: string; message: string } {
  return { code: 'INVALID_REQUEST', message: describeViolation(context, violation) };
}

/** fastify's own request failures, under this API's codes rather than fastify's internal ones. */
export const requestFailures: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the request body must be JSON (content-type: application/json)' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: 'the content-length header does not match the body' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: 'the request body is larger than this gateway accepts' },
  FST_ERR_BAD_URL: { code: 'BAD_URL', message: 'a part of the URL path is not valid percent-encoding' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URL_TOO_LONG', message: 'a part of the URL path is longer than this gateway accepts (100 characters)' },
};

/** Every failure becomes `{ error: { code, message } }`; internals are logged, never sent. */
export function handleError(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof HttpError) {
    void reply.status(error.statusCode).send(errorBody(error.code, error.message));
    return;
  }
  const [violation] = error.validation ?? [];
  if (violation) {
    const failure = schemaFailure(error.validationContext ?? 'request', violation as SchemaViolation);
    void reply.status(400).send(errorBody(failure.code, failure.message));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status === 413) {
    void reply.status(413).send(errorBody('BODY_TOO_LARGE', 'the request body is larger than this gateway accepts'));
  } else if (status >= 400 && status < 500) {
    const known = requestFailures[error.code];
    void reply.status(status).send(known ? errorBody(known.code, known.message) : errorBody('BAD_REQUEST', error.message));
  } else {
    request.log.error({ err: error }, 'request failed');
    void reply.status(500).send(errorBody('INTERNAL', 'the gateway failed to answer; the error is logged'));
  }
}

/** The answer to a request with no route: the same sentence whether fastify or Node met it. */
export function noRoute(method: string | undefined, url: string | undefined): ErrorBody {
  return errorBody('NOT_FOUND', `there is no route ${method} ${url?.split('?')[0]}`);
}

/** An error answer written straight to a socket fastify never handed a request for; the connection closes after it. */
function answerOnSocket(socket: Duplex, status: number, reason: string, body: ErrorBody): void {
  const text = JSON.stringify(body);
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/**
 * Failures Node's HTTP parser meets before fastify sees a request (malformed HTTP, headers too
 * large, a request not received within requestTimeout), answered in the same shape.
 */
export function handleClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, body] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', errorBody('REQUEST_TIMEOUT', 'the request was not received in time')]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', errorBody('HEADERS_TOO_LARGE', 'the URL and headers of the request are larger than this gateway accepts')]
        : [400, 'Bad Request', errorBody('BAD_REQUEST', 'the request is not well-formed HTTP')];
  answerOnSocket(socket, status, reason, body);
  socket.destroy(error);
}

/** Node closes the socket of a CONNECT request without a word unless told otherwise; this gateway is no proxy. */
export function refuseConnect(request: IncomingMessage, socket: Duplex): void {
  answerOnSocket(socket, 404, 'Not Found', noRoute(request.method, request.url));
  socket.destroy();
}

/** Node answers an Expect header other than 100-continue with an empty 417; this one says why. */
export function refuseExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const text = JSON.stringify(errorBody('EXPECTATION_FAILED', 'this gateway meets no Expect header but "100-continue"'));
  response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), connection: 'close' }).end(text);
}
