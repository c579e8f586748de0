import { readArray, readBytes, readMap, readOneOf, readString, readUint, type Value, type ValueMap } from '@certledger/codec';
import { isValidPublicKey } from '@certledger/crypto';
import { reject } from './errors.js';
import type { Action, RevocationEntry, TxKind } from './transaction.js';

export const MAX_POWER = 2 ** 32;
export const MAX_LEAF_COUNT = 10_000_000;
export const MAX_REVOCATIONS_PER_TX = 1000;
export const MAX_TYPE_ISSUERS = 100;
const REVOCATION_ENTRY_FIELDS = ['leaf', 'reason', 'root'];
const IDENTIFIER = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function checkIdentifier(value: string, what: string): string {
  if (!IDENTIFIER.test(value)) {
    reject('MALFORMED_TX', `${what} "${value.slice(0, 70)}" must be 1-63 characters of a-z, 0-9, '.', '-', starting with a letter or digit`);
  }
  return value;
}

function readIdentifier(map: ValueMap, key: string, path: string): string {
  return checkIdentifier(readString(map[key] ?? null, `${path}.${key}`, 63), `${path}.${key}`);
}

function readText(map: ValueMap, key: string, path: string, maxLength: number, allowEmpty = false): string {
  const text = readString(map[key] ?? null, `${path}.${key}`, maxLength);
  if (!allowEmpty && text.trim() === '') reject('MALFORMED_TX', `${path}.${key} must not be empty`);
  if (CONTROL_CHARACTERS.test(text)) reject('MALFORMED_TX', `${path}.${key} must not contain control characters`);
  return text;
}

function readKey(map: ValueMap, key: string, path: string): Uint8Array {
  return readBytes(map[key] ?? null, `${path}.${key}`, 32);
}

/** A key that can never verify anything (small order, off the curve) is refused at the door. */
function readPublicKey(map: ValueMap, key: string, path: string): Uint8Array {
  const publicKey = readKey(map, key, path);
  if (!isValidPublicKey(publicKey)) reject('MALFORMED_TX', `${path}.${key} is not a valid Ed25519 public key`);
  return publicKey;
}

function readPower(map: ValueMap, path: string): number {
  const power = readUint(map.power ?? null, `${path}.power`, MAX_POWER);
  if (power === 0) reject('MALFORMED_TX', `${path}.power must be at least 1`);
  return power;
}

function readIssuerList(map: ValueMap, path: string): string[] {
  const items = readArray(map.issuers ?? null, MAX_TYPE_ISSUERS, `${path}.issuers`);
  if (items.length === 0) reject('MALFORMED_TX', `${path}.issuers must name at least one issuer`);
  const ids = items.map((item, i) => checkIdentifier(readString(item, `${path}.issuers[${i}]`, 63), `${path}.issuers[${i}]`));
  for (let i = 1; i < ids.length; i++) {
    if ((ids[i - 1] as string) >= (ids[i] as string)) reject('MALFORMED_TX', `${path}.issuers must be sorted and without repeats`);
  }
  return ids;
}

function readRevocations(map: ValueMap, path: string): RevocationEntry[] {
  const items = readArray(map.revocations ?? null, MAX_REVOCATIONS_PER_TX, `${path}.revocations`);
  if (items.length === 0) reject('MALFORMED_TX', `${path}.revocations must hold at least one entry`);
  return items.map((item, i) => {
    const at = `${path}.revocations[${i}]`;
    const entry = expectKeys(readMap(item, at), REVOCATION_ENTRY_FIELDS, at);
    const leaf = entry.leaf === null ? null : readBytes(entry.leaf ?? null, `${at}.leaf`, 32);
    return { root: readKey(entry, 'root', at), leaf, reason: readText(entry, 'reason', at, 200) };
  });
}

/** A map must have exactly these keys: an extra field would be signed but ignored, which hides intent. */
function expectKeys(map: ValueMap, keys: readonly string[], path: string): ValueMap {
  // Keys are unique, so as many keys as expected, each expected one present, is the same set:
  // no sorting on the path every transaction takes.
  const actual = Object.keys(map);
  if (actual.length !== keys.length || !keys.every((key) => Object.hasOwn(map, key))) {
    reject('MALFORMED_TX', `${path} must have exactly the fields ${[...keys].sort().join(', ')}; it has ${actual.sort().join(', ') || 'none'}`);
  }
  return map;
}

