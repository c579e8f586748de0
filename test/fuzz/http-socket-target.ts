import { get } from 'node:http';
import { connect } from 'node:net';
import { createGateway } from '@certledger/gateway';
import fc from 'fast-check';
import type { FuzzTarget } from './harness.js';
import { checkAnswer } from './http-target.js';
import { expectProgress, startNetwork } from './live-network.js';
import { mutatedBytes } from './mutations.js';

/**
 * What a client can do to the socket that `inject` cannot: send bytes that are not HTTP, send
 * headers too large, or declare a body and send less of it, then keep the connection open.
 */
export type SocketInput =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'big-headers'; readonly headerBytes: number; readonly count: number }
  | { readonly kind: 'short-body'; readonly declared: number; readonly sent: number };

/** How long a client waits for an answer to a request it left incomplete. */
const PATIENCE_MS = 1500;

const encoder = new TextEncoder();
const WELL_FORMED = [
  'GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /health HTTP/1.0\r\n\r\n',
  'POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"tx":"AA"}',
  'POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"cer\r\n0\r\n\r\n',
  'GET /v1/blocks?limit=2 HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n',
].map((text) => encoder.encode(text));

const token = fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'CONNECT', 'TRACE', 'PRI', 'get', 'G\u00c9T', ''), fc.string({ maxLength: 12 }));
const requestTarget = fc.oneof(fc.constantFrom('/', '/v1/status', '*', 'http://x/health', '//', '/%', '/\u0000', '/a b', ''), fc.string({ maxLength: 30 }));
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1', 'HTTP/1.1 extra', '');
const oddHeader = fc.oneof(
  fc.constantFrom('Content-Length: 5\r\nContent-Length: 6', 'Content-Length: -1', 'Content-Length: 1e3', 'Transfer-Encoding: chunked\r\nContent-Length: 3', 'Transfer-Encoding: gzip, chunked', 'X: a\r\n folded', 'NoColon', ': empty', 'Host:', 'X\u0000Y: z'),
  fc.string({ maxLength: 40 }),
);

export const socketInputs: fc.Arbitrary<SocketInput> = fc.oneof(
  { arbitrary: mutatedBytes(WELL_FORMED).map((bytes) => ({ kind: 'bytes' as const, bytes })), weight: 4 },
  {
    arbitrary: fc
      .tuple(token, requestTarget, version, fc.array(oddHeader, { maxLength: 3 }))
      .map(([method, target, http, headers]) => ({ kind: 'bytes' as const, bytes: encoder.encode(`${method} ${target} ${http}\r\n${[...headers, 'Host: x'].join('\r\n')}\r\n\r\n`) })),
    weight: 4,
  },
  { arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'bytes' as const, bytes })), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('big-headers' as const), headerBytes: fc.integer({ min: 1000, max: 80_000 }), count: fc.integer({ min: 1, max: 300 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('short-body' as const), declared: fc.integer({ min: 2, max: 100_000 }), sent: fc.nat({ max: 100 }) }), weight: 1 },
);

function requestBytes(input: SocketInput): Uint8Array {
  if (input.kind === 'bytes') return input.bytes;
  if (input.kind === 'big-headers') {
    const each = Math.max(1, Math.floor(input.headerBytes / input.count));
    const headers = Array.from({ length: input.count }, (_, i) => `X-Filler-${i}: ${'a'.repeat(each)}`).join('\r\n');
    return encoder.encode(`GET /v1/status HTTP/1.1\r\nHost: x\r\n${headers}\r\n\r\n`);
  }
  const head = `POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${input.declared}\r\n\r\n`;
  const body = `{"tx":"${'A'.repeat(100)}`.slice(0, Math.min(input.sent, input.declared - 1));
  return encoder.encode(`${head}${body}`);
}

interface Exchange {
  readonly raw: string;
  readonly closed: boolean;
}

/** Sends the bytes and collects what comes back until the server closes or the client's patience ends. */
function exchange(port: number, bytes: Uint8Array, halfClose: boolean): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ raw, closed: false });
    }, PATIENCE_MS);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ raw, closed: true });
    });
    socket.on('connect', () => {
      socket.write(bytes);
      if (halfClose) socket.end();
    });
  });
}

/** The first answer in `raw` to a request by `method`, checked like every answer; its status, or undefined when nothing came back. */
function checkFirstAnswer(method: string, raw: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  if (raw.length > 0 && !match) throw new Error(`the server sent something that is not an HTTP answer: ${JSON.stringify(raw.slice(0, 120))}`);
  if (!match) return undefined;
  const status = Number(match[1]);
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, headEnd).toLowerCase();
  const length = /\r\ncontent-length: (\d+)/.exec(head);
  const body = length ? Buffer.from(raw.slice(headEnd + 4), 'latin1').subarray(0, Number(length[1])).toString('utf8') : '';
  const contentType = /\r\ncontent-type: ([^\r]*)/.exec(head)?.[1] ?? '';
  if (length) checkAnswer(method, status, contentType, body);
  else if (status >= 500) throw new Error(`answered ${status}`);
  return status;
}

function health(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: '/health', timeout: 5000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('no answer to GET /health within 5 s')));
    request.on('error', reject);
  });
}

/**
 * Malformed HTTP on a real socket against a gateway listening on 127.0.0.1: each attempt is
 * answered with a well-formed answer or the connection closes (or, for a body still owed, the
 * client gives up), and the gateway then still answers GET /health.
 */
export async function startSocketTarget(): Promise<FuzzTarget<SocketInput>> {
  const network = await startNetwork({ validators: 1, running: 1, logLevel: 'error' });
  const node = network.nodes[0]!;
  const app = await createGateway(node, { loadShedding: false, requestTimeoutMs: 1000 });
  const close = async () => {
    await app.close();
    await network.stop();
  };
  let port: number;
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  } catch (error) {
    await close();
    throw error;
  }
  return {
    name: 'http/socket',
    arbitrary: socketInputs,
    run: async (input) => {
      const bytes = requestBytes(input);
      const result = await exchange(port, bytes, input.kind !== 'short-body');
      // A HEAD answer has no body, whatever its content-length says.
      const method = Buffer.from(bytes).toString('latin1').split(' ', 1)[0] ?? '';
      const status = checkFirstAnswer(method, result.raw);
      const alive = await health(port);
      if (alive !== 200) throw new Error(`after this input GET /health answered ${alive}`);
      return `${input.kind}: ${status ?? (result.closed ? 'closed without an answer' : `no answer within ${PATIENCE_MS} ms`)}`;
    },
    check: async () => {
      await expectProgress([node], 30_000);
    },
    close,
  };
}
