import { describe, expect, it } from 'vitest';
import { keyHex } from './keys.js';
import type { P2pLogEvent } from './options.js';
import { PeerPresence } from './presence.js';

const PEER = keyHex(new Uint8Array(32).fill(7));

function presence(): { presence: PeerPresence; log: P2pLogEvent[]; failed: string[]; seen: string[] } {
  const log: P2pLogEvent[] = [];
  const failed: string[] = [];
  const seen: string[] = [];
  const tracker = new PeerPresence({
    log: (event) => log.push(event),
    onDisconnected: (peer, reason) => failed.push(`${peer}:${reason}`),
  });
  tracker.onConnected((peer) => seen.push(`up ${keyHex(peer)}`));
  tracker.onDisconnected((peer) => seen.push(`down ${keyHex(peer)}`));
  return { presence: tracker, log, failed, seen };
}

describe('peer presence', () => {
  it('calls a peer connected only while both directions are open, and announces each change once', () => {
    const { presence: tracker, log, failed, seen } = presence();
    tracker.outboundOpened(PEER);
    expect(tracker.isConnected(PEER)).toBe(false);
    tracker.inboundOpened(PEER);
    tracker.inboundOpened(PEER);
    expect(tracker.connectedPeers()).toEqual([PEER]);

    tracker.inboundClosed(PEER, 'replaced');
    expect(tracker.isConnected(PEER)).toBe(true);
    tracker.inboundClosed(PEER, 'peer closed its stream');
    expect(tracker.isConnected(PEER)).toBe(false);
    tracker.outboundClosed(PEER, 'closed by peer');

    expect(seen).toEqual([`up ${PEER}`, `down ${PEER}`]);
    expect(failed).toEqual([`${PEER}:peer closed its stream`]);
    expect(log).toEqual([
      { event: 'peer-connected', peer: PEER },
      { event: 'peer-disconnected', peer: PEER, reason: 'peer closed its stream' },
    ]);
  });

  it('logs a listener that throws and still tells the others', () => {
    const { presence: tracker, log, seen } = presence();
    const remove = tracker.onConnected(() => {
      throw new Error('listener bug');
    });
    tracker.inboundOpened(PEER);
    tracker.outboundOpened(PEER);
    expect(seen).toEqual([`up ${PEER}`]);
    expect(log).toContainEqual({ event: 'handler-failed', peer: PEER, reason: 'listener bug' });

    remove();
    tracker.outboundClosed(PEER, 'gone');
    tracker.outboundOpened(PEER);
    expect(log.filter((event) => event.event === 'handler-failed')).toHaveLength(1);
  });

  it('forgets everything silently on clear()', () => {
    const { presence: tracker, log } = presence();
    tracker.inboundOpened(PEER);
    tracker.outboundOpened(PEER);
    tracker.clear();
    expect(tracker.connectedPeers()).toEqual([]);
    tracker.outboundOpened(PEER);
    expect(tracker.isConnected(PEER)).toBe(false);
    expect(log).toEqual([{ event: 'peer-connected', peer: PEER }]);
  });
});
