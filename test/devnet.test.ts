import { encode, sha256 } from '@certledger/codec';
import { encodeMessage, signVote } from '@certledger/consensus';
import { keyPairFromSeed, signerFromSeed } from '@certledger/crypto';
import { testAnchorTx, testSeed } from '@certledger/ledger/testing';
import { CHANNEL, p2pProtocol } from '@certledger/node';
import { freePortBlock, testNetworkPortCount } from '@certledger/node/testing';
import { createPeerNode, type PeerNode } from '@certledger/p2p';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevnetProcesses, sleep, until } from './support/devnet-processes.js';

/**
 * Four validator processes started with `certledger node start`, one devnet for the whole
 * file so the multi-process tests run one after another rather than competing for the cores.
 */
const VALIDATORS = 4;
const basePort = await freePortBlock(testNetworkPortCount(VALIDATORS) + 1);
const mallorySeed = testSeed('mallory');
const malloryAddress = `/ip4/127.0.0.1/tcp/${basePort + testNetworkPortCount(VALIDATORS)}`;
const devnet = new DevnetProcesses({ validators: VALIDATORS, basePort, extraPeers: [{ name: 'mallory', publicKey: keyPairFromSeed(mallorySeed).publicKey, address: malloryAddress }] });
const peers: PeerNode[] = [];
const channels = Object.values(CHANNEL);
const protocol = p2pProtocol('test-chain');
const maxMessageBytes = 8 << 20;
const ALL = [0, 1, 2, 3];
const acknowledged: string[] = [];
let seq = 0;

beforeAll(async () => {
  devnet.startAll();
  await until(async () => (await devnet.heights(ALL)).every((h) => h >= 2), 'all four validators to commit two blocks', 120_000);
}, 150_000);

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await devnet.shutdown();
  devnet.remove();
});

function validatorPeers() {
  return ALL.map((i) => ({ publicKey: keyPairFromSeed(testSeed(`validator-${i}`)).publicKey, addresses: [devnet.p2pAddress(i)] }));
}

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
  await until(async () => (await devnet.heights(indexes)).every((h) => h >= start + blocks), what, 60_000);
}

async function expectSameChain(): Promise<void> {
  const height = Math.min(...(await devnet.heights(ALL)));
  for (let h = 1; h <= height; h++) {
    const hashes = await Promise.all(ALL.map((i) => devnet.blockHash(i, h)));
    expect(hashes[0], `block ${h} on validator 0`).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size, `block ${h} differs between validators: ${hashes.join(' ')}`).toBe(1);
  }
}

describe('validators facing hostile peers', () => {
  it('refuse a peer the network does not name', async () => {
    const outsider = await createPeerNode({
      seed: testSeed('outsider'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      peers: validatorPeers(),
      channels,
      maxMessageBytes,
      protocol,
    });
    peers.push(outsider);
    await outsider.start();
    await sleep(2000);
    expect(outsider.connectedPeers()).toEqual([]);
    for (let i = 0; i < 4; i++) expect((await devnet.status(i))!.peers.filter((p) => p.connected)).toHaveLength(3);
  }, 120_000);

  it('stay up and in agreement when a connected peer sends garbage, forgeries and oversized messages', async () => {
    const mallory = await createPeerNode({ seed: mallorySeed, listen: [malloryAddress], peers: validatorPeers(), channels, maxMessageBytes, protocol });
    peers.push(mallory);
    await mallory.start();
    await until(() => mallory.connectedPeers().length === 4, 'mallory to be connected to all four validators');
    const forged = encodeMessage(signVote(signerFromSeed(mallorySeed), 'test-chain', { type: 'precommit', height: 1, round: 0, blockHash: null }));
    const payloads = [
      Uint8Array.of(0xc1),
      new Uint8Array(1000).fill(0xff),
      encode([0, 'proposal', 1, 2, 3]),
      encode([1, encode(['test-chain', 10 ** 12, 5, 1, null]), new Uint8Array(32), new Uint8Array(64)]),
      forged,
      new Uint8Array(3 << 20),
    ];
    for (const payload of payloads) {
      mallory.broadcast(CHANNEL.consensus, payload);
      mallory.broadcast(CHANNEL.tx, payload);
    }
    for (const peer of mallory.connectedPeers()) {
      for (const payload of [Uint8Array.of(1, 2, 3), encode([0, 10 ** 9]), encode([-1, 5])]) {
        await mallory.request(peer, CHANNEL.sync, payload, 5000).catch(() => undefined);
      }
    }
    await allAdvance(ALL, 2, 'every validator to keep committing');
    await expectSameChain();
    for (const i of ALL) expect(devnet.isRunning(i)).toBe(true);
  }, 120_000);
});

describe('a devnet of four validator processes', () => {
  it('keeps committing through kill -9, catches up after restart, halts without a quorum and resumes, losing nothing', async () => {
    for (let i = 0; i < 4; i++) await anchor(i);

    await devnet.kill(3);
    await allAdvance([0, 1, 2], 3, 'the three survivors to keep committing');
    await anchor(0);
    await anchor(2);

    devnet.start(3);
    await until(async () => {
      const [leader, restarted] = await devnet.heights([0, 3]);
      return restarted! >= leader! - 1 && restarted! > 0;
    }, 'the restarted validator to catch up', 60_000);
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

    await expectSameChain();
    for (const id of acknowledged) {
      for (let i = 0; i < 4; i++) expect((await devnet.transaction(i, id)).status, `tx ${id} on validator ${i}`).toBe(200);
    }
  }, 240_000);
});
