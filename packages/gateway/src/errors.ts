import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The one shape of every error answer: a stable code and a sentence for people. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Maps fastify's own failures (validation, body size, bad JSON) to the error shape; hides internals. */
export function handleError(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof HttpError) {
    void reply.status(error.statusCode).send(errorBody(error.code, error.message));
    return;
  }
  if (error.validation) {
    void reply.status(400).send(errorBody('INVALID_REQUEST', `${error.validationContext ?? 'request'} ${error.message.replace(/^(body|params|querystring)\/?/, '')}`.trim()));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status === 413) {
    void reply.status(413).send(errorBody('BODY_TOO_LARGE', 'the request body is larger than this gateway accepts'));
  } else if (status >= 400 && status < 500) {
    void reply.status(status).send(errorBody(error.code ?? 'BAD_REQUEST', error.message));
  } else {
    request.log.error({ err: error }, 'request failed');
    void reply.status(500).send(errorBody('INTERNAL', 'the gateway failed to answer; the error is logged'));
  }
}
