import { decode, encode, readArray, readBytes, readString, readTuple, readUint, toHex, type Value } from '@certledger/codec';
import { Map as ImmutableMap } from 'immutable';
import { certTypeKey, revocationKey, type AnchorRecord, type CertTypeRecord, type IssuerRecord, type PendingValidatorSet, type RevocationRecord, type State, type ValidatorRecord } from './state.js';
import { certTypeToValue, issuerToValue, validatorToValue } from './state-root.js';


/**
 * Byte forms of the state for storage. The core (everything but anchors and revocations) is
 * small and stored whole each block; anchors and revocations are stored one entry a key.
 */
const nullable = <T>(value: Value, read: (v: Value) => T): T | null => (value === null ? null : read(value));
const at = (items: readonly Value[], i: number): Value => items[i] as Value;

function validatorFromValue(value: Value, path: string): ValidatorRecord {
  const f = readTuple(value, 3, path);
  return { publicKey: readBytes(at(f, 0), `${path}.publicKey`, 32), power: readUint(at(f, 1), `${path}.power`), name: readString(at(f, 2), `${path}.name`, 100) };
}

function issuerFromValue(value: Value, path: string): IssuerRecord {
  const f = readTuple(value, 5, path);
  const suspension = nullable(at(f, 4), (v) => {
    const s = readTuple(v, 2, `${path}.suspension`);
    return { atHeight: readUint(at(s, 0), `${path}.suspension.atHeight`), reason: readString(at(s, 1), `${path}.suspension.reason`, 500) };
  });
  return {
    issuerId: readString(at(f, 0), `${path}.issuerId`, 63),
    displayName: readString(at(f, 1), `${path}.displayName`, 200),
    keys: readArray(at(f, 2), 10_000, `${path}.keys`).map((k, i) => {
      const kf = readTuple(k, 4, `${path}.keys[${i}]`);
      return {
        publicKey: readBytes(at(kf, 0), `${path}.keys[${i}].publicKey`, 32),
        addedAtHeight: readUint(at(kf, 1), `${path}.keys[${i}].addedAtHeight`),
        retiredAtHeight: nullable(at(kf, 2), (v) => readUint(v, `${path}.keys[${i}].retiredAtHeight`)),
        compromisedFromHeight: nullable(at(kf, 3), (v) => readUint(v, `${path}.keys[${i}].compromisedFromHeight`)),
      };
    }),
    registeredAtHeight: readUint(at(f, 3), `${path}.registeredAtHeight`),
    suspension,
  };
}

function certTypeFromValue(value: Value, path: string): CertTypeRecord {
  const f = readTuple(value, 7, path);
  return {
    typeId: readString(at(f, 0), `${path}.typeId`, 63),
    version: readUint(at(f, 1), `${path}.version`),
    displayName: readString(at(f, 2), `${path}.displayName`, 200),
    schemaHash: readBytes(at(f, 3), `${path}.schemaHash`, 32),
    issuers: readArray(at(f, 4), 1000, `${path}.issuers`).map((id, i) => readString(id, `${path}.issuers[${i}]`, 63)),
    registeredAtHeight: readUint(at(f, 5), `${path}.registeredAtHeight`),
    updatedAtHeight: readUint(at(f, 6), `${path}.updatedAtHeight`),
  };
}

export function anchorToValue(a: AnchorRecord): Value {
  return [a.root, a.issuerId, a.typeId, a.typeVersion, a.leafCount, a.signerKey, a.height, a.txId, a.logIndex];
}

export function anchorFromValue(value: Value, path = 'anchor'): AnchorRecord {
  const f = readTuple(value, 9, path);
  return {
    root: readBytes(at(f, 0), `${path}.root`, 32),
    issuerId: readString(at(f, 1), `${path}.issuerId`, 63),
    typeId: readString(at(f, 2), `${path}.typeId`, 63),
    typeVersion: readUint(at(f, 3), `${path}.typeVersion`),
    leafCount: readUint(at(f, 4), `${path}.leafCount`),
    signerKey: readBytes(at(f, 5), `${path}.signerKey`, 32),
    height: readUint(at(f, 6), `${path}.height`),
    txId: readBytes(at(f, 7), `${path}.txId`, 32),
    logIndex: readUint(at(f, 8), `${path}.logIndex`),
  };
}

export function revocationToValue(r: RevocationRecord): Value {
  return [r.root, r.leaf, r.issuerId, r.reason, r.height, r.txId, r.logIndex];
}

export function revocationFromValue(value: Value, path = 'revocation'): RevocationRecord {
  const f = readTuple(value, 7, path);
  return {
    root: readBytes(at(f, 0), `${path}.root`, 32),
    leaf: nullable(at(f, 1), (v) => readBytes(v, `${path}.leaf`, 32)),
    issuerId: readString(at(f, 2), `${path}.issuerId`, 63),
    reason: readString(at(f, 3), `${path}.reason`, 200),
    height: readUint(at(f, 4), `${path}.height`),
    txId: readBytes(at(f, 5), `${path}.txId`, 32),
    logIndex: readUint(at(f, 6), `${path}.logIndex`),
  };
}

