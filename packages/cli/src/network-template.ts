import { existsSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { firstUnknownKey } from '@certledger/codec';
import { DEFAULT_TIMINGS, timingsFrom, type ConsensusTimings } from '@certledger/node';
import { checkIdentifier, DEFAULT_PARAMS, type LedgerParams } from '@certledger/ledger';
import { compileRecordSchema, type JsonObject } from '@certledger/certs';
import { readJsonFile } from '@certledger/node/files';
import { DRIVING_LICENCE_SCHEMA, NURSE_LICENCE_SCHEMA } from './sample-schemas.js';

/**
 * What a new network looks like, without any key: chain id, how many validators and where
 * they listen, ledger parameters, consensus timings, and the founding issuing departments and
 * certificate types. `certledger init` turns it into genesis, node configs and fresh keys.
 */
export interface NetworkTemplate {
  readonly chainId: string;
  readonly validators: number;
  readonly host: string;
  readonly p2pBasePort: number;
  readonly apiBasePort: number;
  readonly params: LedgerParams;
  readonly consensus: ConsensusTimings;
  readonly issuers: readonly { readonly issuerId: string; readonly displayName: string }[];
  readonly certTypes: readonly TemplateCertType[];
}

export interface TemplateCertType {
  readonly typeId: string;
  readonly version: number;
  readonly displayName: string;
  readonly issuers: readonly string[];
  /** JSON Schema of the type's records; genesis registers its hash. */
  readonly schema: JsonObject;
}

/** For a type whose template gives no schema: any JSON object is a record. */
export const ANY_RECORD_SCHEMA: JsonObject = { type: 'object' };

export const BUILT_IN_TEMPLATE: NetworkTemplate = {
  chainId: 'certledger-devnet',
  validators: 4,
  host: '127.0.0.1',
  p2pBasePort: 26600,
  apiBasePort: 8080,
  params: DEFAULT_PARAMS,
  consensus: DEFAULT_TIMINGS,
  issuers: [
    { issuerId: 'transport', displayName: 'Department of Transport' },
    { issuerId: 'health', displayName: 'Department of Health' },
  ],
  certTypes: [
    { typeId: 'driving-licence', version: 1, displayName: 'Driving licence', issuers: ['transport'], schema: structuredClone(DRIVING_LICENCE_SCHEMA) as unknown as JsonObject },
    { typeId: 'nurse-licence', version: 1, displayName: 'Nursing licence', issuers: ['health'], schema: structuredClone(NURSE_LICENCE_SCHEMA) as unknown as JsonObject },
  ],
};

type Json = Record<string, unknown>;

class TemplateReader {
  constructor(private readonly file: string) {}

  fail(message: string): never {
    throw new Error(`${this.file}: ${message}`);
  }

  object(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`${path} must be an object`);
    return value as Json;
  }

  only(obj: Json, path: string, keys: readonly string[]): void {
    const unknown = firstUnknownKey(obj, keys);
    if (unknown !== undefined) this.fail(`${path} has an unknown field "${unknown}" (known: ${keys.join(', ')})`);
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) this.fail(`${path} must be a non-empty string of at most 200 characters`);
    return value as string;
  }

  /** Chain, department and type ids: what the ledger accepts, so also safe as file names. */
  identifier(value: unknown, path: string): string {
    const text = this.string(value, path);
    try {
      return checkIdentifier(text, path);
    } catch (error) {
      return this.fail((error as Error).message);
    }
  }

  unique(ids: readonly string[], path: string): void {
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) this.fail(`${path} lists "${twice}" twice`);
  }

  integer(value: unknown, path: string, min: number, max: number): number {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) this.fail(`${path} must be a whole number from ${min} to ${max}`);
    return value as number;
  }

  list(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`${path} must be a list`);
    return value as unknown[];
  }
}

