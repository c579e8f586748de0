import type { JsonObject } from '@certledger/certs';
import { sha256, toHex } from '@certledger/codec';
import { createGateway, tokenSha256 } from '@certledger/gateway';
import { decodeBlock, decodeTransaction } from '@certledger/ledger';
import { testAnchorTx, testSeed, testSigner } from '@certledger/ledger/testing';
import type { NodeHandle } from '@certledger/node';
import { buildCorpus } from './corpus.js';
import type { FuzzTarget } from './harness.js';
import { httpRequests, type HttpInput, type HttpMethod, type HttpSeeds } from './http-requests.js';
import { expectProgress, startNetwork } from './live-network.js';

type Gateway = Awaited<ReturnType<typeof createGateway>>;

export const BODY_LIMIT_BYTES = 256 * 1024;
const ISSUE_TOKEN = 'fuzz-transport-token-0123456789';
/** The only 5xx answers allowed: the gateway says it is overloaded or closing, and nothing failed. */
const ALLOWED_5XX = new Set(['OVERLOADED', 'SHUTTING_DOWN']);
/** Routes that put a transaction into the mempool when they answer 201 or 202. */
const WRITES = new Set(['/v1/transactions', '/v1/issue']);
/** Traces of internals: stack frames, source locations, dependency paths, fastify's own codes. */
const INTERNALS = /(?:\\n|\n)\s*at \S|node_modules|\.(?:ts|js|mjs):\d+:\d+|FST_ERR/;

/**
 * What every answer must be, whatever was asked: no 5xx but 503 OVERLOADED/SHUTTING_DOWN,
 * errors as exactly `{ error: { code, message } }`, and no internals in any JSON body.
 * Returns the error code of an error answer.
 */
export function checkAnswer(method: string, status: number, contentType: string, body: string): string | undefined {
  if (INTERNALS.test(body) && (contentType.includes('json') || status >= 400)) throw new Error(`a ${status} answer shows internals: ${body.slice(0, 300)}`);
  if (status < 400) return undefined;
  if (method === 'HEAD') {
    if (status >= 500) throw new Error(`HEAD answered ${status}`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`a ${status} answer is not JSON: ${body.slice(0, 200)}`);
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  const wellFormed =
    Object.keys(parsed as object).length === 1 &&
    error !== undefined &&
    Object.keys(error).length === 2 &&
    typeof error.code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(error.code) &&
    typeof error.message === 'string' &&
    error.message.length > 0;
  if (!wellFormed) throw new Error(`a ${status} answer is not { error: { code, message } }: ${body.slice(0, 200)}`);
  const code = (error as { code: string }).code;
  if (status >= 500 && !(status === 503 && ALLOWED_5XX.has(code))) throw new Error(`answered ${status} ${code}: ${body.slice(0, 200)}`);
  return code;
}

/** A certificate issued through the gateway and anchored on the node's chain, location attached. */
async function anchoredCertificate(app: Gateway) {
  const body = { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, records: [{ name: 'Grace Hopper' }], validFrom: '2026-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z', wait: 30 };
  const response = await app.inject({ method: 'POST', url: '/v1/issue', payload: body, headers: { authorization: `Bearer ${ISSUE_TOKEN}` } });
  if (response.statusCode !== 201) throw new Error(`setting up: issuing was answered ${response.statusCode} ${response.body}`);
  const answer = response.json() as { credentials: JsonObject[]; txId: string; height: number; root: string };
  return { certificate: answer.credentials[0]!, txId: answer.txId, height: answer.height, root: answer.root };
}

/** Routes and query fields from the gateway's own OpenAPI document, so new routes are fuzzed too. */
async function routesOf(app: Gateway): Promise<Pick<HttpSeeds, 'routes' | 'queryFields'>> {
  const document = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
  const routes: { method: HttpMethod; path: string }[] = [];
  const queryFields = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      routes.push({ method: method.toUpperCase() as HttpMethod, path });
      for (const parameter of operation.parameters ?? []) if (parameter.in === 'query') queryFields.add(parameter.name);
    }
  }
  return { routes, queryFields: [...queryFields] };
}

