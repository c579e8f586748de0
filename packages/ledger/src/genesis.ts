import { compareBytes, encode, firstUnknownKey, fromHex, taggedHash, toHex } from '@certledger/codec';
import { isValidPublicKey } from '@certledger/crypto';
import { Map as ImmutableMap } from 'immutable';
import { checkIdentifier } from './action-codec.js';
import { LedgerRejection, fail, ok, reject, type Result } from './errors.js';
import { EMPTY_LOG } from './logs.js';
import { certTypeKey, type CertTypeRecord, type IssuerRecord, type LedgerParams, type State, type ValidatorRecord } from './state.js';
import { certTypeToValue, validatorToValue } from './state-root.js';
import { checkValidatorSet } from './validators.js';

export const DEFAULT_PARAMS: LedgerParams = { maxTxBytes: 64 * 1024, maxBlockTxs: 5000, maxBlockBytes: 8 * 1024 * 1024 };
/** The most transactions a chain's blocks may be set to hold. */
export const MAX_BLOCK_TXS = 100_000;

/** The first state of a chain, as agreed by the founding departments (network-config/genesis.json). */
export interface Genesis {
  readonly chainId: string;
  /** Milliseconds since the Unix epoch; block 1 must be later. */
  readonly genesisTime: number;
  readonly params: LedgerParams;
  readonly validators: readonly ValidatorRecord[];
  readonly issuers: readonly { readonly issuerId: string; readonly displayName: string; readonly publicKey: Uint8Array }[];
  readonly certTypes: readonly Omit<CertTypeRecord, 'registeredAtHeight' | 'updatedAtHeight'>[];
}

type Json = Record<string, unknown>;

/** The fields each object of a genesis document may have: what {@link genesisToJson} writes. */
const GENESIS_FIELDS = ['chainId', 'genesisTime', 'params', 'validators', 'issuers', 'certTypes'];
const PARAMS_FIELDS = ['maxTxBytes', 'maxBlockTxs', 'maxBlockBytes'];
const VALIDATOR_FIELDS = ['name', 'publicKey', 'power'];
const ISSUER_FIELDS = ['issuerId', 'displayName', 'publicKey'];
const CERT_TYPE_FIELDS = ['typeId', 'version', 'displayName', 'schemaHash', 'issuers'];

/** An object with only the known fields: a misspelt field would otherwise be silently dropped. */
function object(value: unknown, path: string, fields: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) reject('MALFORMED_GENESIS', `${path} must be an object`);
  const unknown = firstUnknownKey(value, fields);
  if (unknown !== undefined) reject('MALFORMED_GENESIS', `${path} has an unknown field "${unknown}" (known: ${fields.join(', ')})`);
  return value as Json;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) reject('MALFORMED_GENESIS', `${path} must be an array`);
  return value;
}

function text(value: unknown, path: string, max = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) reject('MALFORMED_GENESIS', `${path} must be a string of 1-${max} characters`);
  return value;
}

