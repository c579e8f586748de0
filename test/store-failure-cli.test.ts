import { spawn, type ChildProcess } from 'node:child_process';
import { freePortBlock, testNetworkPortCount } from '@certledger/node/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, DevnetProcesses, sleep, until } from './support/devnet-processes.js';

/*
 * `certledger node start` on a disk that refuses a write: the validator stops and exits with
 * status 1 by itself, then starts again from its store and carries on. The refusal is a real
 * one: the first run is under a file-size limit (RLIMIT_FSIZE, set by `ulimit -f`), and since
 * Node.js ignores SIGXFSZ, LevelDB's write-ahead log append fails with EFBIG ("File too large")
 * once the log reaches it. Its output goes through pipes, which the limit does not cover.
 * Loopback only.
 */

/**
 * A lone validator commits about ten empty blocks a second, each adding ~2.2 KB to the log:
 * this limit is reached after ~30 blocks, a few seconds after the HTTP API is up.
 */
const FILE_SIZE_LIMIT_KIB = 64;
const FATAL_LINE = 'a store write failed: this node takes no further part in consensus until it is started again';
const STOPPING_LINE = 'stopping after the failed store write; start the node again once the disk is fixed';
const STOPPED_LINE = 'stopped';

const devnet = new DevnetProcesses({ validators: 1, basePort: await freePortBlock(testNetworkPortCount(1)), logLevel: 'info' });
const runs: NodeRun[] = [];

interface LogLine {
  readonly time: string;
  readonly msg: string;
  readonly err?: { readonly message: string };
}

/** One `certledger node start` process of the devnet's validator, its stdout and stderr collected. */
class NodeRun {
  readonly closed: Promise<number | null>;
  readonly #child: ChildProcess;
  #output = '';
  #exited = false;

  /** With `fileSizeLimitKiB`, no file the process writes can grow past that size. */
  constructor(fileSizeLimitKiB?: number) {
    const command = [process.execPath, CLI, 'node', 'start', '--config', devnet.network.configFiles[0]!];
    this.#child =
      fileSizeLimitKiB === undefined
        ? spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('bash', ['-c', `ulimit -f ${fileSizeLimitKiB} && exec "$0" "$@"`, ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.#child.stderr!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.closed = new Promise((resolve) =>
      this.#child.once('close', (code) => {
        this.#exited = true;
        resolve(code);
      }),
    );
    runs.push(this);
  }

  get exited(): boolean {
    return this.#exited;
  }

  get output(): string {
    return this.#output;
  }

  /** The node's JSON log lines (pino, one object a line). */
  logLines(): LogLine[] {
    return this.#output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  }

  /** Sends `signal` and waits up to 15 s for the exit, then kills the process; answers its exit status. */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    if (this.#exited) return this.closed;
    this.#child.kill(signal);
    await Promise.race([this.closed, sleep(15_000)]);
    if (!this.#exited) this.#child.kill('SIGKILL');
    return this.closed;
  }
}

afterAll(async () => {
  await Promise.all(runs.map((run) => run.stop('SIGKILL')));
  await devnet.shutdown();
  devnet.remove();
});

describe('certledger node start on a disk that refuses a write', () => {
  it('exits with status 1 by itself, then starts again from its store and commits further blocks', async () => {
    const limited = new NodeRun(FILE_SIZE_LIMIT_KIB);
    let lastHeightSeen = -1;
    await until(
      async () => {
        if (limited.exited) return true;
        lastHeightSeen = Math.max(lastHeightSeen, await devnet.height(0));
        return false;
      },
      'the validator to exit by itself after its store refused a write',
      30_000,
    );
    expect(await limited.closed, limited.output).toBe(1);
    expect(lastHeightSeen).toBeGreaterThanOrEqual(1);
    const lines = limited.logLines();
    const fatal = lines.find((line) => line.msg === FATAL_LINE);
    expect(fatal?.err?.message, limited.output).toMatch(/^could not store .*File too large/);
    // Each once, in this order in the output as in time: the failure, the shutdown it triggers,
    // a clean end of that shutdown. (With pino's asynchronous writer, the exit wrote queued lines
    // ahead of one still in flight; the node's logs are now written synchronously.)
    const shutdownLines = lines.filter((line) => [FATAL_LINE, STOPPING_LINE, STOPPED_LINE].includes(line.msg));
    expect(shutdownLines.map((line) => line.msg), limited.output).toEqual([FATAL_LINE, STOPPING_LINE, STOPPED_LINE]);
    const times = shutdownLines.map((line) => line.time);
    expect(times).toEqual([...times].sort());

    const restarted = new NodeRun();
    let heightAfterRestart = -1;
    await until(
      async () => {
        heightAfterRestart = await devnet.height(0);
        return heightAfterRestart >= 0 || restarted.exited;
      },
      'the restarted validator to answer GET /v1/status',
      30_000,
    );
    expect(restarted.exited, restarted.output).toBe(false);
    expect(heightAfterRestart).toBeGreaterThanOrEqual(lastHeightSeen);
    await until(async () => (await devnet.height(0)) >= heightAfterRestart + 3, 'three more blocks after the restart', 15_000);

    expect(await restarted.stop('SIGTERM'), restarted.output).toBe(0);
  });
});
