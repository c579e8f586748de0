import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROPOSAL_TXS, DEFAULT_TIMINGS, loadNodeConfig, parseNodeConfig } from './config.js';
import { writeTestNetwork } from './testing.js';

const PEER_KEY = 'ab'.repeat(32);
const minimal = {
  name: 'validator-0',
  genesisFile: '../genesis.json',
  keyFile: 'node.key.json',
  dataDir: 'data',
  p2p: { listen: ['/ip4/127.0.0.1/tcp/26600'] },
};
const withPeer = (peer: Record<string, unknown>) => ({ ...minimal, p2p: { ...minimal.p2p, peers: [{ name: 'validator-1', publicKey: PEER_KEY, addresses: ['/ip4/127.0.0.1/tcp/26601'], ...peer }] } });
const parse = (json: unknown) => () => parseNodeConfig(json, 'node.json');
const dir = mkdtempSync(join(tmpdir(), 'certledger-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('node configuration', () => {
  it('caps proposals at the default unless the consensus section says otherwise', () => {
    expect(parseNodeConfig(minimal, 'node.json').consensus).toEqual({ ...DEFAULT_TIMINGS, maxProposalTxs: DEFAULT_MAX_PROPOSAL_TXS });
    expect(parseNodeConfig({ ...minimal, consensus: { maxProposalTxs: 250 } }, 'node.json').consensus.maxProposalTxs).toBe(250);
  });

  it('refuses a proposal cap that is not a whole number from 1 to 100000, naming the field', () => {
    for (const bad of [0, -3, 2.5, '100', 100_001]) {
      expect(parse({ ...minimal, consensus: { maxProposalTxs: bad } })).toThrow(/node\.json: "consensus\.maxProposalTxs" must be a whole number from 1 to 100000/);
    }
  });

  it('loads the configs the test network writes, with every field set', () => {
    const network = writeTestNetwork(join(dir, 'network'), { validators: 2, basePort: 26700, extraPeers: [{ name: 'watcher', publicKey: new Uint8Array(32).fill(7), address: '/ip4/127.0.0.1/tcp/26799' }] });
    const config = loadNodeConfig(network.configFiles[0]!);
    expect(config.p2p.peers.map((peer) => peer.name)).toEqual(['validator-1', 'watcher']);
    expect(config.api).toEqual({ host: '127.0.0.1', port: network.apiPorts[0] });
    expect(config.mempool.maxTxs).toBe(100_000);
  });

  it('refuses an unknown field at every level, naming the file and the field path', () => {
    const cases: [unknown, string][] = [
      [{ ...minimal, apii: { port: 8080 } }, 'the configuration has an unknown field "apii"'],
      [{ ...minimal, api: { host: '127.0.0.1', port: 8080, hots: 'x' } }, '"api" has an unknown field "hots"'],
      [{ ...minimal, consensus: { timeoutPropse: 900 } }, '"consensus" has an unknown field "timeoutPropse"'],
      [{ ...minimal, mempool: { maxTx: 10 } }, '"mempool" has an unknown field "maxTx"'],
      [{ ...minimal, p2p: { ...minimal.p2p, peer: [] } }, '"p2p" has an unknown field "peer"'],
      [withPeer({ adresses: [] }), '"p2p.peers[0]" has an unknown field "adresses"'],
    ];
    for (const [json, message] of cases) expect(parse(json)).toThrow(`node.json: ${message}`);
  });

  it('refuses a peer name that is not a string, and names with line breaks or control characters', () => {
    expect(parse(withPeer({ name: 7 }))).toThrow(/node\.json: "p2p\.peers\[0\]\.name" must be a string/);
    expect(parse(withPeer({ name: 'validator-1\nforged log line' }))).toThrow(/node\.json: "p2p\.peers\[0\]\.name" must be a string .* without line breaks or control characters/);
    for (const bad of ['validator-0\n', 'a\u0000b', 'a\u001bb', 'a\u2028b', '']) {
      expect(parse({ ...minimal, name: bad })).toThrow(/node\.json: "name" must be a string/);
    }
    expect(parseNodeConfig(withPeer({ name: undefined }), 'node.json').p2p.peers[0]!.name).toBe('peer-0');
  });

  it('refuses mempool bounds that are not safe whole numbers', () => {
    for (const [field, bad] of [['maxTxs', 1e300], ['maxTxs', 0], ['maxBytes', 2 ** 53], ['maxBytes', 1.5]] as const) {
      expect(parse({ ...minimal, mempool: { [field]: bad } })).toThrow(`node.json: "mempool.${field}" must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`);
    }
    expect(parseNodeConfig({ ...minimal, mempool: { maxTxs: 10, maxBytes: 4096 } }, 'node.json').mempool).toEqual({ maxTxs: 10, maxBytes: 4096 });
  });

  it('refuses listen and peer addresses that are not multiaddresses, naming the entry', () => {
    for (const bad of ['not a multiaddr', 'http://x', '/ip4/999.1.1.1/tcp/1', '/ip4/127.0.0.1/tcp/70000']) {
      expect(parse({ ...minimal, p2p: { listen: ['/ip4/127.0.0.1/tcp/1', bad] } })).toThrow(/node\.json: "p2p\.listen\[1\]" is not a valid multiaddress/);
      expect(parse(withPeer({ addresses: [bad] }))).toThrow(/node\.json: "p2p\.peers\[0\]\.addresses\[0\]" is not a valid multiaddress/);
    }
    expect(parse({ ...minimal, p2p: { listen: [42] } })).toThrow('node.json: "p2p.listen[0]" must be a multiaddress string');
  });

  it('accepts an IP address or host name for the API and refuses anything else', () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '::1', 'localhost', 'node-1.gov.example']) {
      expect(parseNodeConfig({ ...minimal, api: { host, port: 8080 } }, 'node.json').api?.host).toBe(host);
    }
    for (const bad of ['not a host!!', '999.1.1.1', '-bad.example', 'a..b', 'x'.repeat(64), '', 7]) {
      expect(parse({ ...minimal, api: { host: bad, port: 8080 } })).toThrow('node.json: "api.host" must be an IP address or a host name');
    }
  });

  it('names the file it loaded in the message', () => {
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify({ ...minimal, apii: { port: 8080 } }));
    expect(() => loadNodeConfig(file)).toThrow(`${file}: the configuration has an unknown field "apii"`);
  });
});
