import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '@certledger/codec';
import { keyPairFromSeed } from '@certledger/crypto';
import { writeKeyFile } from '@certledger/crypto/keyfile';
import { genesisToJson } from '@certledger/ledger';
import { testNetwork, testSeed } from '@certledger/ledger/testing';
import type { ConsensusTimings } from './config.js';

export interface TestNetworkFiles {
  readonly chainId: string;
  readonly configFiles: readonly string[];
  readonly p2pPorts: readonly number[];
  readonly apiPorts: readonly number[];
}

/** Quick timings for tests on one machine. */
export const FAST_TIMINGS: ConsensusTimings = { blockIntervalMs: 100, timeoutProposeMs: 1000, timeoutPrevoteMs: 300, timeoutPrecommitMs: 300, timeoutDeltaMs: 300 };

/**
 * Writes the ledger's deterministic test network (validator keys derived from names) as node
 * configs, genesis and key files under `dir`, listening on 127.0.0.1 only.
 */
export interface ExtraPeer {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly address: string;
}

export function writeTestNetwork(
  dir: string,
  options: {
    validators?: number;
    basePort: number;
    apiBasePort?: number;
    timings?: ConsensusTimings;
    chainId?: string;
    extraPeers?: readonly ExtraPeer[];
    /** Departments dept-0... added for load tests. */
    extraIssuers?: number;
    logLevel?: 'debug' | 'info' | 'warn' | 'error';
  },
): TestNetworkFiles {
  const count = options.validators ?? 4;
  const network = testNetwork(count, options.chainId ?? 'test-chain', options.extraIssuers ?? 0);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'genesis.json'), JSON.stringify(genesisToJson(network.genesis), null, 2));
  const p2pPorts = Array.from({ length: count }, (_, i) => options.basePort + i);
  const apiPorts = Array.from({ length: count }, (_, i) => (options.apiBasePort ?? options.basePort + 100) + i);
  const keys = Array.from({ length: count }, (_, i) => keyPairFromSeed(testSeed(`validator-${i}`)));
  const configFiles = keys.map((key, i) => {
    const name = `validator-${i}`;
    const nodeDir = join(dir, name);
    mkdirSync(nodeDir, { recursive: true });
    writeKeyFile(join(nodeDir, 'node.key.json'), key, { label: name, overwrite: true });
    const config = {
      name,
      mode: 'validator',
      genesisFile: '../genesis.json',
      keyFile: 'node.key.json',
      dataDir: 'data',
      p2p: {
        listen: [`/ip4/127.0.0.1/tcp/${p2pPorts[i]}`],
        peers: [
          ...keys.map((peer, j) => ({ name: `validator-${j}`, publicKey: toHex(peer.publicKey), addresses: [`/ip4/127.0.0.1/tcp/${p2pPorts[j]}`] })).filter((_, j) => j !== i),
          ...(options.extraPeers ?? []).map((peer) => ({ name: peer.name, publicKey: toHex(peer.publicKey), addresses: [peer.address] })),
        ],
      },
      api: { host: '127.0.0.1', port: apiPorts[i] },
      consensus: options.timings ?? FAST_TIMINGS,
      mempool: { maxTxs: 100_000, maxBytes: 256 << 20 },
      logLevel: options.logLevel ?? 'warn',
    };
    const file = join(nodeDir, 'node.json');
    writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
  });
  return { chainId: network.genesis.chainId, configFiles, p2pPorts, apiPorts };
}
