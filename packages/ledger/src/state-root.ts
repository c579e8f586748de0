import { compareBytes, encode, taggedHash, type Value } from '@certledger/codec';
import { leafHash, merkleRoot } from '@certledger/merkle';
import type { Map as ImmutableMap } from 'immutable';
import { logRoot } from './logs.js';
import type { CertTypeRecord, IssuerRecord, PendingValidatorSet, State, ValidatorRecord } from './state.js';

export function validatorToValue(v: ValidatorRecord): Value {
  return [v.publicKey, v.power, v.name];
}

/**
 * The hash consensus and headers use for a validator set: keys and powers in key order.
 * Names are display data and stay out of it.
 */
export function validatorSetHash(validators: readonly { publicKey: Uint8Array; power: number }[]): Uint8Array {
  const sorted = [...validators].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  return taggedHash('validator-set', encode(sorted.map((v) => [v.publicKey, v.power])));
}

export function issuerToValue(issuer: IssuerRecord): Value {
  return [
    issuer.issuerId,
    issuer.displayName,
    issuer.keys.map((k) => [k.publicKey, k.addedAtHeight, k.retiredAtHeight, k.compromisedFromHeight]),
    issuer.registeredAtHeight,
    issuer.suspension ? [issuer.suspension.atHeight, issuer.suspension.reason] : null,
  ];
}

export function certTypeToValue(t: CertTypeRecord): Value {
  return [t.typeId, t.version, t.displayName, t.schemaHash, [...t.issuers], t.registeredAtHeight, t.updatedAtHeight];
}

function pendingToValue(pending: readonly PendingValidatorSet[]): Value {
  return pending.map((p) => [p.effectiveHeight, p.validators.map(validatorToValue)]);
}

/**
 * Merkle root over a map's entries in key order. Maps are persistent, so an unchanged map is
 * the same object block after block and its root is taken from the cache.
 */
const mapRootCache = new WeakMap<object, Uint8Array>();
function mapRoot<V>(map: ImmutableMap<string, V>, toValue: (v: V) => Value): Uint8Array {
  const cached = mapRootCache.get(map);
  if (cached) return cached;
  const keys = [...map.keys()].sort();
  const root = merkleRoot(keys.map((key) => leafHash(encode([key, toValue(map.get(key) as V)]))));
  mapRootCache.set(map, root);
  return root;
}

/** One hash over everything in the state; every node computes the same one for the same blocks. */
export function stateRoot(state: State): Uint8Array {
  return taggedHash(
    'state',
    encode([
      state.chainId,
      state.height,
      [state.params.maxTxBytes, state.params.maxBlockTxs, state.params.maxBlockBytes],
      state.validators.map(validatorToValue),
      pendingToValue(state.pendingValidatorSets),
      mapRoot(state.issuers, issuerToValue),
      mapRoot(state.certTypes, certTypeToValue),
      mapRoot(state.nonces, (n) => n),
      logRoot(state.anchorLog),
      state.anchorLog.size,
      logRoot(state.revocationLog),
      state.revocationLog.size,
    ]),
  );
}
