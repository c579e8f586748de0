import { encode } from '@certledger/codec';
import { encodeMessage, signVote } from '@certledger/consensus';
import { keyPairFromSeed, signerFromSeed } from '@certledger/crypto';
import { testSeed } from '@certledger/ledger/testing';
import { CHANNEL } from '@certledger/node';
import { createPeerNode, type PeerNode } from '@certledger/p2p';
import { afterAll, describe, expect, it } from 'vitest';
import { DevnetProcesses, sleep, until } from './support/devnet-processes.js';

const basePort = 34000 + (process.pid % 200) * 8;
const mallorySeed = testSeed('mallory');
const malloryAddress = `/ip4/127.0.0.1/tcp/${basePort + 7}`;
const devnet = new DevnetProcesses({ basePort, extraPeers: [{ name: 'mallory', publicKey: keyPairFromSeed(mallorySeed).publicKey, address: malloryAddress }] });
const peers: PeerNode[] = [];
const channels = Object.values(CHANNEL);
const maxMessageBytes = 8 << 20;

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await devnet.shutdown();
  devnet.remove();
});

function validatorPeers() {
  return [0, 1, 2, 3].map((i) => ({ publicKey: keyPairFromSeed(testSeed(`validator-${i}`)).publicKey, addresses: [devnet.p2pAddress(i)] }));
}

async function agreeAndAdvance(): Promise<void> {
  const start = Math.max(...(await devnet.heights([0, 1, 2, 3])));
  await until(async () => (await devnet.heights([0, 1, 2, 3])).every((h) => h >= start + 2), 'every validator to keep committing');
  const height = Math.min(...(await devnet.heights([0, 1, 2, 3])));
  const hashes = await Promise.all([0, 1, 2, 3].map((i) => devnet.blockHash(i, height)));
  expect(new Set(hashes).size).toBe(1);
}

describe('validators facing hostile peers', () => {
  it('refuse a peer the network does not name', async () => {
    devnet.startAll();
    await until(async () => (await devnet.heights([0, 1, 2, 3])).every((h) => h >= 1), 'the devnet to start');
    const outsider = await createPeerNode({
      seed: testSeed('outsider'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      peers: validatorPeers(),
      channels,
      maxMessageBytes,
    });
    peers.push(outsider);
    await outsider.start();
    await sleep(2000);
    expect(outsider.connectedPeers()).toEqual([]);
    for (let i = 0; i < 4; i++) expect((await devnet.status(i))!.peers.filter((p) => p.connected)).toHaveLength(3);
  }, 120_000);

  it('stay up and in agreement when a connected peer sends garbage, forgeries and oversized messages', async () => {
    const mallory = await createPeerNode({ seed: mallorySeed, listen: [malloryAddress], peers: validatorPeers(), channels, maxMessageBytes });
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
    await agreeAndAdvance();
    for (let i = 0; i < 4; i++) expect(devnet.isRunning(i)).toBe(true);
  }, 120_000);
});
