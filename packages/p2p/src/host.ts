import './polyfills.js';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { tcp } from '@libp2p/tcp';
import { createLibp2p, type Libp2p } from 'libp2p';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import type { Admission } from './admission.js';

export interface HostOptions {
  privateKey: PrivateKey;
  listen: string[];
  dialTimeoutMs: number;
  /** Decides, for every connection in either direction, whether the remote may stay. */
  admit: (peerId: PeerId) => Admission;
  onRefused: (peerId: PeerId, direction: 'inbound' | 'outbound', reason: string) => void;
}

/**
 * A libp2p node with TCP, Noise and Yamux only: no discovery, no identify, no
 * DHT. Peers are only ever the ones the gater admits; the gater checks again
 * after the Noise handshake, when the remote has proven its key.
 */
export async function createHost(options: HostOptions): Promise<Libp2p> {
  const gate =
    (direction: 'inbound' | 'outbound') =>
    (peerId: PeerId): boolean => {
      const admission = options.admit(peerId);
      if (admission.allowed) return false;
      options.onRefused(peerId, direction, admission.reason);
      return true;
    };
  return createLibp2p({
    start: false,
    privateKey: options.privateKey,
    addresses: { listen: options.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: {
      denyDialPeer: gate('outbound'),
      denyOutboundEncryptedConnection: gate('outbound'),
      denyInboundEncryptedConnection: gate('inbound'),
    },
    connectionManager: {
      dialTimeout: options.dialTimeoutMs,
      // Every authorised peer may sit behind one address (all of them do in a
      // single-host devnet); the gater, not this rate limit, keeps strangers out.
      inboundConnectionThreshold: 50,
    },
  });
}
