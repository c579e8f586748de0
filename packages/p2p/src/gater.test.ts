import { multiaddr } from '@multiformats/multiaddr';
import type { Libp2p } from 'libp2p';
import { afterEach, describe, expect, it } from 'vitest';
import { keyHex } from './keys.js';
import { DEFAULT_PROTOCOL } from './options.js';
import type { PeerNode } from './peer-node.js';
import {
  createMember,
  fullyConnected,
  planMesh,
  seedFor,
  sleep,
  startRawHost,
  waitFor,
  type TestMember,
} from './test-support.js';

const running: PeerNode[] = [];
const rawHosts: Libp2p[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((node) => node.stop()));
  await Promise.all(rawHosts.splice(0).map((host) => host.stop()));
});

async function started(node: Promise<PeerNode>): Promise<PeerNode> {
  const resolved = await node;
  running.push(resolved);
  await resolved.start();
  return resolved;
}

const hexOf = (keys: Uint8Array[]): string[] => keys.map(keyHex).sort();

describe('connection gater', () => {
  it('refuses a node whose key is not authorised and delivers nothing from it', async () => {
    const mesh = await planMesh(2);
    const [memberA, memberB] = mesh as [TestMember, TestMember];
    const [outsider] = (await planMesh(1, 50)) as [TestMember];
    const a = await started(createMember(memberA, mesh));
    const b = await started(createMember(memberB, mesh));
    const deliveredToA: string[] = [];
    a.onMessage('tx', (from) => deliveredToA.push(keyHex(from)));
    // The outsider knows where A is and keeps dialling it.
    const intruder = await started(createMember(outsider, [memberA, outsider]));
    await waitFor(() => fullyConnected([a, b]), 10_000, 'a and b to connect');
    await sleep(800);

    expect(intruder.connectedPeers()).toEqual([]);
    expect(intruder.send(memberA.publicKey, 'tx', Uint8Array.of(1))).toBe(false);
    expect(hexOf(a.connectedPeers())).toEqual([keyHex(memberB.publicKey)]);
    expect(memberA.events).toContainEqual(
      expect.objectContaining({
        event: 'connection-refused',
        peer: keyHex(outsider.publicKey),
        direction: 'inbound',
        reason: 'key is not in the authorised set',
      }),
    );
    expect(outsider.events.filter((event) => event.event === 'dial-failed').length).toBeGreaterThanOrEqual(2);

    // Even a bare libp2p client cannot get a stream through.
    const raw = await startRawHost(seedFor(60));
    rawHosts.push(raw);
    await expect(raw.dialProtocol(multiaddr(a.listenAddresses()[0]!), DEFAULT_PROTOCOL)).rejects.toThrow();
    await sleep(100);
    expect(raw.getConnections()).toEqual([]);
    expect(deliveredToA).toEqual([]);
  });

  it('does not link to a configured address that answers with another key', async () => {
    const mesh = await planMesh(2);
    const [memberA, memberB] = mesh as [TestMember, TestMember];
    const [expected] = (await planMesh(1, 70)) as [TestMember];
    const impostor = await startRawHost(seedFor(71));
    rawHosts.push(impostor);
    let impostorStreams = 0;
    await impostor.handle(DEFAULT_PROTOCOL, () => {
      impostorStreams++;
    });
    const impostorPort = impostor.getMultiaddrs()[0]!.toString().split('/')[4];
    const peers = [...mesh, { ...expected, address: `/ip4/127.0.0.1/tcp/${impostorPort}` }];
    const a = await started(createMember(memberA, peers));
    await started(createMember(memberB, mesh));
    await waitFor(() => a.connectedPeers().length === 1, 10_000, 'a to reach b');
    await sleep(500);

    expect(a.isConnected(expected.publicKey)).toBe(false);
    expect(impostorStreams).toBe(0);
    expect(memberA.events).toContainEqual(expect.objectContaining({ event: 'dial-failed', peer: keyHex(expected.publicKey) }));
  });

  it('admits keys named by allowedKeys, re-read on every connection, and drops them once removed', async () => {
    const mesh = await planMesh(1);
    const [memberA] = mesh as [TestMember];
    const [follower] = (await planMesh(1, 80)) as [TestMember];
    const allowed: Uint8Array[] = [];
    const a = await started(createMember(memberA, mesh, { allowedKeys: () => allowed }));
    const f = await started(createMember(follower, [memberA, follower]));
    const atF: string[] = [];
    const atA: string[] = [];
    f.onMessage('consensus', (_from, payload) => atF.push(new TextDecoder().decode(payload)));
    a.onMessage('tx', (_from, payload) => atA.push(new TextDecoder().decode(payload)));

    await waitFor(
      () => memberA.events.some((event) => event.event === 'connection-refused' && event.peer === keyHex(follower.publicKey)),
      5000,
      'follower to be refused',
    );
    expect(f.connectedPeers()).toEqual([]);

    allowed.push(follower.publicKey);
    await waitFor(() => a.isConnected(follower.publicKey) && f.isConnected(memberA.publicKey), 10_000, 'follower admitted');
    expect(a.broadcast('consensus', new TextEncoder().encode('block 7'))).toBe(1);
    expect(f.send(memberA.publicKey, 'tx', new TextEncoder().encode('tx from follower'))).toBe(true);
    await waitFor(() => atF.length === 1 && atA.length === 1, 5000, 'two-way traffic');
    expect(atF).toEqual(['block 7']);
    expect(atA).toEqual(['tx from follower']);

    allowed.length = 0;
    expect(a.enforceAllowList()).toBeGreaterThanOrEqual(1);
    await waitFor(() => !f.isConnected(memberA.publicKey) && !a.isConnected(follower.publicKey), 5000, 'follower dropped');
    await sleep(600);
    expect(f.connectedPeers()).toEqual([]);
    expect(a.connectedPeers()).toEqual([]);
  });
});