function count(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    reject('MALFORMED_GENESIS', `${path} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function hexBytes(value: unknown, length: number, path: string): Uint8Array {
  try {
    return fromHex(value as string, length, path);
  } catch (err) {
    return reject('MALFORMED_GENESIS', (err as Error).message);
  }
}

/** A key that can never verify anything (small order, off the curve) would make its holder unable to act. */
function publicKey(value: unknown, path: string, owner: string): Uint8Array {
  const key = hexBytes(value, 32, path);
  if (!isValidPublicKey(key)) reject('MALFORMED_GENESIS', `${path} of ${owner} is not a valid Ed25519 public key`);
  return key;
}

function identifier(value: unknown, path: string): string {
  try {
    return checkIdentifier(text(value, path, 63), path);
  } catch (err) {
    return reject('MALFORMED_GENESIS', (err as Error).message);
  }
}

function parseValidator(item: unknown, at: string): ValidatorRecord {
  const v = object(item, at, VALIDATOR_FIELDS);
  const name = text(v.name, `${at}.name`, 100);
  return { name, publicKey: publicKey(v.publicKey, `${at}.publicKey`, `validator "${name}"`), power: count(v.power, `${at}.power`, 1, 2 ** 32) };
}

function parseIssuer(item: unknown, at: string): Genesis['issuers'][number] {
  const v = object(item, at, ISSUER_FIELDS);
  const issuerId = identifier(v.issuerId, `${at}.issuerId`);
  return { issuerId, displayName: text(v.displayName, `${at}.displayName`), publicKey: publicKey(v.publicKey, `${at}.publicKey`, `issuer "${issuerId}"`) };
}

function parseCertType(item: unknown, at: string): Genesis['certTypes'][number] {
  const v = object(item, at, CERT_TYPE_FIELDS);
  return {
    typeId: identifier(v.typeId, `${at}.typeId`),
    version: count(v.version, `${at}.version`, 1, 65535),
    displayName: text(v.displayName, `${at}.displayName`),
    schemaHash: hexBytes(v.schemaHash, 32, `${at}.schemaHash`),
    issuers: list(v.issuers, `${at}.issuers`).map((id, j) => identifier(id, `${at}.issuers[${j}]`)).sort(),
  };
}

/** Reads a genesis document (parsed JSON), checking every field; keys and hashes are hex; unknown fields are refused. */
export function parseGenesis(json: unknown): Result<Genesis> {
  try {
    const doc = object(json, 'genesis', GENESIS_FIELDS);
    const params = object(doc.params ?? {}, 'genesis.params', PARAMS_FIELDS);
    const validators = list(doc.validators, 'genesis.validators').map((item, i) => parseValidator(item, `genesis.validators[${i}]`));
    const issuers = list(doc.issuers ?? [], 'genesis.issuers').map((item, i) => parseIssuer(item, `genesis.issuers[${i}]`));
    const certTypes = list(doc.certTypes ?? [], 'genesis.certTypes').map((item, i) => parseCertType(item, `genesis.certTypes[${i}]`));
    const genesis: Genesis = {
      chainId: identifier(doc.chainId, 'genesis.chainId'),
      genesisTime: count(doc.genesisTime, 'genesis.genesisTime'),
      params: {
        maxTxBytes: count(params.maxTxBytes ?? DEFAULT_PARAMS.maxTxBytes, 'genesis.params.maxTxBytes', 1024, 1 << 20),
        maxBlockTxs: count(params.maxBlockTxs ?? DEFAULT_PARAMS.maxBlockTxs, 'genesis.params.maxBlockTxs', 1, MAX_BLOCK_TXS),
        maxBlockBytes: count(params.maxBlockBytes ?? DEFAULT_PARAMS.maxBlockBytes, 'genesis.params.maxBlockBytes', 64 * 1024, 64 << 20),
      },
      validators: validators.sort((a, b) => compareBytes(a.publicKey, b.publicKey)),
      issuers,
      certTypes,
    };
    genesisState(genesis);
    return ok(genesis);
  } catch (err) {
    if (err instanceof LedgerRejection) return fail('MALFORMED_GENESIS', err.message);
    throw err;
  }
}

/** The genesis document as JSON, the inverse of {@link parseGenesis}. */
export function genesisToJson(genesis: Genesis): Json {
  return {
    chainId: genesis.chainId,
    genesisTime: genesis.genesisTime,
    params: { ...genesis.params },
    validators: genesis.validators.map((v) => ({ name: v.name, publicKey: toHex(v.publicKey), power: v.power })),
    issuers: genesis.issuers.map((i) => ({ issuerId: i.issuerId, displayName: i.displayName, publicKey: toHex(i.publicKey) })),
    certTypes: genesis.certTypes.map((t) => ({ ...t, schemaHash: toHex(t.schemaHash), issuers: [...t.issuers] })),
  };
}

/** Stands in for "the hash of block 0": block 1 links to it, so two chains with different genesis never share a block. */
export function genesisHash(genesis: Genesis): Uint8Array {
  return taggedHash(
    'block-header',
    encode([
      'genesis',
      genesis.chainId,
      genesis.genesisTime,
      [genesis.params.maxTxBytes, genesis.params.maxBlockTxs, genesis.params.maxBlockBytes],
      genesis.validators.map(validatorToValue),
      genesis.issuers.map((i) => [i.issuerId, i.displayName, i.publicKey]),
      genesis.certTypes.map((t) => certTypeToValue({ ...t, registeredAtHeight: 0, updatedAtHeight: 0 })),
    ]),
  );
}

/** Consensus cannot run with one key counted twice, so the genesis is refused before any node starts on it. */
function checkDistinctValidatorKeys(validators: readonly ValidatorRecord[]): void {
  const nameByKey = new Map<string, string>();
  for (const v of validators) {
    const keyHex = toHex(v.publicKey);
    const other = nameByKey.get(keyHex);
    if (other !== undefined) reject('MALFORMED_GENESIS', `validator key ${keyHex} is listed twice (validators "${other}" and "${v.name}")`);
    nameByKey.set(keyHex, v.name);
  }
}

export function genesisState(genesis: Genesis): State {
  checkValidatorSet(genesis.validators);
  checkDistinctValidatorKeys(genesis.validators);
  let issuers = ImmutableMap<string, IssuerRecord>();
  let issuerKeys = ImmutableMap<string, string>();
  for (const i of genesis.issuers) {
    if (issuers.has(i.issuerId)) reject('MALFORMED_GENESIS', `issuer "${i.issuerId}" is listed twice`);
    const keyHex = toHex(i.publicKey);
    if (issuerKeys.has(keyHex)) reject('MALFORMED_GENESIS', `issuers "${issuerKeys.get(keyHex)}" and "${i.issuerId}" share a key`);
    const record: IssuerRecord = {
      issuerId: i.issuerId,
      displayName: i.displayName,
      keys: [{ publicKey: i.publicKey, addedAtHeight: 0, retiredAtHeight: null, compromisedFromHeight: null }],
      registeredAtHeight: 0,
      suspension: null,
    };
    issuers = issuers.set(i.issuerId, record);
    issuerKeys = issuerKeys.set(keyHex, i.issuerId);
  }
  let certTypes = ImmutableMap<string, CertTypeRecord>();
  for (const t of genesis.certTypes) {
    const key = certTypeKey(t.typeId, t.version);
    if (certTypes.has(key)) reject('MALFORMED_GENESIS', `certificate type ${key} is listed twice`);
    for (const id of t.issuers) if (!issuers.has(id)) reject('MALFORMED_GENESIS', `certificate type ${key} names unknown issuer "${id}"`);
    certTypes = certTypes.set(key, { ...t, registeredAtHeight: 0, updatedAtHeight: 0 });
  }
  return {
    chainId: genesis.chainId,
    params: genesis.params,
    height: 0,
    lastBlockHash: genesisHash(genesis),
    lastBlockTime: genesis.genesisTime,
    validators: genesis.validators,
    pendingValidatorSets: [],
    issuers,
    issuerKeys,
    certTypes,
    nonces: ImmutableMap(),
    anchors: ImmutableMap(),
    revocations: ImmutableMap(),
    anchorLog: EMPTY_LOG,
    revocationLog: EMPTY_LOG,
  };
}
