import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ConsensusTimings } from '@certledger/node';
import { writeTestNetwork, type ExtraPeer, type TestNetworkFiles } from '@certledger/node/testing';

/** The `certledger` entry point, for tests that run it as a process. */
export const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/certledger.mjs');

export interface NodeStatusJson {
  readonly height: number;
  readonly lastBlockHash: string;
  readonly syncing: boolean;
  readonly consensus: { readonly height: number; readonly round: number; readonly step: string };
  readonly peers: readonly { readonly connected: boolean }[];
}

/** One transaction's outcome in a batch answer. */
export interface BatchOutcome {
  readonly status: 'committed' | 'pending' | 'refused';
  readonly id?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Polls until `condition` holds; throws naming `what` after `timeoutMs`. */
export async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** GET /v1/status of the node serving `api` (e.g. http://127.0.0.1:26700); undefined when it does not answer. */
export async function nodeStatus(api: string): Promise<NodeStatusJson | undefined> {
  try {
    const response = await fetch(`${api}/v1/status`, { signal: AbortSignal.timeout(2000) });
    return response.ok ? ((await response.json()) as NodeStatusJson) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A devnet of validator processes on 127.0.0.1, each started with `certledger node start`,
 * for tests that kill, pause and restart real processes. Logs go to `<dir>/<name>.log`.
 */
export class DevnetProcesses {
  readonly dir: string;
  readonly network: TestNetworkFiles;
  readonly #children = new Map<number, ChildProcess>();
  readonly #paused = new Set<number>();
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(options: { validators?: number; basePort: number; extraPeers?: readonly ExtraPeer[]; extraIssuers?: number; timings?: ConsensusTimings; logLevel?: 'debug' | 'info' | 'warn' | 'error' }) {
    this.dir = mkdtempSync(join(tmpdir(), 'certledger-devnet-'));
    this.network = writeTestNetwork(this.dir, options);
  }

  get size(): number {
    return this.network.configFiles.length;
  }

  p2pAddress(i: number): string {
    return `/ip4/127.0.0.1/tcp/${this.network.p2pPorts[i]}`;
  }

  api(i: number): string {
    return `http://127.0.0.1:${this.network.apiPorts[i]}`;
  }

  logFile(i: number): string {
    return join(this.dir, `validator-${i}.log`);
  }

  /** Where validator `i` keeps its LevelDB store (the "data" of its node.json). */
  dataDir(i: number): string {
    return join(dirname(this.network.configFiles[i]!), 'data');
  }

  start(i: number): void {
    if (this.#children.has(i)) throw new Error(`validator ${i} is already running`);
    // The child writes its log itself: piping it through this process would cost this process
    // CPU per line, which a benchmark running here counts against the load client.
    const log = openSync(this.logFile(i), 'a');
    // CERTLEDGER_NODE_ARGS passes flags to each node's Node.js, e.g. --cpu-prof for profiling a benchmark.
    const nodeArgs = (process.env.CERTLEDGER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'node', 'start', '--config', this.network.configFiles[i]!], { stdio: ['ignore', log, log] });
    closeSync(log);
    child.once('exit', () => {
      this.#children.delete(i);
      this.#paused.delete(i);
    });
    this.#children.set(i, child);
  }

  startAll(): void {
    for (let i = 0; i < this.size; i++) this.start(i);
  }

  isRunning(i: number): boolean {
    return this.#children.has(i);
  }

  /** SIGKILL: no shutdown code runs, as in a power cut. */
  async kill(i: number): Promise<void> {
    await this.#signal(i, 'SIGKILL');
  }

  /** SIGSTOP: the process freezes with its sockets open, as a node cut off from the network. */
  pause(i: number): void {
    const child = this.#children.get(i);
    if (!child) throw new Error(`validator ${i} is not running`);
    child.kill('SIGSTOP');
    this.#paused.add(i);
  }

  /** SIGCONT: a paused process carries on where it stopped. */
  resume(i: number): void {
    this.#children.get(i)?.kill('SIGCONT');
    this.#paused.delete(i);
  }

  /** SIGTERM: a graceful stop. */
  async stop(i: number): Promise<void> {
    await this.#signal(i, 'SIGTERM');
  }

  async #signal(i: number, signal: NodeJS.Signals): Promise<void> {
    const child = this.#children.get(i);
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await Promise.race([exited, sleep(15_000)]);
    if (this.#children.has(i)) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  async status(i: number): Promise<NodeStatusJson | undefined> {
    return nodeStatus(this.api(i));
  }

  async height(i: number): Promise<number> {
    return (await this.status(i))?.height ?? -1;
  }

  async heights(indexes: readonly number[]): Promise<number[]> {
    return Promise.all(indexes.map((i) => this.height(i)));
  }

  /**
   * Submits a transaction and waits up to `waitSeconds` for its commit; answers the HTTP status
   * and body. The request fails after `timeoutMs` without an answer.
   */
  async submit(i: number, tx: Uint8Array, waitSeconds = 20, timeoutMs = (waitSeconds + 10) * 1000): Promise<{ status: number; body: { id?: string; height?: number; error?: { code: string } } }> {
    return this.#post(i, '/v1/transactions', { tx: Buffer.from(tx).toString('base64'), wait: waitSeconds }, timeoutMs);
  }

  /** Submits transactions in one request (POST /v1/transactions/batch); answers the status and each outcome. */
  async submitBatch(i: number, txs: readonly Uint8Array[], timeoutMs = 30_000): Promise<{ status: number; body: { results?: BatchOutcome[]; error?: { code: string } } }> {
    return this.#post(i, '/v1/transactions/batch', { txs: txs.map((tx) => Buffer.from(tx).toString('base64')) }, timeoutMs);
  }

  async #post<T>(i: number, path: string, body: unknown, timeoutMs: number): Promise<{ status: number; body: T }> {
    const payload = JSON.stringify(body);
    // node:http with a keep-alive agent: far less client CPU per request than fetch, which
    // matters when the load generator shares the cores with the validators it measures.
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        `${this.api(i)}${path}`,
        { method: 'POST', agent: this.#agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }, timeout: timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            try {
              resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T });
            } catch (error) {
              reject(error as Error);
            }
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('request timed out')));
      request.on('error', reject);
      request.end(payload);
    });
  }

  async transaction(i: number, id: string): Promise<{ status: number; height?: number }> {
    const response = await fetch(`${this.api(i)}/v1/transactions/${id}`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { height?: number };
    return { status: response.status, height: body.height };
  }

  async block(i: number, height: number): Promise<{ hash: string; txs: string[] } | undefined> {
    const response = await fetch(`${this.api(i)}/v1/blocks/${height}`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    return (await response.json()) as { hash: string; txs: string[] };
  }

  async blockHash(i: number, height: number): Promise<string | undefined> {
    return (await this.block(i, height))?.hash;
  }

  async shutdown(): Promise<void> {
    // A stopped process would hold SIGTERM until continued.
    for (const i of [...this.#paused]) this.resume(i);
    await Promise.all([...this.#children.keys()].map((i) => this.stop(i)));
    this.#agent.destroy();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
