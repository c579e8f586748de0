import { multiaddr } from '@multiformats/multiaddr';
import type { Libp2p } from 'libp2p';
import { afterEach, describe, expect, it } from 'vitest';
import { keyHex } from './keys.js';
import { DEFAULT_PROTOCOL } from './options.js';
import type { PeerNode } from './peer-node.js';
import {
  countEvents,
  createMember,
  fullyConnected,
  planMesh,
  seedFor,
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
    const outsiderHex = keyHex(outsider.publicKey);
    await waitFor(() => fullyConnected([a, b]), 10_000, 'a and b to connect');
    // Evidence, not a fixed pause: the outsider has tried and failed more than once.
    await waitFor(
      () =>
        countEvents(outsider, { event: 'dial-failed', peer: keyHex(memberA.publicKey) }) >= 2 &&
        countEvents(memberA, { event: 'connection-refused', peer: outsiderHex }) >= 2,
      10_000,
      'the outsider to be refused twice',
    );

    expect(intruder.connectedPeers()).toEqual([]);
    expect(intruder.send(memberA.publicKey, 'tx', Uint8Array.of(1))).toBe(false);
    expect(hexOf(a.connectedPeers())).toEqual([keyHex(memberB.publicKey)]);
    expect(memberA.events).toContainEqual(
      expect.objectContaining({
        event: 'connection-refused',
        peer: outsiderHex,
        direction: 'inbound',
        reason: 'key is not in the authorised set',
      }),
    );

    // Even a bare libp2p client cannot get a stream through.
    const raw = await startRawHost(seedFor(60));
    rawHosts.push(raw);
    await expect(raw.dialProtocol(multiaddr(a.listenAddresses()[0]!), DEFAULT_PROTOCOL)).rejects.toThrow();
    await waitFor(() => raw.getConnections().length === 0, 5000, 'the raw client to be disconnected');
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
    await waitFor(
      () => countEvents(memberA, { event: 'dial-failed', peer: keyHex(expected.publicKey) }) >= 2,
      10_000,
      'two failed dials to the impostor address',
    );

    expect(a.isConnected(expected.publicKey)).toBe(false);
    expect(impostorStreams).toBe(0);
  });

  it('admits keys named by allowedKeys, re-read on every connection, and drops them once removed', async () => {
    const mesh = await planMesh(1);
    const [memberA] = mesh as [TestMember];
    const [follower] = (await planMesh(1, 80)) as [TestMember];
    const followerHex = keyHex(follower.publicKey);
    const refusedFollower = (): number =>
      countEvents(memberA, { event: 'connection-refused', peer: followerHex, reason: 'key is not in the authorised set' });
    const allowed: Uint8Array[] = [];
    const a = await started(createMember(memberA, mesh, { allowedKeys: () => allowed }));
    const f = await started(createMember(follower, [memberA, follower]));
    const atF: string[] = [];
    const atA: string[] = [];
    f.onMessage('consensus', (_from, payload) => atF.push(new TextDecoder().decode(payload)));
    a.onMessage('tx', (_from, payload) => atA.push(new TextDecoder().decode(payload)));

    await waitFor(() => refusedFollower() >= 1, 10_000, 'follower to be refused');
    expect(f.connectedPeers()).toEqual([]);

    allowed.push(follower.publicKey);
    await waitFor(() => a.isConnected(follower.publicKey) && f.isConnected(memberA.publicKey), 10_000, 'follower admitted');
    expect(a.broadcast('consensus', new TextEncoder().encode('block 7'))).toBe(1);
    expect(f.send(memberA.publicKey, 'tx', new TextEncoder().encode('tx from follower'))).toBe(true);
    await waitFor(() => atF.length === 1 && atA.length === 1, 5000, 'two-way traffic');
    expect(atF).toEqual(['block 7']);
    expect(atA).toEqual(['tx from follower']);

    allowed.length = 0;
    const refusedBeforeRemoval = refusedFollower();
    expect(a.enforceAllowList()).toBeGreaterThanOrEqual(1);
    await waitFor(() => !f.isConnected(memberA.publicKey) && !a.isConnected(follower.publicKey), 5000, 'follower dropped');
    // The follower keeps redialling (A is configured for it): wait until a redial was refused too.
    await waitFor(() => refusedFollower() > refusedBeforeRemoval, 10_000, 'a redial of the follower to be refused');
    const dropReason = 'no longer authorised: key is not in the authorised set';
    expect(memberA.events).toContainEqual(
      expect.objectContaining({ event: 'connection-refused', peer: followerHex, reason: dropReason }),
    );
    expect(f.connectedPeers()).toEqual([]);
    expect(a.connectedPeers()).toEqual([]);
  });

  it('drops a peer removed from allowedKeys by itself, within allowListCheckMs', async () => {
    const mesh = await planMesh(1);
    const [memberA] = mesh as [TestMember];
    const [follower] = (await planMesh(1, 90)) as [TestMember];
    let allowed = [follower.publicKey];
    const a = await started(createMember(memberA, mesh, { allowedKeys: () => allowed, allowListCheckMs: 100 }));
    const f = await started(createMember(follower, [memberA, follower]));
    await waitFor(() => a.isConnected(follower.publicKey) && f.isConnected(memberA.publicKey), 10_000, 'follower admitted');

    allowed = [];
    await waitFor(() => !a.isConnected(follower.publicKey) && !f.isConnected(memberA.publicKey), 5000, 'follower dropped');
    expect(memberA.events).toContainEqual(
      expect.objectContaining({
        event: 'connection-refused',
        peer: keyHex(follower.publicKey),
        reason: 'no longer authorised: key is not in the authorised set',
      }),
    );
  });
});
