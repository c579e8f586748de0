import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { firstUnknownKey, fromHex } from '@certledger/codec';
import { MAX_BLOCK_TXS } from '@certledger/ledger';
import { multiaddr } from '@multiformats/multiaddr';
import { MAX_NODE_CONFIG_FILE_BYTES, readJsonFile } from './bounded-file.js';
import { DEFAULT_MEMPOOL_LIMITS } from './mempool.js';

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

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 4096;
// Names go into log lines, where a line break or control character would forge or break lines.
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200 && !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(v);
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
const isMillis = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 600_000;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
// A proposal never needs more than any chain lets a block hold.
const isProposalCap = (v: unknown): v is number => isCount(v) && v <= MAX_BLOCK_TXS;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// RFC 1123 labels; a name whose last label is all digits would be a mistyped IPv4 address.
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*(?!\d+$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const isHost = (v: unknown): v is string => typeof v === 'string' && (isIP(v) !== 0 || HOST_NAME.test(v));

/** Reads one config document; every problem names the file and the field's path. */
class ConfigReader {
  constructor(private readonly file: string) {}

  fail(message: string): never {
    throw new ConfigError(`${this.file}: ${message}`);
  }

  /** An object section holding only `known` fields, so a misspelt setting is refused rather than left at its default. */
  section(value: unknown, path: string, known: readonly string[]): Json {
    if (!isObject(value)) this.fail(`"${path}" must be an object`);
    const unknown = firstUnknownKey(value, known);
    if (unknown !== undefined) this.fail(`${path === '' ? 'the configuration' : `"${path}"`} has an unknown field "${unknown}" (known: ${known.join(', ')})`);
    return value;
  }

  field<T>(obj: Json, path: string, check: (v: unknown) => v is T, expected: string, fallback?: T): T {
    const value = obj[path.slice(path.lastIndexOf('.') + 1)];
    if (value === undefined && fallback !== undefined) return fallback;
    if (!check(value)) this.fail(`"${path}" must be ${expected}`);
    return value;
  }

  /** Checked here so a mistyped address is refused before the node creates its data folder. */
  multiaddrs(obj: Json, path: string): string[] {
    const list = this.field(obj, path, Array.isArray, 'a list of multiaddresses such as "/ip4/127.0.0.1/tcp/26600"') as unknown[];
    return list.map((address, i) => {
      if (!isString(address)) this.fail(`"${path}[${i}]" must be a multiaddress string`);
      try {
        multiaddr(address);
      } catch (err) {
        this.fail(`"${path}[${i}]" is not a valid multiaddress (${JSON.stringify(address)}: ${(err as Error).message})`);
      }
      return address;
    });
  }
}

const TOP_FIELDS = ['name', 'mode', 'genesisFile', 'keyFile', 'dataDir', 'p2p', 'api', 'consensus', 'mempool', 'logLevel'];
const CONSENSUS_FIELDS = [...Object.keys(DEFAULT_TIMINGS), 'maxProposalTxs'];
const NAME = 'a string of 1 to 200 characters without line breaks or control characters';

/** Parses and checks a config document; every problem names the file and the field. */
export function parseNodeConfig(json: unknown, file: string): NodeConfig {
  // Annotated so TypeScript treats r.fail(...) as ending the flow.
  const r: ConfigReader = new ConfigReader(file);
  if (!isObject(json)) r.fail('the configuration must be a JSON object');
  const doc = r.section(json, '', TOP_FIELDS);
  const base = dirname(resolve(file));
  const mode = doc.mode ?? 'validator';
  if (mode !== 'validator' && mode !== 'follower') r.fail('"mode" must be "validator" or "follower"');
  const p2p = r.section(doc.p2p, 'p2p', ['listen', 'peers']);
  const peersRaw = r.field(p2p, 'p2p.peers', Array.isArray, 'an array', []) as unknown[];
  const peers = peersRaw.map((item, i) => {
    const path = `p2p.peers[${i}]`;
    const peer = r.section(item, path, ['name', 'publicKey', 'addresses']);
    let publicKey: Uint8Array;
    try {
      publicKey = fromHex(peer.publicKey as string, 32, `${path}.publicKey`);
    } catch (err) {
      r.fail((err as Error).message);
    }
    return { name: r.field(peer, `${path}.name`, isName, NAME, `peer-${i}`), publicKey, addresses: r.multiaddrs(peer, `${path}.addresses`) };
  });
  const api = doc.api === null || doc.api === undefined ? null : r.section(doc.api, 'api', ['host', 'port']);
  const consensus = r.section(doc.consensus ?? {}, 'consensus', CONSENSUS_FIELDS);
  const mempool = r.section(doc.mempool ?? {}, 'mempool', ['maxTxs', 'maxBytes']);
  const logLevel = doc.logLevel ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel as string)) r.fail('"logLevel" must be debug, info, warn or error');
  const timing = (key: keyof ConsensusTimings) => r.field(consensus, `consensus.${key}`, isMillis, 'milliseconds from 1 to 600000', DEFAULT_TIMINGS[key]);
  const count = (section: Json, path: string, fallback: number) => r.field(section, path, isCount, `a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`, fallback);
  return {
    name: r.field(doc, 'name', isName, NAME),
    mode,
    genesisFile: resolve(base, r.field(doc, 'genesisFile', isString, 'a path')),
    keyFile: resolve(base, r.field(doc, 'keyFile', isString, 'a path')),
    dataDir: resolve(base, r.field(doc, 'dataDir', isString, 'a path')),
    p2p: { listen: r.multiaddrs(p2p, 'p2p.listen'), peers },
    api: api && { host: r.field(api, 'api.host', isHost, 'an IP address or a host name', '127.0.0.1'), port: r.field(api, 'api.port', isPort, 'a port number') },
    consensus: {
      ...timingsFrom(timing),
      maxProposalTxs: r.field(consensus, 'consensus.maxProposalTxs', isProposalCap, `a whole number from 1 to ${MAX_BLOCK_TXS}`, DEFAULT_MAX_PROPOSAL_TXS),
    },
    mempool: { maxTxs: count(mempool, 'mempool.maxTxs', DEFAULT_MEMPOOL_LIMITS.maxTxs), maxBytes: count(mempool, 'mempool.maxBytes', DEFAULT_MEMPOOL_LIMITS.maxBytes) },
    logLevel: logLevel as NodeConfig['logLevel'],
  };
}

/** A JSON file a node starts from, read within its bound; a failure is the node's ConfigError. */
export function readConfigJson(file: string, what: string, maxBytes: number): unknown {
  try {
    return readJsonFile(file, what, maxBytes);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

export function loadNodeConfig(file: string): NodeConfig {
  return parseNodeConfig(readConfigJson(file, 'the configuration', MAX_NODE_CONFIG_FILE_BYTES), file);
}
