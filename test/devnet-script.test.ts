/**
 * The README's main job, `pnpm start` (scripts/devnet.ts): four validator processes with data
 * on disk. Ctrl+C must stop every node gracefully (each finishes the block in hand), even when
 * the interrupt reaches the script twice, as it does from a terminal through tsx.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePortBlock, testNetworkPortCount } from '@certledger/node/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeStatus, until } from './support/devnet-processes.js';

const ROOT = resolve(import.meta.dirname, '..');
const NODES = [0, 1, 2, 3];
const p2pPort = await freePortBlock(testNetworkPortCount(NODES.length));
const apiPort = p2pPort + NODES.length;
const dir = mkdtempSync(join(tmpdir(), 'certledger-devnet-script-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function height(i: number): Promise<number | undefined> {
  return (await nodeStatus(`http://127.0.0.1:${apiPort + i}`))?.height;
}

describe('the devnet script (pnpm start)', () => {
  it('runs four validators and stops them all gracefully on Ctrl+C', async () => {
    const script = spawn(process.execPath, ['--import', 'tsx', 'scripts/devnet.ts', '--dir', dir, '--p2p-port', String(p2pPort), '--api-port', String(apiPort)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    script.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    script.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => script.once('exit', (code) => done(code)));
    try {
      await until(async () => (await Promise.all(NODES.map(height))).every((h) => h !== undefined && h >= 2), 'four validators to commit two blocks', 120_000);

      // Ctrl+C: the terminal signals the foreground process group, and tsx relays it once more.
      process.kill(-script.pid!, 'SIGINT');
      process.kill(script.pid!, 'SIGINT');
      expect(await Promise.race([exited, new Promise((done) => setTimeout(() => done('still running'), 30_000))])).toBe(0);
    } finally {
      if (script.exitCode === null) process.kill(-script.pid!, 'SIGKILL');
    }

    expect(output).toMatch(/stopping nodes/);
    for (const i of NODES) {
      expect(output).toContain(`validator-${i} exited (0)`);
      const log = readFileSync(join(dir, 'logs', `validator-${i}.log`), 'utf8');
      expect(log).toContain('"msg":"node stopped"');
      expect(log).not.toContain('second signal');
      expect(await height(i)).toBeUndefined();
    }
  }, 180_000);
});
