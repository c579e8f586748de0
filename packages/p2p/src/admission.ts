import type { PeerId } from '@libp2p/interface';
import { ED25519_KEY_BYTES, ed25519KeyOfPeerId, keyHex } from './keys.js';

export type Admission = { allowed: true } | { allowed: false; reason: string };

export interface AdmissionRules {
  ownHex: string;
  /** Keys (hex) of the configured peers: always admitted unless banned. */
  configured: ReadonlySet<string>;
  allowedKeys: (() => Iterable<Uint8Array>) | undefined;
  banMs: number;
  /** allowedKeys() threw or returned something that is not a key. */
  onAllowedKeysProblem: (reason: string) => void;
}

/**
 * The gater rule: a peer may connect when its Ed25519 key is a configured peer
 * or one that allowedKeys() names at this moment, is not our own key, and is
 * not serving a ban for breaking the protocol.
 */
export class PeerAdmission {
  private readonly bannedUntil = new Map<string, number>();

  constructor(private readonly rules: AdmissionRules) {}

  admitPeerId(peerId: PeerId, allowedNow?: ReadonlySet<string>): Admission {
    const key = ed25519KeyOfPeerId(peerId);
    if (key === undefined) return { allowed: false, reason: `peer id ${peerId.toString()} is not an Ed25519 key` };
    return this.admitKey(keyHex(key), allowedNow);
  }

  /** `allowedNow` is a snapshot from {@link allowedSnapshot} when checking many peers at once. */
  admitKey(peer: string, allowedNow?: ReadonlySet<string>): Admission {
    if (peer === this.rules.ownHex) return { allowed: false, reason: 'own key' };
    if (this.isBanned(peer)) return { allowed: false, reason: 'banned after a protocol violation' };
    if (this.rules.configured.has(peer)) return { allowed: true };
    if ((allowedNow ?? this.allowedSnapshot()).has(peer)) return { allowed: true };
    return { allowed: false, reason: 'key is not in the authorised set' };
  }

  /** Refuses the peer for banMs (no-op when banMs is 0). */
  ban(peer: string): void {
    if (this.rules.banMs > 0) this.bannedUntil.set(peer, Date.now() + this.rules.banMs);
  }

  /** The keys allowedKeys() names right now, in hex; empty when it fails. */
  allowedSnapshot(): Set<string> {
    const allowed = new Set<string>();
    const allowedKeys = this.rules.allowedKeys;
    if (allowedKeys === undefined) return allowed;
    let invalid = 0;
    try {
      for (const key of allowedKeys()) {
        if (key instanceof Uint8Array && key.length === ED25519_KEY_BYTES) allowed.add(keyHex(key));
        else invalid++;
      }
    } catch (error) {
      this.rules.onAllowedKeysProblem(`allowedKeys() threw: ${error instanceof Error ? error.message : String(error)}`);
      return new Set();
    }
    if (invalid > 0) {
      this.rules.onAllowedKeysProblem(`allowedKeys() returned ${invalid} value(s) that are not ${ED25519_KEY_BYTES}-byte keys`);
    }
    return allowed;
  }

  private isBanned(peer: string): boolean {
    const until = this.bannedUntil.get(peer);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.bannedUntil.delete(peer);
    return false;
  }
}
