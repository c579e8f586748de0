import { describe, expect, it } from 'vitest';
import { keyHex, peerIdFromEd25519Key } from './keys.js';
import { DEFAULT_PROTOCOL, resolveOptions, type PeerNodeOptions } from './options.js';
import { createPeerNode } from './peer-node.js';

const OWN_KEY = new Uint8Array(32).fill(1);
const PEER_KEY = new Uint8Array(32).fill(2);

function options(overrides: Partial<PeerNodeOptions> = {}): PeerNodeOptions {
  return {
    seed: new Uint8Array(32),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    peers: [{ publicKey: PEER_KEY, addresses: ['/ip4/127.0.0.1/tcp/26601'] }],
    channels: ['consensus', 'tx'],
    maxMessageBytes: 1024,
    ...overrides,
  };
}

const resolve = (overrides: Partial<PeerNodeOptions>) => resolveOptions(options(overrides), keyHex(OWN_KEY));

describe('peer node options', () => {
  it('fills in defaults and adds the /p2p/<id> suffix to peer addresses', () => {
    const resolved = resolve({});
    const peerId = peerIdFromEd25519Key(PEER_KEY).toString();
    expect(resolved.protocol).toBe(DEFAULT_PROTOCOL);
    expect(resolved.peers.get(keyHex(PEER_KEY))?.addresses.map(String)).toEqual([`/ip4/127.0.0.1/tcp/26601/p2p/${peerId}`]);
    expect(resolved).toMatchObject({ redialMinMs: 200, redialMaxMs: 5000, banMs: 10_000, allowListCheckMs: 1000 });
    expect(resolved.maxQueuedBytesPerPeer).toBe(8 * 1024 * 1024);
  });

  it('ignores an entry for the node itself', () => {
    const resolved = resolve({ peers: [{ publicKey: OWN_KEY, addresses: [] }, { publicKey: PEER_KEY, addresses: [] }] });
    expect([...resolved.peers.keys()]).toEqual([keyHex(PEER_KEY)]);
  });

  it.each([
    ['a listen address that is not a multiaddr', { listen: ['not-an-address'] }, /listen: invalid multiaddr "not-an-address"/],
    ['no channels', { channels: [] }, /channels must be a non-empty array/],
    ['an upper-case channel name', { channels: ['Consensus'] }, /channel "Consensus" must be 1..32 chars/],
    ['a 33-character channel name', { channels: ['x'.repeat(33)] }, /must be 1..32 chars/],
    ['maxMessageBytes 0', { maxMessageBytes: 0 }, /maxMessageBytes must be an integer >= 1/],
    ['a fractional maxMessageBytes', { maxMessageBytes: 1.5 }, /maxMessageBytes must be an integer/],
    ['maxMessageBytes above the ceiling', { maxMessageBytes: 512 * 1024 * 1024 }, /maxMessageBytes must be at most/],
    [
      'a 31-byte peer key',
      { peers: [{ publicKey: new Uint8Array(31), addresses: [] }] },
      /peers\[0\]\.publicKey must be a 32-byte Ed25519 public key/,
    ],
    [
      'a peer listed twice',
      { peers: [{ publicKey: PEER_KEY, addresses: [] }, { publicKey: PEER_KEY, addresses: [] }] },
      /peers\[1\]: public key .* is listed twice/,
    ],
    ['a bad peer address', { peers: [{ publicKey: PEER_KEY, addresses: ['/ip4/1.2.3.4/tcp/x'] }] }, /peers\[0\]: invalid multiaddr/],
    [
      'an address naming another peer id',
      { peers: [{ publicKey: PEER_KEY, addresses: [`/ip4/127.0.0.1/tcp/1/p2p/${peerIdFromEd25519Key(OWN_KEY).toString()}`] }] },
      /names peer .*, but the key is/,
    ],
    ['allowedKeys that is not a function', { allowedKeys: [] as unknown as () => Uint8Array[] }, /allowedKeys must be a function/],
    ['a protocol without a leading slash', { protocol: 'certledger' }, /protocol must be '\/' and 1..255 printable characters/],
    ['a protocol with a newline', { protocol: '/certledger\n/1' }, /protocol must be/],
    ['redialMaxMs below redialMinMs', { redialMinMs: 500, redialMaxMs: 100 }, /redialMaxMs must be >= redialMinMs/],
    ['a queue smaller than one frame', { maxQueuedBytesPerPeer: 100 }, /maxQueuedBytesPerPeer must hold at least one full frame/],
    ['a negative banMs', { banMs: -1 }, /banMs must be an integer >= 0/],
    ['allowListCheckMs 0', { allowListCheckMs: 0 }, /allowListCheckMs must be an integer >= 1/],
  ] as [string, Partial<PeerNodeOptions>, RegExp][])('rejects %s', (_label, overrides, message) => {
    expect(() => resolve(overrides)).toThrow(message);
  });

  it('rejects a seed that is not 32 bytes before anything else', async () => {
    await expect(createPeerNode(options({ seed: new Uint8Array(16) }))).rejects.toThrow(/seed must be a 32-byte Uint8Array/);
  });
});
