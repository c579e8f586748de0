import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
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
 * Test ports lie below Linux's ephemeral range (32768 and up): an outgoing connection never
 * holds one, so a validator restarted on its port finds it free.
 */
const FIRST_TEST_PORT = 20_000;
const END_OF_TEST_PORTS = 32_768;
const PORT_BLOCK_ATTEMPTS = 50;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive ports free on 127.0.0.1. Test files run in parallel (and
 * several suites may run at once): a random start, checked by binding each port, keeps them
 * apart without a registry of ranges.
 */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < PORT_BLOCK_ATTEMPTS; attempt++) {
    const base = FIRST_TEST_PORT + Math.floor(Math.random() * (END_OF_TEST_PORTS - FIRST_TEST_PORT - count));
    let free = true;
    for (let port = base; port < base + count && free; port++) free = await portIsFree(port);
    if (free) return base;
  }
  throw new Error(`found no ${count} consecutive free ports on 127.0.0.1 between ${FIRST_TEST_PORT} and ${END_OF_TEST_PORTS}`);
}

/** Ports a test network of `validators` takes from its base port: p2p ports, then API ports. */
export function testNetworkPortCount(validators: number): number {
  return 2 * validators;
}

export interface ExtraPeer {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly address: string;
}

/**
 * Writes the ledger's deterministic test network (validator keys derived from names) as node
 * configs, genesis and key files under `dir`, listening on 127.0.0.1 only: validator i on p2p
 * port basePort + i and API port basePort + validators + i (see {@link testNetworkPortCount}).
 */
export function writeTestNetwork(
  dir: string,
  options: {
    validators?: number;
    basePort: number;
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
  const apiPorts = Array.from({ length: count }, (_, i) => options.basePort + count + i);
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
