/** Helpers shared by this package's tests (loopback only, every wait bounded). */
import { createServer } from 'node:net';
import type { Libp2p } from 'libp2p';
import { createHost } from './host.js';
import { ed25519PrivateKeyFromSeed } from './keys.js';
import { createPeerNode, type PeerNode } from './peer-node.js';
import type { P2pLogEvent, PeerNodeOptions } from './options.js';

export const TEST_CHANNELS = ['consensus', 'tx', 'sync'];

export function seedFor(label: number): Uint8Array {
  const seed = new Uint8Array(32);
  seed[0] = 0xc1;
  seed[31] = label;
  return seed;
}

export async function publicKeyFor(seed: Uint8Array): Promise<Uint8Array> {
  return (await ed25519PrivateKeyFromSeed(seed)).publicKey.raw;
}

/** A port the OS reported free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port assigned'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface TestMember {
  seed: Uint8Array;
  publicKey: Uint8Array;
  address: string;
  events: P2pLogEvent[];
}

/** Seeds, keys and fixed loopback addresses for `count` members of a full mesh. */
export async function planMesh(count: number, firstLabel = 1): Promise<TestMember[]> {
  const members: TestMember[] = [];
  for (let i = 0; i < count; i++) {
    const seed = seedFor(firstLabel + i);
    members.push({
      seed,
      publicKey: await publicKeyFor(seed),
      address: `/ip4/127.0.0.1/tcp/${await freePort()}`,
      events: [],
    });
  }
  return members;
}

export function createMember(
  member: TestMember,
  mesh: TestMember[],
  overrides: Partial<PeerNodeOptions> = {},
): Promise<PeerNode> {
  return createPeerNode({
    seed: member.seed,
    listen: [member.address],
    peers: mesh.map((other) => ({ publicKey: other.publicKey, addresses: [other.address] })),
    channels: TEST_CHANNELS,
    maxMessageBytes: 64 * 1024,
    redialMinMs: 100,
    redialMaxMs: 1000,
    logger: (event) => member.events.push(event),
    ...overrides,
  });
}

export function fullyConnected(nodes: PeerNode[]): boolean {
  return nodes.every((node) => node.connectedPeers().length === nodes.length - 1);
}

/**
 * A bare libp2p node with the same transports but no PeerNode logic and a gater
 * that admits everyone: it plays outsiders and misbehaving peers.
 */
export async function startRawHost(seed: Uint8Array): Promise<Libp2p> {
  const host = await createHost({
    privateKey: await ed25519PrivateKeyFromSeed(seed),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    dialTimeoutMs: 3000,
    admit: () => ({ allowed: true }),
    onRefused: () => {},
  });
  await host.start();
  return host;
}