async function httpSeeds(app: Gateway, node: NodeHandle, chainId: string): Promise<HttpSeeds> {
  const anchored = await anchoredCertificate(app);
  // Anchors whose sequence numbers come due one after another, so some writes succeed as the run goes on.
  const anchors = Array.from({ length: 40 }, (_, i) => testAnchorTx(chainId, i + 1, sha256(Uint8Array.of(0xf0, i))));
  const knownValues = [
    anchored.txId,
    anchored.root,
    toHex(testSigner('issuer-transport').publicKey),
    toHex(node.publicKey),
    '1',
    String(anchored.height),
    'transport',
    'health',
    'driving-licence',
  ];
  return {
    ...(await routesOf(app)),
    knownValues,
    txs: [...anchors, ...buildCorpus(chainId).txs],
    certificate: anchored.certificate,
    issueToken: ISSUE_TOKEN,
    bodyLimitBytes: BODY_LIMIT_BYTES,
  };
}

/**
 * The HTTP API of a live single-validator node, driven with `inject`: every answer passes
 * {@link checkAnswer}, a refused write never reaches the mempool, and afterwards the chain has
 * grown and holds no transaction the gateway did not accept.
 */
export async function startHttpTarget(): Promise<FuzzTarget<HttpInput>> {
  const network = await startNetwork({ validators: 1, running: 1, logLevel: 'error' });
  const node = network.nodes[0]!;
  const app = await createGateway(node, {
    bodyLimitBytes: BODY_LIMIT_BYTES,
    loadShedding: false,
    issuing: { departments: [{ issuerId: 'transport', secretKey: testSeed('issuer-transport'), tokenSha256: tokenSha256(ISSUE_TOKEN) }], schemas: new Map([['driving-licence@1', { type: 'object' }]]) },
  });
  const close = async () => {
    await app.close();
    await network.stop();
  };
  let seeds: HttpSeeds;
  try {
    seeds = await httpSeeds(app, node, network.chainId);
  } catch (error) {
    await close();
    throw error;
  }
  const startHeight = node.state.height;
  const accepted = new Set<string>();
  return {
    name: 'http/api',
    arbitrary: httpRequests(seeds),
    run: async (input) => {
      const isWrite = input.method === 'POST' && WRITES.has(input.url.split('?')[0]!);
      const mempoolBefore = node.status().mempool.txs;
      const response = await app.inject({ method: input.method, url: input.url, headers: input.headers, ...(input.payload === undefined ? {} : { payload: input.payload }) });
      const code = checkAnswer(input.method, response.statusCode, String(response.headers['content-type'] ?? ''), response.body);
      if (isWrite && (response.statusCode === 201 || response.statusCode === 202)) accepted.add((response.json() as { id?: string; txId?: string }).id ?? (response.json() as { txId: string }).txId);
      else if (isWrite && node.status().mempool.txs > mempoolBefore) throw new Error(`a write answered ${response.statusCode} ${code ?? ''} entered the mempool`);
      if (network.logs.errors.length > 0) throw new Error(`the node logged an error: ${network.logs.errors[0]}`);
      return `${input.label} → ${response.statusCode}${code === undefined ? '' : ` ${code}`}`;
    },
    check: async () => {
      const height = await expectProgress([node], 30_000);
      for (let h = startHeight + 1; h <= height; h++) {
        const block = decodeBlock((await node.store.getBlock(h))!, node.state.params.maxBlockBytes);
        if (!block.ok) throw new Error(`block ${h} on the node does not decode: ${block.error.message}`);
        for (const bytes of block.value.txs) {
          const tx = decodeTransaction(bytes);
          const id = tx.ok ? toHex(tx.value.id) : '(undecodable)';
          if (!accepted.has(id)) throw new Error(`block ${h} holds transaction ${id}, which the gateway never accepted`);
        }
      }
    },
    close,
  };
}
