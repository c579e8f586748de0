import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256, toHex } from '@certledger/codec';
import { testAnchorTx } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNodeConfig } from './config.js';
import { createLogger } from './logger.js';
import type { NodeHandle } from './node-handle.js';
import { startNode } from './start-node.js';
import { freePortBlock, testNetworkPortCount, writeTestNetwork } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-node-'));
const basePort = await freePortBlock(testNetworkPortCount(4));
const nodes: NodeHandle[] = [];

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('four validators in one process', () => {
  it('commit blocks, agree on them, and commit a submitted anchor', async () => {
    const network = writeTestNetwork(dir, { basePort });
    const silent = createLogger('test', 'error');
    for (const file of network.configFiles) nodes.push(await startNode(loadNodeConfig(file), { logger: silent }));
    await until(() => nodes.every((n) => n.state.height >= 3), 'three blocks everywhere');

    const tx = testAnchorTx(network.chainId, 0, sha256(Uint8Array.of(1)));
    const submitted = nodes[1]!.submitTransaction(tx);
    if (!submitted.ok) throw new Error(submitted.error.message);
    const committed = await nodes[1]!.waitForCommit(submitted.id, 15_000);
    expect(committed?.height).toBeGreaterThan(0);
    // Node 1 may commit a moment before the others: the checks below are of every node.
    await until(() => nodes.every((n) => n.state.height >= committed!.height), 'the anchor committed everywhere');
    expect(nodes[2]!.submitTransaction(tx)).toMatchObject({ ok: false });

    const height = Math.min(...nodes.map((n) => n.state.height));
    const hashes = await Promise.all(nodes.map(async (n) => toHex((await n.store.getBlock(height))!)));
    expect(new Set(hashes).size).toBe(1);
    for (const node of nodes) expect(await node.store.getTx(submitted.id)).toMatchObject({ height: committed!.height });
    const status = nodes[0]!.status();
    expect(status.peers.filter((p) => p.connected)).toHaveLength(3);
  }, 60_000);

  it('stops a validator whose store refuses writes, while the other three carry on', async () => {
    const broken = nodes[3]!;
    const diskFull = () => Promise.reject(new Error('ENOSPC: no space left on device'));
    broken.store.writeSignRecord = diskFull;
    broken.store.writeLockRecord = diskFull;
    broken.store.commitBlock = diskFull;
    const failure = await Promise.race([broken.failed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the node did not report the failed write')), 15_000))]);
    expect(failure.message).toMatch(/^could not store .*: ENOSPC: no space left on device$/);

    const stuckAt = broken.state.height;
    const consensus = broken.status().consensus;
    await until(() => nodes.slice(0, 3).every((n) => n.state.height >= stuckAt + 3), 'three more blocks on the healthy validators');
    expect(broken.state.height).toBe(stuckAt);
    expect(broken.status().consensus).toEqual(consensus);
  }, 60_000);
});