/** Checks a template document; every problem names the file and the field. */
export function parseNetworkTemplate(json: unknown, file: string): NetworkTemplate {
  const r = new TemplateReader(file);
  const doc = r.object(json, 'the template');
  r.only(doc, 'the template', ['chainId', 'validators', 'host', 'p2pBasePort', 'apiBasePort', 'params', 'consensus', 'issuers', 'certTypes']);
  const params = r.object(doc.params ?? {}, 'params');
  r.only(params, 'params', Object.keys(DEFAULT_PARAMS));
  const consensus = r.object(doc.consensus ?? {}, 'consensus');
  r.only(consensus, 'consensus', Object.keys(DEFAULT_TIMINGS));
  const timing = (key: keyof ConsensusTimings) => r.integer(consensus[key] ?? DEFAULT_TIMINGS[key], `consensus.${key}`, 1, 600_000);
  const issuers = r.list(doc.issuers ?? BUILT_IN_TEMPLATE.issuers, 'issuers').map((item, i) => {
    const issuer = r.object(item, `issuers[${i}]`);
    r.only(issuer, `issuers[${i}]`, ['issuerId', 'displayName']);
    return { issuerId: r.identifier(issuer.issuerId, `issuers[${i}].issuerId`), displayName: r.string(issuer.displayName, `issuers[${i}].displayName`) };
  });
  r.unique(issuers.map((issuer) => issuer.issuerId), 'issuers');
  const certTypes = r.list(doc.certTypes ?? BUILT_IN_TEMPLATE.certTypes, 'certTypes').map((item, i) => {
    const type = r.object(item, `certTypes[${i}]`);
    r.only(type, `certTypes[${i}]`, ['typeId', 'version', 'displayName', 'issuers', 'schema']);
    const schema = (type.schema === undefined ? ANY_RECORD_SCHEMA : r.object(type.schema, `certTypes[${i}].schema`)) as JsonObject;
    try {
      compileRecordSchema(schema);
    } catch (err) {
      r.fail(`certTypes[${i}].schema: ${(err as Error).message}`);
    }
    const named = r.list(type.issuers, `certTypes[${i}].issuers`).map((id, j) => r.identifier(id, `certTypes[${i}].issuers[${j}]`));
    for (const id of named) if (!issuers.some((issuer) => issuer.issuerId === id)) r.fail(`certTypes[${i}] names issuer "${id}", which the template does not define`);
    return {
      typeId: r.identifier(type.typeId, `certTypes[${i}].typeId`),
      version: r.integer(type.version, `certTypes[${i}].version`, 1, 1_000_000),
      displayName: r.string(type.displayName, `certTypes[${i}].displayName`),
      issuers: named,
      schema,
    };
  });
  r.unique(certTypes.map((type) => `${type.typeId}@${type.version}`), 'certTypes');
  const validators = r.integer(doc.validators ?? BUILT_IN_TEMPLATE.validators, 'validators', 1, 100);
  const host = r.string(doc.host ?? BUILT_IN_TEMPLATE.host, 'host');
  // Node configs name it in /ip4/ multiaddrs.
  if (!isIPv4(host)) r.fail(`host must be an IPv4 address such as 127.0.0.1, not "${host}"`);
  const p2pBasePort = r.integer(doc.p2pBasePort ?? BUILT_IN_TEMPLATE.p2pBasePort, 'p2pBasePort', 1, 65_000);
  const apiBasePort = r.integer(doc.apiBasePort ?? BUILT_IN_TEMPLATE.apiBasePort, 'apiBasePort', 1, 65_000);
  if (Math.abs(p2pBasePort - apiBasePort) < validators) {
    r.fail(`p2p ports ${p2pBasePort}-${p2pBasePort + validators - 1} and API ports ${apiBasePort}-${apiBasePort + validators - 1} overlap`);
  }
  return {
    chainId: r.identifier(doc.chainId ?? BUILT_IN_TEMPLATE.chainId, 'chainId'),
    validators,
    host,
    p2pBasePort,
    apiBasePort,
    params: {
      maxTxBytes: r.integer(params.maxTxBytes ?? DEFAULT_PARAMS.maxTxBytes, 'params.maxTxBytes', 1024, 1 << 20),
      maxBlockTxs: r.integer(params.maxBlockTxs ?? DEFAULT_PARAMS.maxBlockTxs, 'params.maxBlockTxs', 1, 100_000),
      maxBlockBytes: r.integer(params.maxBlockBytes ?? DEFAULT_PARAMS.maxBlockBytes, 'params.maxBlockBytes', 64 * 1024, 64 << 20),
    },
    consensus: timingsFrom(timing),
    issuers,
    certTypes,
  };
}

const MAX_TEMPLATE_FILE_BYTES = 1 << 20;

export function readNetworkTemplate(file: string): NetworkTemplate {
  return parseNetworkTemplate(readJsonFile(file, 'the network template', MAX_TEMPLATE_FILE_BYTES), file);
}

export interface TemplateOverrides {
  readonly validators?: number;
  readonly chainId?: string;
  readonly host?: string;
  readonly p2pBasePort?: number;
  readonly apiBasePort?: number;
}

/**
 * The template `certledger init` uses: `file` when given, else `sampleFile` when it exists (the
 * repository's network-config/devnet.json), else the built-in values; then the overrides.
 * `source` is the file read, undefined for the built-in values.
 */
export function chooseTemplate(file: string | undefined, sampleFile: string, overrides: TemplateOverrides): { template: NetworkTemplate; source?: string } {
  if (overrides.chainId !== undefined) new TemplateReader('--chain-id').identifier(overrides.chainId, 'the chain id');
  const source = file ?? (existsSync(sampleFile) ? sampleFile : undefined);
  const base = source ? readNetworkTemplate(source) : BUILT_IN_TEMPLATE;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const template = parseNetworkTemplate({ ...base, ...defined }, `${source ?? 'the built-in template'} with the command-line options`);
  return { template, ...(source ? { source } : {}) };
}
