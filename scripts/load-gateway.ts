/**
 * One gateway route under overload, read against a bare fastify route measured in the same run.
 *
 *   pnpm load:gateway [-- --seconds 10 --connections 100 --rounds 2 --route /v1/status --method GET --body FILE]
 *   pnpm load:gateway -- --verify      POST /v1/verify with the certificates of a batch anchored on the node
 *
 * --verify issues a batch of 1000 certificates, anchors it, and each connection sends them in
 * turn, one per request: the gateway remembers what a batch's certificates share (its
 * anchor transaction, issuer key, upper Merkle nodes), so a realistic load verifies many
 * certificates of one batch, not one certificate again and again. The bare route gets the same
 * bodies in the same order. --body FILE sends that one JSON body with every request.
 *
 * Each target is warmed up and then measured closed-loop (same connections, 2 s each) to find its capacity, then
 * offered three times that rate for --seconds by autocannon in its own process, so the load
 * generator never shares the server's event loop. Targets: the bare route and the gateway with
 * rate limits off (the route itself, load shedding at its defaults), alternating for --rounds
 * rounds, the best round of each compared; then the gateway with its default per-client limits
 * applied to this client (loopback is exempt by default), to show them at work. Servers run in this process
 * on 127.0.0.1; peak RSS is sampled every 100 ms during each overload run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGateway, type GatewayOptions } from '@certledger/gateway';
import { issueAnchoredTestBatch, runAutocannon, startBareServer, type Listening, type LoadMethod, type LoadResult } from '@certledger/gateway/load-testing';
import { createLogger, loadNodeConfig, startNode, type NodeHandle } from '@certledger/node';
import { freePortBlock, testNetworkPortCount, writeTestNetwork } from '@certledger/node/testing';

const OVERLOAD_FACTOR = 3;
const WARM_UP_SECONDS = 2;
const CALIBRATION_SECONDS = 2;
const VERIFY_BATCH = 1000;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '2' },
    route: { type: 'string', default: '/v1/status' },
    method: { type: 'string', default: 'GET' },
    body: { type: 'string' },
    verify: { type: 'boolean', default: false },
  },
});
if (values.verify) {
  values.route = '/v1/verify';
  values.method = 'POST';
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${text}`);
  return value;
}

const seconds = wholeNumber('seconds', values.seconds, 1, 120);
const connections = wholeNumber('connections', values.connections, 1, 1000);
const rounds = wholeNumber('rounds', values.rounds, 1, 10);
const route = values.route;
if (!/^\/[\x21-\x7e]*$/.test(route)) throw new Error(`--route must be a path starting with /, got ${route}`);
const method = values.method.toUpperCase() as LoadMethod;
if (method !== 'GET' && method !== 'POST') throw new Error(`--method must be GET or POST, got ${values.method}`);
if (method === 'POST' && values.body === undefined && !values.verify) throw new Error('--method POST needs --body FILE (the JSON request body)');
/** The --body file's JSON on one line, as the load generator's bodies file holds it. */
function bodyLine(file: string): string {
  try {
    return JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`--body ${file} must be a readable JSON file: ${(error as Error).message}`);
  }
}
const givenBody = values.body === undefined ? undefined : bodyLine(values.body);

interface Measured extends LoadResult {
  readonly target: string;
  readonly capacity: number;
  readonly offered: number;
  readonly peakRssBytes: number;
}

/**
 * Warms the target up (its code compiled, its caches and the gateway's verifier threads
 * started, none of which a running server pays again), calibrates its capacity, then
 * overloads it while sampling this process's RSS.
 */
async function measure(target: string, server: Listening, bodiesFile: string | undefined, rate?: number): Promise<Measured> {
  const run = { url: server.url, method, bodiesFile, connections };
  // A given rate (the rate-limited run) is not warmed up: that would spend the client's budget.
  if (rate === undefined) await runAutocannon({ ...run, seconds: WARM_UP_SECONDS });
  const capacity = rate ?? (await runAutocannon({ ...run, seconds: CALIBRATION_SECONDS })).requestsPerSecond;
  const offered = capacity * OVERLOAD_FACTOR;
  console.log(`${target}: capacity ${capacity.toFixed(0)} req/s; offering ${offered.toFixed(0)} req/s over ${connections} connections for ${seconds} s`);
  let peakRssBytes = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), 100);
  try {
    const result = await runAutocannon({ ...run, seconds, overallRate: offered });
    return { ...result, target, capacity, offered, peakRssBytes };
  } finally {
    clearInterval(sampler);
  }
}