const FIELDS: Record<TxKind, readonly string[]> = {
  'register-issuer': ['displayName', 'issuerId', 'publicKey'],
  'suspend-issuer': ['issuerId', 'reason'],
  'reinstate-issuer': ['issuerId'],
  'rotate-issuer-key': ['compromisedFromHeight', 'issuerId', 'newPublicKey'],
  'register-cert-type': ['displayName', 'issuers', 'schemaHash', 'typeId', 'version'],
  'set-type-issuers': ['issuers', 'typeId', 'version'],
  'add-validator': ['name', 'power', 'publicKey'],
  'remove-validator': ['publicKey'],
  'set-validator-power': ['power', 'publicKey'],
  anchor: ['issuerId', 'leafCount', 'root', 'typeId', 'typeVersion'],
  revoke: ['issuerId', 'revocations'],
};

/** The most keys any map of a transaction holds: an action's fields, or a revocation entry's. */
export const MAX_TX_MAP_KEYS = Math.max(REVOCATION_ENTRY_FIELDS.length, ...Object.values(FIELDS).map((fields) => fields.length));

export function readKind(value: Value, path: string): TxKind {
  return readOneOf(value, Object.keys(FIELDS) as TxKind[], path);
}

/** Decodes the payload of an action of a known kind, checking every field. */
export function readAction(kind: TxKind, value: Value, path: string): Action {
  const map = expectKeys(readMap(value, path), FIELDS[kind], path);
  switch (kind) {
    case 'register-issuer':
      return { kind, issuerId: readIdentifier(map, 'issuerId', path), displayName: readText(map, 'displayName', path, 200), publicKey: readPublicKey(map, 'publicKey', path) };
    case 'suspend-issuer':
      return { kind, issuerId: readIdentifier(map, 'issuerId', path), reason: readText(map, 'reason', path, 500) };
    case 'reinstate-issuer':
      return { kind, issuerId: readIdentifier(map, 'issuerId', path) };
    case 'rotate-issuer-key': {
      const compromised = map.compromisedFromHeight ?? null;
      return {
        kind,
        issuerId: readIdentifier(map, 'issuerId', path),
        newPublicKey: readPublicKey(map, 'newPublicKey', path),
        compromisedFromHeight: compromised === null ? null : readUint(compromised, `${path}.compromisedFromHeight`),
      };
    }
    case 'register-cert-type':
      return {
        kind,
        typeId: readIdentifier(map, 'typeId', path),
        version: readVersion(map, path),
        displayName: readText(map, 'displayName', path, 200),
        schemaHash: readKey(map, 'schemaHash', path),
        issuers: readIssuerList(map, path),
      };
    case 'set-type-issuers':
      return { kind, typeId: readIdentifier(map, 'typeId', path), version: readVersion(map, path), issuers: readIssuerList(map, path) };
    case 'add-validator':
      return { kind, publicKey: readPublicKey(map, 'publicKey', path), power: readPower(map, path), name: readText(map, 'name', path, 100) };
    case 'remove-validator':
      return { kind, publicKey: readPublicKey(map, 'publicKey', path) };
    case 'set-validator-power':
      return { kind, publicKey: readPublicKey(map, 'publicKey', path), power: readPower(map, path) };
    case 'anchor': {
      const leafCount = readUint(map.leafCount ?? null, `${path}.leafCount`, MAX_LEAF_COUNT);
      if (leafCount === 0) reject('MALFORMED_TX', `${path}.leafCount must be at least 1`);
      return {
        kind,
        issuerId: readIdentifier(map, 'issuerId', path),
        typeId: readIdentifier(map, 'typeId', path),
        typeVersion: readUint(map.typeVersion ?? null, `${path}.typeVersion`, 65535),
        root: readKey(map, 'root', path),
        leafCount,
      };
    }
    case 'revoke':
      return { kind, issuerId: readIdentifier(map, 'issuerId', path), revocations: readRevocations(map, path) };
  }
}

function readVersion(map: ValueMap, path: string): number {
  const version = readUint(map.version ?? null, `${path}.version`, 65535);
  if (version === 0) reject('MALFORMED_TX', `${path}.version must be at least 1`);
  return version;
}

/** The payload map of an action: every field but `kind`, which travels beside it. */
export function actionPayload(action: Action): Value {
  const { kind: _kind, ...fields } = action;
  return fields as unknown as Value;
}
