import { multiaddr } from '@multiformats/multiaddr';
import type { Stream } from '@libp2p/interface';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameKind } from './frame.js';
import { publicKeyFromSeed } from './keys.js';
import { DEFAULT_PROTOCOL } from './options.js';
import { createMember, planMesh, seedFor, startRawHost, waitFor, type TestMember } from './test-support.js';

const PAYLOAD_BYTES = 60 * 1024;
const QUEUE_BYTES = 256 * 1024;

describe('outbound back-pressure', () => {
  it('bounds the queue to a peer that stops reading, refuses new frames, and drains once it reads again', async () => {
    const mesh = await planMesh(2);
    const [memberA, memberB] = mesh as [TestMember, TestMember];
    const slowSeed = seedFor(120);
    const slowKey = await publicKeyFromSeed(slowSeed);
    const a = await createMember(memberA, mesh, {
      allowedKeys: () => [slowKey],
      maxQueuedBytesPerPeer: QUEUE_BYTES,
      maxQueuedFramesPerPeer: 100,
    });
    const b = await createMember(memberB, mesh);
    const atB: number[] = [];
    b.onMessage('tx', (_from, payload) => atB.push(payload.length));
    const slow = await startRawHost(slowSeed);
    let slowStream: Stream | undefined;
    const framesAtSlow: number[] = [];
    const decoder = new FrameDecoder({ maxPayloadBytes: PAYLOAD_BYTES, isKnownChannel: () => true });
    await slow.handle(DEFAULT_PROTOCOL, (stream) => {
      slowStream = stream;
      stream.addEventListener('message', (event) => {
        const chunk = event.data instanceof Uint8Array ? event.data : event.data.subarray();
        for (const frame of decoder.push(chunk)) if (frame.kind === FrameKind.message) framesAtSlow.push(frame.payload.length);
      });
      stream.pause();
    });
    try {
      await Promise.all([a.start(), b.start()]);
      // The slow peer opens its own stream to a (a peer is connected once both streams are open) but never writes on it.
      await slow.dialProtocol(multiaddr(a.listenAddresses()[0]!), DEFAULT_PROTOCOL);
      await waitFor(() => a.isConnected(slowKey) && a.isConnected(memberB.publicKey), 10_000, 'links from a');

      let accepted = 0;
      let refused = false;
      for (let i = 0; i < 2000 && !refused; i++) {
        if (a.send(slowKey, 'tx', new Uint8Array(PAYLOAD_BYTES))) accepted++;
        else refused = true;
      }
      expect(refused).toBe(true);
      expect(a.isConnected(slowKey)).toBe(true);
      const status = a.queueStatus(slowKey)!;
      expect(status.frames).toBeGreaterThan(0);
      expect(status.bytes).toBeLessThanOrEqual(QUEUE_BYTES);
      // The transport holds at most a window's worth on top of our queue: the total stays small.
      expect(accepted * PAYLOAD_BYTES).toBeLessThan(4 * 1024 * 1024);

      expect(a.send(memberB.publicKey, 'tx', new Uint8Array(PAYLOAD_BYTES))).toBe(true);
      await waitFor(() => atB.length === 1, 5000, 'b to be unaffected by the slow peer');

      slowStream!.resume();
      await waitFor(() => framesAtSlow.length === accepted, 10_000, 'the slow peer to receive every accepted frame');
      expect(a.queueStatus(slowKey)).toEqual({ frames: 0, bytes: 0 });
      expect(a.send(slowKey, 'tx', new Uint8Array(PAYLOAD_BYTES))).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop(), slow.stop()]);
    }
  });
});