async function gatewayServer(node: NodeHandle, options: GatewayOptions): Promise<Listening> {
  const app = await createGateway(node, { logger: false, ...options });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${url}${route}`, close: () => app.close() };
}

async function measureWith(target: string, server: Listening, bodiesFile: string | undefined, rate?: number): Promise<Measured> {
  try {
    return await measure(target, server, bodiesFile, rate);
  } finally {
    await server.close();
  }
}

function print(results: readonly Measured[]): void {
  const header = ['target', 'offered/s', 'req/s', '2xx/s', 'p50 ms', 'p99 ms', '2xx', '429', '503', 'other', 'no answer', 'peak RSS MiB'];
  const rows = results.map((r) => [
    r.target,
    r.offered.toFixed(0),
    r.requestsPerSecond.toFixed(0),
    r.okPerSecond.toFixed(0),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.ok),
    String(r.rateLimited),
    String(r.overloaded),
    String(r.otherStatus),
    String(r.unanswered),
    (r.peakRssBytes / 2 ** 20).toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  for (const r of results) {
    // A noisy calibration can underestimate capacity; then the run measured no overload.
    if (r.requestsPerSecond > 0.9 * r.offered) console.log(`note: ${r.target} answered ${((100 * r.requestsPerSecond) / r.offered).toFixed(0)}% of the offered rate, so it was not overloaded`);
  }
  const [bare, gateway] = results;
  if (bare && gateway) {
    console.log(`ratio gateway/bare under overload: ${(gateway.requestsPerSecond / bare.requestsPerSecond).toFixed(3)} (answers/s), ${(gateway.okPerSecond / bare.okPerSecond).toFixed(3)} (2xx/s)`);
  }
}

/** Request bodies for POST /v1/verify: the certificates of a batch issued and anchored on this node, so every check runs and passes. */
async function anchoredCertificateBodies(node: NodeHandle): Promise<string[]> {
  const records = Array.from({ length: VERIFY_BATCH }, (_, i) => ({ name: 'Load Test', licenceNumber: `LT${String(i + 1).padStart(6, '0')}`, categories: ['B'], address: { city: 'Testville' } }));
  const { credentials } = await issueAnchoredTestBatch(node, records, null);
  return credentials.map((certificate) => JSON.stringify({ certificate }));
}

/** The bodies the load generator sends in turn, one per line of a file in `dir`; none for a GET. */
async function requestBodiesFile(node: NodeHandle, dir: string): Promise<string | undefined> {
  const bodies = values.verify ? await anchoredCertificateBodies(node) : givenBody === undefined ? [] : [givenBody];
  if (bodies.length === 0) return undefined;
  const file = join(dir, 'request-bodies.ndjson');
  writeFileSync(file, `${bodies.join('\n')}\n`);
  return file;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'certledger-load-gateway-'));
  const network = writeTestNetwork(dir, { validators: 1, basePort: await freePortBlock(testNetworkPortCount(1)), logLevel: 'error' });
  const node = await startNode(loadNodeConfig(network.configFiles[0]!), { logger: createLogger('load-gateway', 'error') });
  const results: Measured[] = [];
  try {
    const bodies = await requestBodiesFile(node, dir);
    const sent = values.verify ? ` with the ${VERIFY_BATCH} certificates of one anchored batch in turn` : values.body ? ` with body ${values.body}` : '';
    console.log(`load: ${method} ${route}${sent}, overload ${OVERLOAD_FACTOR}x capacity, ${seconds} s per run`);
    // Bare and gateway runs alternate, and the best round of each is compared: other work on
    // the machine only ever slows a run down, so the best is the least disturbed.
    const bareRuns: Measured[] = [];
    const unlimitedRuns: Measured[] = [];
    for (let round = 1; round <= rounds; round++) {
      const label = rounds > 1 ? ` (round ${round})` : '';
      bareRuns.push(await measureWith(`bare fastify ${method} ${route}${label}`, await startBareServer(route, method), bodies));
      unlimitedRuns.push(await measureWith(`gateway ${method} ${route}, no rate limit${label}`, await gatewayServer(node, { rateLimit: false }), bodies));
    }
    const best = (runs: Measured[]) => runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    results.push(best(bareRuns), best(unlimitedRuns));
    results.push(await measureWith(`gateway ${method} ${route}, default per-client limits`, await gatewayServer(node, { rateLimit: { exempt: [] } }), bodies, best(unlimitedRuns).capacity));
    if (rounds > 1) {
      console.log(`rounds: bare ${bareRuns.map((r) => r.requestsPerSecond.toFixed(0)).join(', ')} req/s; gateway ${unlimitedRuns.map((r) => r.requestsPerSecond.toFixed(0)).join(', ')} req/s; the best of each is compared`);
    }
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('');
  print(results);
}

await main();
