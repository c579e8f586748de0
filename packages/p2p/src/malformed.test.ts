import { multiaddr } from '@multiformats/multiaddr';
import type { Libp2p } from 'libp2p';
import type { Stream } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, FrameKind } from './frame.js';
import { keyHex, publicKeyFromSeed } from './keys.js';
import { DEFAULT_PROTOCOL } from './options.js';
import type { PeerNode } from './peer-node.js';
import {
  createMember,
  fullyConnected,
  planMesh,
  seedFor,
  startRawHost,
  waitFor,
  type TestMember,
} from './test-support.js';

const MAX_MESSAGE_BYTES = 64 * 1024;
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

function rawHeader(kind: number, channel: string, requestId: number, length: number): Uint8Array {
  const out = new Uint8Array(10 + channel.length);
  const view = new DataView(out.buffer);
  out[0] = kind;
  out[1] = channel.length;
  out.set(text(channel), 2);
  view.setUint32(2 + channel.length, requestId);
  view.setUint32(6 + channel.length, length);
  return out;
}

interface Misbehaviour {
  name: string;
  code: string;
  /** Runs once the attacker's stream to A is open and a valid frame went through. */
  act: (stream: Stream) => Promise<void> | void;
}

const misbehaviours: Misbehaviour[] = [
  {
    name: 'a length above maxMessageBytes',
    code: 'oversized',
    act: (stream) => void stream.send(rawHeader(FrameKind.message, 'tx', 0, 0xffff_ffff)),
  },
  {
    name: 'a frame on an unknown channel',
    code: 'unknown-channel',
    act: (stream) => void stream.send(encodeFrame({ kind: FrameKind.message, channel: 'evil', requestId: 0, payload: text('x') })),
  },
  {
    name: 'a frame cut off by the end of the stream',
    code: 'truncated',
    act: async (stream) => {
      const whole = encodeFrame({ kind: FrameKind.message, channel: 'tx', requestId: 0, payload: new Uint8Array(100) });
      stream.send(whole.subarray(0, 40));
      await stream.close();
    },
  },
  {
    name: 'an unknown frame kind',
    code: 'unknown-kind',
    act: (stream) => void stream.send(Uint8Array.of(0x42, 2, 0x74, 0x78)),
  },
];

describe('a connected peer that breaks the framing protocol', () => {
  let mesh: TestMember[];
  let a: PeerNode;
  let b: PeerNode;
  const attackerKeys: Uint8Array[] = [];
  const deliveredToA: { from: string; text: string }[] = [];
  const deliveredToB: string[] = [];
  const rawHosts: Libp2p[] = [];

  beforeAll(async () => {
    mesh = await planMesh(2);
    for (let i = 0; i <= misbehaviours.length; i++) attackerKeys.push(await publicKeyFromSeed(seedFor(100 + i)));
    a = await createMember(mesh[0]!, mesh, { allowedKeys: () => attackerKeys, maxMessageBytes: MAX_MESSAGE_BYTES });
    b = await createMember(mesh[1]!, mesh, { maxMessageBytes: MAX_MESSAGE_BYTES });
    a.onMessage('tx', (from, payload) => deliveredToA.push({ from: keyHex(from), text: new TextDecoder().decode(payload) }));
    b.onMessage('tx', (_from, payload) => deliveredToB.push(new TextDecoder().decode(payload)));
    await Promise.all([a.start(), b.start()]);
    await waitFor(() => fullyConnected([a, b]), 10_000, 'a and b to connect');
  });

  afterAll(async () => {
    await Promise.all(rawHosts.map((host) => host.stop()));
    await Promise.all([a.stop(), b.stop()]);
  });

  async function expectMeshStillWorks(label: string): Promise<void> {
    expect(a.send(mesh[1]!.publicKey, 'tx', text(`a->b after ${label}`))).toBe(true);
    expect(b.send(mesh[0]!.publicKey, 'tx', text(`b->a after ${label}`))).toBe(true);
    await waitFor(
      () => deliveredToB.includes(`a->b after ${label}`) && deliveredToA.some((message) => message.text === `b->a after ${label}`),
      5000,
      `a and b to keep talking after ${label}`,
    );
  }

  misbehaviours.forEach((misbehaviour, index) => {
    it(`disconnects and bans a peer sending ${misbehaviour.name}`, async () => {
      const attackerSeed = seedFor(100 + index);
      const attacker = keyHex(attackerKeys[index]!);
      const raw = await startRawHost(attackerSeed);
      rawHosts.push(raw);
      const target = multiaddr(a.listenAddresses()[0]!);
      const stream = await raw.dialProtocol(target, DEFAULT_PROTOCOL);

      // A well-formed frame first: the peer is authorised and is heard until it misbehaves.
      stream.send(encodeFrame({ kind: FrameKind.message, channel: 'tx', requestId: 0, payload: text(`hello ${index}`) }));
      await waitFor(() => deliveredToA.some((message) => message.from === attacker), 5000, 'the valid frame');
      await misbehaviour.act(stream);

      await waitFor(
        () => mesh[0]!.events.some((event) => event.event === 'protocol-violation' && event.peer === attacker),
        5000,
        'the violation to be logged',
      );
      expect(mesh[0]!.events).toContainEqual(
        expect.objectContaining({ event: 'protocol-violation', peer: attacker, code: misbehaviour.code }),
      );
      await waitFor(() => raw.getConnections().length === 0, 5000, 'the attacker to be disconnected');
      expect(deliveredToA.filter((message) => message.from === attacker)).toEqual([{ from: attacker, text: `hello ${index}` }]);

      // Banned: coming straight back is refused.
      await expect(raw.dialProtocol(target, DEFAULT_PROTOCOL)).rejects.toThrow();
      expect(mesh[0]!.events).toContainEqual(
        expect.objectContaining({ event: 'connection-refused', peer: attacker, reason: 'banned after a protocol violation' }),
      );
      await expectMeshStillWorks(misbehaviour.name);
      expect(a.connectedPeers().map(keyHex)).toEqual([keyHex(mesh[1]!.publicKey)]);
    });
  });

  it('disconnects a peer that writes on the stream it should only read', async () => {
    const index = misbehaviours.length;
    const attacker = keyHex(attackerKeys[index]!);
    const raw = await startRawHost(seedFor(100 + index));
    rawHosts.push(raw);
    await raw.handle(DEFAULT_PROTOCOL, (stream) => {
      stream.send(text('talking back'));
    });
    await raw.dial(multiaddr(a.listenAddresses()[0]!));
    await waitFor(
      () => mesh[0]!.events.some((event) => event.event === 'protocol-violation' && event.peer === attacker),
      5000,
      'the violation to be logged',
    );
    expect(mesh[0]!.events).toContainEqual(
      expect.objectContaining({ event: 'protocol-violation', peer: attacker, code: 'unexpected-data' }),
    );
    await waitFor(() => raw.getConnections().length === 0, 5000, 'the attacker to be disconnected');
    await expectMeshStillWorks('talking back');
  });
});