function pendingFromValue(value: Value): PendingValidatorSet[] {
  return readArray(value, 100, 'state.pending').map((p, i) => {
    const f = readTuple(p, 2, `state.pending[${i}]`);
    return {
      effectiveHeight: readUint(at(f, 0), `state.pending[${i}].effectiveHeight`),
      validators: readArray(at(f, 1), 10_000, `state.pending[${i}].validators`).map((v, j) => validatorFromValue(v, `state.pending[${i}].validators[${j}]`)),
    };
  });
}

function logFromValue(value: Value, path: string): { size: number; frontier: Uint8Array[] } {
  const f = readTuple(value, 2, path);
  return { size: readUint(at(f, 0), `${path}.size`), frontier: readArray(at(f, 1), 64, `${path}.frontier`).map((h, i) => readBytes(h, `${path}.frontier[${i}]`, 32)) };
}

/** Everything in the state except the anchor and revocation maps. */
export function encodeStateCore(state: State): Uint8Array {
  return encode([
    state.chainId,
    [state.params.maxTxBytes, state.params.maxBlockTxs, state.params.maxBlockBytes],
    state.height,
    state.lastBlockHash,
    state.lastBlockTime,
    state.validators.map(validatorToValue),
    state.pendingValidatorSets.map((p) => [p.effectiveHeight, p.validators.map(validatorToValue)]),
    [...state.issuers.values()].map(issuerToValue),
    [...state.certTypes.values()].map(certTypeToValue),
    [...state.nonces.entries()].map(([key, seq]) => [key, seq]),
    [state.anchorLog.size, state.anchorLog.frontier],
    [state.revocationLog.size, state.revocationLog.frontier],
  ]);
}

/** Rebuilds a state from its stored core and its anchor and revocation entries. */
export function decodeStateCore(bytes: Uint8Array, anchors: Iterable<AnchorRecord>, revocations: Iterable<RevocationRecord>): State {
  // The node's own store, not a peer: three values per sender of a transaction, so no bound by count.
  const f = readTuple(decode(bytes, { maxBytes: 256 << 20, maxValues: Number.MAX_SAFE_INTEGER }), 12, 'state');
  const params = readTuple(at(f, 1), 3, 'state.params');
  const issuers = readArray(at(f, 7), 1_000_000, 'state.issuers').map((v, i) => issuerFromValue(v, `state.issuers[${i}]`));
  const certTypes = readArray(at(f, 8), 1_000_000, 'state.certTypes').map((v, i) => certTypeFromValue(v, `state.certTypes[${i}]`));
  const nonces = readArray(at(f, 9), 10_000_000, 'state.nonces').map((v, i) => {
    const pair = readTuple(v, 2, `state.nonces[${i}]`);
    return [readString(at(pair, 0), `state.nonces[${i}].key`, 64), readUint(at(pair, 1), `state.nonces[${i}].seq`)] as const;
  });
  return {
    chainId: readString(at(f, 0), 'state.chainId', 64),
    params: { maxTxBytes: readUint(at(params, 0), 'state.params.maxTxBytes'), maxBlockTxs: readUint(at(params, 1), 'state.params.maxBlockTxs'), maxBlockBytes: readUint(at(params, 2), 'state.params.maxBlockBytes') },
    height: readUint(at(f, 2), 'state.height'),
    lastBlockHash: readBytes(at(f, 3), 'state.lastBlockHash', 32),
    lastBlockTime: readUint(at(f, 4), 'state.lastBlockTime'),
    validators: readArray(at(f, 5), 10_000, 'state.validators').map((v, i) => validatorFromValue(v, `state.validators[${i}]`)),
    pendingValidatorSets: pendingFromValue(at(f, 6)),
    issuers: ImmutableMap(issuers.map((i) => [i.issuerId, i])),
    issuerKeys: ImmutableMap(issuers.flatMap((i) => i.keys.map((k) => [toHex(k.publicKey), i.issuerId] as const))),
    certTypes: ImmutableMap(certTypes.map((t) => [certTypeKey(t.typeId, t.version), t])),
    nonces: ImmutableMap(nonces),
    anchors: ImmutableMap([...anchors].map((a) => [toHex(a.root), a])),
    revocations: ImmutableMap([...revocations].map((r) => [revocationKey(toHex(r.root), r.leaf && toHex(r.leaf)), r])),
    anchorLog: logFromValue(at(f, 10), 'state.anchorLog'),
    revocationLog: logFromValue(at(f, 11), 'state.revocationLog'),
  };
}
