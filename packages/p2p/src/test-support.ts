/** Helpers shared by this package's tests (loopback only, every wait bounded). */
import { createServer, type Server } from 'node:net';
import type { Libp2p } from 'libp2p';
import { createHost } from './host.js';
import { ed25519PrivateKeyFromSeed, publicKeyFromSeed } from './keys.js';
import { createPeerNode, type PeerNode } from './peer-node.js';
import type { P2pLogEvent, PeerNodeOptions } from './options.js';

export const TEST_CHANNELS = ['consensus', 'tx', 'sync'];

export function seedFor(label: number): Uint8Array {
  const seed = new Uint8Array(32);
  seed[0] = 0xc1;
  seed[31] = label;
  return seed;
}

/**
 * `count` distinct ports the OS reported free on 127.0.0.1 a moment ago: all
 * are held open together, so one call never returns the same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port assigned');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
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
  const ports = await freePorts(count);
  const members: TestMember[] = [];
  for (const [i, port] of ports.entries()) {
    const seed = seedFor(firstLabel + i);
    members.push({ seed, publicKey: await publicKeyFromSeed(seed), address: `/ip4/127.0.0.1/tcp/${port}`, events: [] });
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

export function countEvents(member: TestMember, match: Partial<P2pLogEvent>): number {
  const entries = Object.entries(match) as [keyof P2pLogEvent, unknown][];
  return member.events.filter((event) => entries.every(([field, value]) => event[field] === value)).length;
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
