import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PeerAdmission, type AdmissionRules } from './admission.js';
import { keyHex, peerIdFromEd25519Key } from './keys.js';

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const OWN = keyHex(key(1));
const CONFIGURED = keyHex(key(2));

function admission(overrides: Partial<AdmissionRules> = {}): { admission: PeerAdmission; problems: string[] } {
  const problems: string[] = [];
  const rules: AdmissionRules = {
    ownHex: OWN,
    configured: new Set([CONFIGURED]),
    allowedKeys: undefined,
    banMs: 1000,
    onAllowedKeysProblem: (reason) => problems.push(reason),
    ...overrides,
  };
  return { admission: new PeerAdmission(rules), problems };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('peer admission', () => {
  it('admits configured keys and refuses every other key when allowedKeys is absent', () => {
    const { admission: gate } = admission();
    expect(gate.admitKey(CONFIGURED)).toEqual({ allowed: true });
    expect(gate.admitKey(keyHex(key(3)))).toEqual({ allowed: false, reason: 'key is not in the authorised set' });
    expect(gate.admitKey(OWN)).toEqual({ allowed: false, reason: 'own key' });
  });

  it('reads allowedKeys on every check, so removals take effect at once', () => {
    let allowed = [key(3)];
    const read = vi.fn(() => allowed);
    const { admission: gate } = admission({ allowedKeys: read });
    expect(gate.admitKey(keyHex(key(3))).allowed).toBe(true);
    allowed = [key(4)];
    expect(gate.admitKey(keyHex(key(3))).allowed).toBe(false);
    expect(gate.admitKey(keyHex(key(4))).allowed).toBe(true);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('uses a snapshot when one is given instead of calling allowedKeys again', () => {
    const read = vi.fn(() => [key(3)]);
    const { admission: gate } = admission({ allowedKeys: read });
    const snapshot = gate.allowedSnapshot();
    expect(gate.admitKey(keyHex(key(3)), snapshot).allowed).toBe(true);
    expect(gate.admitKey(keyHex(key(5)), snapshot).allowed).toBe(false);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('fails closed when allowedKeys throws, but keeps configured peers, and says why', () => {
    const { admission: gate, problems } = admission({
      allowedKeys: () => {
        throw new Error('state not loaded');
      },
    });
    expect(gate.admitKey(keyHex(key(3))).allowed).toBe(false);
    expect(gate.admitKey(CONFIGURED).allowed).toBe(true);
    expect(problems).toEqual(['allowedKeys() threw: state not loaded']);
  });

  it('skips and reports values from allowedKeys that are not 32-byte keys', () => {
    const { admission: gate, problems } = admission({
      allowedKeys: () => [key(3), new Uint8Array(31), 'ab' as unknown as Uint8Array],
    });
    expect(gate.admitKey(keyHex(key(3))).allowed).toBe(true);
    expect(problems).toEqual(['allowedKeys() returned 2 value(s) that are not 32-byte keys']);
  });

  it('refuses a banned key, configured or not, until banMs has passed', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { admission: gate } = admission({ allowedKeys: () => [key(3)] });
    gate.ban(CONFIGURED);
    gate.ban(keyHex(key(3)));
    expect(gate.admitKey(CONFIGURED)).toEqual({ allowed: false, reason: 'banned after a protocol violation' });
    expect(gate.admitKey(keyHex(key(3))).allowed).toBe(false);
    vi.setSystemTime(1_000_999);
    expect(gate.admitKey(CONFIGURED).allowed).toBe(false);
    vi.setSystemTime(1_001_000);
    expect(gate.admitKey(CONFIGURED).allowed).toBe(true);
    expect(gate.admitKey(keyHex(key(3))).allowed).toBe(true);
  });

  it('does not ban when banMs is 0', () => {
    const { admission: gate } = admission({ banMs: 0 });
    gate.ban(CONFIGURED);
    expect(gate.admitKey(CONFIGURED).allowed).toBe(true);
  });

  it('admits peer ids by their Ed25519 key and refuses other key types', async () => {
    const { admission: gate } = admission();
    const configuredId = peerIdFromEd25519Key(key(2));
    expect(gate.admitPeerId(configuredId)).toEqual({ allowed: true });
    const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1'));
    const refusal = gate.admitPeerId(secp);
    expect(refusal).toEqual({ allowed: false, reason: `peer id ${secp.toString()} is not an Ed25519 key` });
  });
});
