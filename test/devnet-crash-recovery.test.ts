import { sha256 } from '@certledger/codec';
import { testAnchorTx } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DevnetProcesses, sleep, until } from './support/devnet-processes.js';

const devnet = new DevnetProcesses({ basePort: 32000 + (process.pid % 200) * 8 });
const acknowledged: string[] = [];
let seq = 0;

afterAll(async () => {
  await devnet.shutdown();
  devnet.remove();
});

/** Anchors a fresh batch root through validator `via`; an acknowledged one is committed (201). */
async function anchor(via: number): Promise<void> {
  const tx = testAnchorTx(devnet.network.chainId, seq, sha256(new TextEncoder().encode(`batch ${seq}`)));
  seq++;
  const { status, body } = await devnet.submit(via, tx);
  expect(status, JSON.stringify(body)).toBe(201);
  acknowledged.push(body.id!);
}

async function allAdvance(indexes: number[], blocks: number, what: string): Promise<void> {
  const start = Math.max(...(await devnet.heights(indexes)));
  await until(async () => (await devnet.heights(indexes)).every((h) => h >= start + blocks), what);
}

describe('a devnet of four validator processes', () => {
  it('keeps committing through kill -9, catches up after restart, halts without a quorum and resumes, losing nothing', async () => {
    devnet.startAll();
    await until(async () => (await devnet.heights([0, 1, 2, 3])).every((h) => h >= 2), 'all four validators to commit two blocks');
    for (let i = 0; i < 4; i++) await anchor(i);

    await devnet.kill(3);
    await allAdvance([0, 1, 2], 3, 'the three survivors to keep committing');
    await anchor(0);
    await anchor(2);

    devnet.start(3);
    await until(async () => {
      const [leader, restarted] = await devnet.heights([0, 3]);
      return restarted! >= leader! - 1 && restarted! > 0;
    }, 'the restarted validator to catch up');
    await allAdvance([0, 1, 2, 3], 2, 'all four to commit together again');

    await devnet.kill(2);
    await devnet.kill(3);
    await sleep(1500);
    const halted = await devnet.heights([0, 1]);
    await sleep(3000);
    expect(await devnet.heights([0, 1])).toEqual(halted);

    devnet.start(2);
    devnet.start(3);
    await allAdvance([0, 1, 2, 3], 3, 'commits to resume with the quorum back');
    await anchor(3);

    const height = Math.min(...(await devnet.heights([0, 1, 2, 3])));
    for (let h = 1; h <= height; h++) {
      const hashes = await Promise.all([0, 1, 2, 3].map((i) => devnet.blockHash(i, h)));
      expect(new Set(hashes).size, `block ${h} differs between validators: ${hashes.join(' ')}`).toBe(1);
    }
    for (const id of acknowledged) {
      for (let i = 0; i < 4; i++) expect((await devnet.transaction(i, id)).status, `tx ${id} on validator ${i}`).toBe(200);
    }
  }, 240_000);
});
