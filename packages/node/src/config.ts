import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fromHex } from '@certledger/codec';

/** One node's configuration file (JSON). Paths are relative to the file's folder. */
export interface NodeConfig {
  readonly name: string;
  readonly mode: 'validator' | 'follower';
  readonly genesisFile: string;
  readonly keyFile: string;
  readonly dataDir: string;
  readonly p2p: {
    readonly listen: readonly string[];
    readonly peers: readonly { readonly name: string; readonly publicKey: Uint8Array; readonly addresses: readonly string[] }[];
  };
  /** The HTTP API (gateway); null for none. */
  readonly api: { readonly host: string; readonly port: number } | null;
  readonly consensus: ConsensusSettings;
  readonly mempool: { readonly maxTxs: number; readonly maxBytes: number };
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface ConsensusTimings {
  /** The least time between two blocks; empty blocks are made no faster than this. */
  readonly blockIntervalMs: number;
  readonly timeoutProposeMs: number;
  readonly timeoutPrevoteMs: number;
  readonly timeoutPrecommitMs: number;
  /** Added to each timeout per round, so rounds lengthen until the network is fast enough. */
  readonly timeoutDeltaMs: number;
}

export const DEFAULT_TIMINGS: ConsensusTimings = { blockIntervalMs: 500, timeoutProposeMs: 1500, timeoutPrevoteMs: 500, timeoutPrecommitMs: 500, timeoutDeltaMs: 500 };

export interface ConsensusSettings extends ConsensusTimings {
  /**
   * Transactions in one proposal of this node, at most (the chain's maxBlockTxs still bounds
   * it). A backlog is taken in several blocks: every validator must build or check a proposal
   * within the propose timeout, and a block too big for that costs a round, which is slower.
   */
  readonly maxProposalTxs: number;
}

export const DEFAULT_MAX_PROPOSAL_TXS = 2000;

/** Builds the timings by reading each one, so every reader checks the same fields. */
export function timingsFrom(read: (key: keyof ConsensusTimings) => number): ConsensusTimings {
  return {
    blockIntervalMs: read('blockIntervalMs'),
    timeoutProposeMs: read('timeoutProposeMs'),
    timeoutPrevoteMs: read('timeoutPrevoteMs'),
    timeoutPrecommitMs: read('timeoutPrecommitMs'),
    timeoutDeltaMs: read('timeoutDeltaMs'),
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Json = Record<string, unknown>;

function fail(file: string, message: string): never {
  throw new ConfigError(`${file}: ${message}`);
}

function field<T>(file: string, obj: Json, key: string, check: (v: unknown) => v is T, expected: string, fallback?: T): T {
  const value = obj[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (!check(value)) fail(file, `"${key}" must be ${expected}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 4096;
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
const isMillis = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 600_000;
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

/** Parses and checks a config document; every problem names the file and the field. */
export function parseNodeConfig(json: unknown, file: string): NodeConfig {
  if (!isObject(json)) fail(file, 'the configuration must be a JSON object');
  const base = dirname(resolve(file));
  const mode = json.mode ?? 'validator';
  if (mode !== 'validator' && mode !== 'follower') fail(file, '"mode" must be "validator" or "follower"');
  const p2p = field(file, json, 'p2p', isObject, 'an object');
  const peersRaw = field(file, p2p, 'peers', Array.isArray, 'an array', []) as unknown[];
  const peers = peersRaw.map((peer, i) => {
    if (!isObject(peer)) fail(file, `p2p.peers[${i}] must be an object`);
    let publicKey: Uint8Array;
    try {
      publicKey = fromHex(peer.publicKey as string, 32, `p2p.peers[${i}].publicKey`);
    } catch (err) {
      fail(file, (err as Error).message);
    }
    return { name: typeof peer.name === 'string' ? peer.name : `peer-${i}`, publicKey, addresses: field(file, peer, 'addresses', isStringList, 'a list of multiaddresses') };
  });
  const api = json.api === null || json.api === undefined ? null : field(file, json, 'api', isObject, 'an object or null');
  const consensus = (json.consensus ?? {}) as Json;
  if (!isObject(consensus)) fail(file, '"consensus" must be an object');
  const mempool = (json.mempool ?? {}) as Json;
  if (!isObject(mempool)) fail(file, '"mempool" must be an object');
  const logLevel = json.logLevel ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel as string)) fail(file, '"logLevel" must be debug, info, warn or error');
  const timing = (key: keyof ConsensusTimings) => field(file, consensus, key, isMillis, 'milliseconds from 1 to 600000', DEFAULT_TIMINGS[key]);
  return {
    name: field(file, json, 'name', isString, 'a non-empty string'),
    mode,
    genesisFile: resolve(base, field(file, json, 'genesisFile', isString, 'a path')),
    keyFile: resolve(base, field(file, json, 'keyFile', isString, 'a path')),
    dataDir: resolve(base, field(file, json, 'dataDir', isString, 'a path')),
    p2p: { listen: field(file, p2p, 'listen', isStringList, 'a list of multiaddresses'), peers },
    api: api && { host: field(file, api, 'host', isString, 'a host name or address', '127.0.0.1'), port: field(file, api, 'port', isPort, 'a port number') },
    consensus: { ...timingsFrom(timing), maxProposalTxs: field(file, consensus, 'maxProposalTxs', isCount, 'a positive integer', DEFAULT_MAX_PROPOSAL_TXS) },
    mempool: { maxTxs: field(file, mempool, 'maxTxs', isCount, 'a positive integer', 50_000), maxBytes: field(file, mempool, 'maxBytes', isCount, 'a positive integer', 256 << 20) },
    logLevel: logLevel as NodeConfig['logLevel'],
  };
}

export function loadNodeConfig(file: string): NodeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the configuration ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseNodeConfig(json, file);
}
