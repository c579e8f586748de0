/**
 * What scripts/load-gateway.ts needs from this package's dependencies: a bare fastify route as
 * the ceiling a gateway route is read against, autocannon run in its own process so the load
 * generator never shares the server's event loop, and anchored certificates to verify.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';

export { issueAnchoredTestBatch } from './anchored-certificate.js';

export type LoadMethod = 'GET' | 'POST';

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/** fastify with one route answering `{ hello: 'world' }` (JSON bodies parsed, as the gateway does), on 127.0.0.1. */
export async function startBareServer(path: string, method: LoadMethod): Promise<Listening> {
  const app = Fastify({ logger: false });
  app.route({ method, url: path, handler: async () => ({ hello: 'world' }) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${url}${path}`, close: () => app.close() };
}

export interface LoadRun {
  readonly url: string;
  readonly method: LoadMethod;
  /** A file of JSON request bodies, one per line, each connection sending them in turn. */
  readonly bodiesFile?: string;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second offered over all connections; as fast as answers come when absent. */
  readonly overallRate?: number;
}

export interface LoadResult {
  /** Answers of any status per second. */
  readonly requestsPerSecond: number;
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly rateLimited: number;
  readonly overloaded: number;
  readonly otherStatus: number;
  /** Connection errors and timeouts: requests that got no answer. */
  readonly unanswered: number;
}

interface AutocannonJson {
  /** Seconds from the first request sent to the result (autocannon-runner.ts). */
  readonly sendingSeconds: number;
  readonly requests: { readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly statusCodeStats: Record<string, { readonly count: number }>;
  readonly errors: number;
  readonly timeouts: number;
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const runner = fileURLToPath(new URL('./autocannon-runner.ts', import.meta.url));

/** Runs autocannon in a child process (autocannon-runner.ts) for `run.seconds` (killed if it overruns by 30 s). */
export function runAutocannon(run: LoadRun): Promise<LoadResult> {
  const args = ['--import', tsxLoader, runner, JSON.stringify(run)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const watchdog = setTimeout(() => child.kill('SIGKILL'), (run.seconds + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${Buffer.concat(err).toString().slice(-500)}`));
      try {
        resolve(summarise(JSON.parse(Buffer.concat(out).toString()) as AutocannonJson));
      } catch (error) {
        reject(new Error(`autocannon printed no result: ${(error as Error).message}`));
      }
    });
  });
}

function summarise(result: AutocannonJson): LoadResult {
  const count = (match: (status: number) => boolean) =>
    Object.entries(result.statusCodeStats)
      .filter(([status]) => match(Number(status)))
      .reduce((sum, [, { count }]) => sum + count, 0);
  const ok = count((s) => s >= 200 && s < 300);
  return {
    requestsPerSecond: result.requests.total / result.sendingSeconds,
    okPerSecond: ok / result.sendingSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    rateLimited: count((s) => s === 429),
    overloaded: count((s) => s === 503),
    otherStatus: count((s) => s < 200 || (s >= 300 && s !== 429 && s !== 503)),
    unanswered: result.errors + result.timeouts,
  };
}
