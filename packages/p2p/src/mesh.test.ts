import { afterEach, describe, expect, it } from 'vitest';
import { P2pError } from './errors.js';
import { keyHex } from './keys.js';
import type { PeerNode } from './peer-node.js';
import { countEvents, createMember, fullyConnected, planMesh, sleep, waitFor, type TestMember } from './test-support.js';

const running: PeerNode[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((node) => node.stop()));
});

async function startMesh(count: number): Promise<{ members: TestMember[]; nodes: PeerNode[] }> {
  const members = await planMesh(count);
  const nodes = await Promise.all(members.map((member) => createMember(member, members)));
  running.push(...nodes);
  await Promise.all(nodes.map((node) => node.start()));
  await waitFor(() => fullyConnected(nodes), 10_000, 'full mesh');
  return { members, nodes };
}

interface Received {
  from: string;
  channel: string;
  text: string;
}

function recordMessages(node: PeerNode, channels: string[]): Received[] {
  const received: Received[] = [];
  for (const channel of channels) {
    node.onMessage(channel, (from, payload) => {
      received.push({ from: keyHex(from), channel, text: new TextDecoder().decode(payload) });
    });
  }
  return received;
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('three-node mesh', () => {
  it('delivers messages on separate channels, in order, with the sender key', async () => {
    const { members, nodes } = await startMesh(3);
    const [a, b, c] = nodes as [PeerNode, PeerNode, PeerNode];
    const [memberA, memberB, memberC] = members as [TestMember, TestMember, TestMember];
    const atB = recordMessages(b, ['consensus', 'tx']);
    const atC = recordMessages(c, ['consensus', 'tx']);

    expect(a.send(memberB.publicKey, 'tx', text('tx-1'))).toBe(true);
    expect(a.send(memberB.publicKey, 'consensus', text('vote-1'))).toBe(true);
    expect(a.send(memberB.publicKey, 'tx', text('tx-2'))).toBe(true);
    expect(a.broadcast('consensus', text('proposal'))).toBe(2);
    expect(c.send(memberB.publicKey, 'tx', new Uint8Array(64 * 1024))).toBe(true);

    await waitFor(() => atB.length === 5 && atC.length === 1, 5000, 'deliveries');
    const fromA = keyHex(memberA.publicKey);
    expect(atB.filter((message) => message.from === fromA)).toEqual([
      { from: fromA, channel: 'tx', text: 'tx-1' },
      { from: fromA, channel: 'consensus', text: 'vote-1' },
      { from: fromA, channel: 'tx', text: 'tx-2' },
      { from: fromA, channel: 'consensus', text: 'proposal' },
    ]);
    const fromC = atB.find((message) => message.from === keyHex(memberC.publicKey));
    expect(fromC?.channel).toBe('tx');
    expect(fromC?.text.length).toBe(64 * 1024);
    expect(atC).toEqual([{ from: fromA, channel: 'consensus', text: 'proposal' }]);
  });

  it('refuses to send what it must not: unknown channel, oversized payload, unknown peer', async () => {
    const { members, nodes } = await startMesh(2);
    const [a] = nodes as [PeerNode];
    const [, memberB] = members as [TestMember, TestMember];
    expect(() => a.send(memberB.publicKey, 'gossip', text('x'))).toThrow(/unknown channel "gossip"/);
    expect(() => a.send(memberB.publicKey, 'tx', new Uint8Array(64 * 1024 + 1))).toThrow(/exceeds maxMessageBytes/);
    expect(() => a.send(new Uint8Array(31), 'tx', text('x'))).toThrow(/32-byte Ed25519 public key/);
    expect(a.send(new Uint8Array(32).fill(7), 'tx', text('x'))).toBe(false);
  });

  it('answers requests, reports handler errors and times out on silence', async () => {
    const { members, nodes } = await startMesh(3);
    const [a, b, c] = nodes as [PeerNode, PeerNode, PeerNode];
    const [memberA, memberB, memberC] = members as [TestMember, TestMember, TestMember];
    b.onRequest('sync', async (from, payload) => {
      const height = new TextDecoder().decode(payload);
      if (height === 'bad') throw new Error('no block at height bad');
      return text(`block ${height} for ${keyHex(from).slice(0, 8)}`);
    });
    c.onRequest('sync', () => new Promise<Uint8Array>(() => {}));

    const answers = await Promise.all([1, 2, 3].map((height) => a.request(memberB.publicKey, 'sync', text(String(height)), 2000)));
    const prefix = keyHex(memberA.publicKey).slice(0, 8);
    expect(answers.map((answer) => new TextDecoder().decode(answer))).toEqual([
      `block 1 for ${prefix}`,
      `block 2 for ${prefix}`,
      `block 3 for ${prefix}`,
    ]);

    await expect(a.request(memberB.publicKey, 'sync', text('bad'), 2000)).rejects.toMatchObject({
      code: 'remote-error',
      message: expect.stringContaining('no block at height bad'),
    });
    await expect(a.request(memberB.publicKey, 'tx', text('1'), 2000)).rejects.toMatchObject({
      code: 'remote-error',
      message: expect.stringContaining("no request handler on channel 'tx'"),
    });

    const started = Date.now();
    const silent = a.request(memberC.publicKey, 'sync', text('1'), 300);
    await expect(silent).rejects.toBeInstanceOf(P2pError);
    await expect(silent).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/timed out after 300 ms/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    await expect(a.request(new Uint8Array(32).fill(9), 'sync', text('1'), 500)).rejects.toMatchObject({
      code: 'not-connected',
    });
    await expect(a.request(memberB.publicKey, 'sync', text('1'), 0)).rejects.toThrow(RangeError);
  });

  it('answers a request sent the moment the peer is announced connected', async () => {
    const members = await planMesh(2);
    const [memberA, memberB] = members as [TestMember, TestMember];
    const a = await createMember(memberA, members);
    const b = await createMember(memberB, members);
    running.push(a, b);
    b.onRequest('sync', async (_from, payload) => payload.map((byte) => byte + 1));
    const answers: (Uint8Array | P2pError)[] = [];
    const announced: string[] = [];
    a.onPeerConnected((peer) => {
      announced.push(keyHex(peer));
      a.request(peer, 'sync', Uint8Array.of(1, 2), 5000).then(
        (answer) => answers.push(answer),
        (error: P2pError) => answers.push(error),
      );
    });
    await Promise.all([a.start(), b.start()]);
    await waitFor(() => answers.length === 1, 10_000, 'the answer');
    expect(answers).toEqual([Uint8Array.of(2, 3)]);
    expect(announced).toEqual([keyHex(memberB.publicKey)]);
  });

  it('rejoins a stopped and restarted node automatically', async () => {
    const { members, nodes } = await startMesh(3);
    const [a, b, c] = nodes as [PeerNode, PeerNode, PeerNode];
    const [, memberB, memberC] = members as [TestMember, TestMember, TestMember];
    const disconnectedAtA: string[] = [];
    a.onPeerDisconnected((peer) => disconnectedAtA.push(keyHex(peer)));

    await c.stop();
    await waitFor(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 5000, 'c to drop out');
    expect(disconnectedAtA).toEqual([keyHex(memberC.publicKey)]);
    expect(a.send(memberC.publicKey, 'tx', text('lost'))).toBe(false);
    await sleep(300);

    const restarted = await createMember(memberC, members);
    running.push(restarted);
    const atRestarted = recordMessages(restarted, ['tx']);
    await restarted.start();
    await waitFor(() => fullyConnected([a, b, restarted]), 10_000, 'restarted node to rejoin');
    expect(a.send(memberC.publicKey, 'tx', text('welcome back'))).toBe(true);
    await waitFor(() => atRestarted.length === 1, 5000, 'message to restarted node');
    expect(atRestarted[0]?.text).toBe('welcome back');

    // The same PeerNode object can be started again after stop(); stop() called twice at once stops once.
    await Promise.all([b.stop(), b.stop()]);
    expect(countEvents(memberB, { event: 'stopped' })).toBe(1);
    await waitFor(() => a.connectedPeers().length === 1, 5000, 'b to drop out');
    await b.start();
    await waitFor(() => fullyConnected([a, b, restarted]), 10_000, 'b to rejoin');
  });
});
