/**
 * The child process runAutocannon starts (load-testing.ts): runs autocannon through its
 * programmatic API, which unlike its CLI can send a different body with each request, and
 * prints autocannon's result as JSON. Its one argument is the LoadRun, as JSON.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LoadRun } from './load-testing.js';

/** The part of autocannon's options used here (it ships no types). */
interface AutocannonOptions {
  readonly url: string;
  readonly method: string;
  readonly connections: number;
  readonly duration: number;
  readonly overallRate?: number;
  readonly headers?: Record<string, string>;
  readonly requests?: readonly { readonly body: string }[];
}

/** autocannon's run: a promise of its result that also emits 'start' once its connections are set up. */
type AutocannonRun = Promise<Record<string, unknown>> & { once(event: 'start', listener: () => void): void };

const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => AutocannonRun;

const run = JSON.parse(process.argv[2] ?? '') as LoadRun;
const bodies = run.bodiesFile === undefined ? [] : readFileSync(run.bodiesFile, 'utf8').split('\n').filter((line) => line !== '');
// Each connection goes through the bodies in turn. Given as a fixed list, the requests are
// built once; built per request (setupRequest), they cost the load generator more than the
// bare route costs the server, and the ceiling measured would be the generator's.

const running = autocannon({
  url: run.url,
  method: run.method,
  connections: run.connections,
  duration: run.seconds,
  ...(run.overallRate === undefined ? {} : { overallRate: Math.max(1, Math.round(run.overallRate)) }),
  ...(bodies.length === 0 ? {} : { headers: { 'content-type': 'application/json' }, requests: bodies.map((body) => ({ body })) }),
});
// autocannon's own duration counts from before it builds every connection's request list,
// which for 100 connections × 1000 bodies takes seconds; the sending starts at 'start'.
let sendingSince = Date.now();
running.once('start', () => (sendingSince = Date.now()));
const result = await running;
process.stdout.write(JSON.stringify({ ...result, sendingSeconds: (Date.now() - sendingSince) / 1000 }));
