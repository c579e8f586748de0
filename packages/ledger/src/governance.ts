import { bytesEqual, compareBytes, toHex } from '@certledger/codec';
import { verifyRemembered } from '@certledger/crypto';
import { reject } from './errors.js';
import { checkValidatorSet } from './validators.js';
import { certTypeKey, VALIDATOR_SET_DELAY, type IssuerRecord, type State, type ValidatorRecord } from './state.js';
import type { GovernanceAction, Transaction } from './transaction.js';
import { governanceApprovalDigest } from './tx-codec.js';

/** Approvals must come from current validators holding more than two thirds of the power. */
export function checkApprovals(state: State, tx: Transaction): void {
  const byKey = new Map(state.validators.map((v) => [toHex(v.publicKey), v]));
  const digest = governanceApprovalDigest(tx.bodyBytes);
  let approved = 0;
  for (const approval of tx.approvals) {
    const validator = byKey.get(toHex(approval.publicKey));
    if (!validator) reject('BAD_APPROVALS', `approval by ${toHex(approval.publicKey)}, which is not a current validator`);
    if (!verifyRemembered(approval.signature, digest, approval.publicKey)) {
      reject('BAD_APPROVALS', `the approval by validator ${validator.name} does not verify`);
    }
    approved += validator.power;
  }
  const total = state.validators.reduce((sum, v) => sum + v.power, 0);
  if (approved * 3 <= total * 2) {
    reject('INSUFFICIENT_APPROVALS', `approvals carry ${approved} of ${total} voting power; more than two thirds is needed`);
  }
}

function requireIssuer(state: State, issuerId: string): IssuerRecord {
  const issuer = state.issuers.get(issuerId);
  if (!issuer) reject('UNKNOWN_ISSUER', `no issuing department "${issuerId}" is registered`);
  return issuer;
}

function requireFreeKey(state: State, publicKey: Uint8Array): void {
  const owner = state.issuerKeys.get(toHex(publicKey));
  if (owner !== undefined) reject('KEY_IN_USE', `this key already belongs to issuing department "${owner}"`);
}

function requireIssuersExist(state: State, issuerIds: readonly string[]): void {
  for (const id of issuerIds) requireIssuer(state, id);
}

/** The set the next change builds on: the latest scheduled one, else the current one. */
function latestValidatorSet(state: State): readonly ValidatorRecord[] {
  return state.pendingValidatorSets.at(-1)?.validators ?? state.validators;
}

function scheduleValidatorSet(state: State, validators: ValidatorRecord[], height: number): State {
  const sorted = validators.sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  checkValidatorSet(sorted);
  const effectiveHeight = height + VALIDATOR_SET_DELAY;
  const kept = state.pendingValidatorSets.filter((p) => p.effectiveHeight !== effectiveHeight);
  return { ...state, pendingValidatorSets: [...kept, { effectiveHeight, validators: sorted }] };
}

function findValidator(set: readonly ValidatorRecord[], publicKey: Uint8Array): ValidatorRecord | undefined {
  return set.find((v) => bytesEqual(v.publicKey, publicKey));
}

export function applyGovernance(state: State, action: GovernanceAction, height: number): State {
  switch (action.kind) {
    case 'register-issuer': {
      if (state.issuers.has(action.issuerId)) reject('ISSUER_EXISTS', `issuing department "${action.issuerId}" is already registered`);
      requireFreeKey(state, action.publicKey);
      const issuer: IssuerRecord = {
        issuerId: action.issuerId,
        displayName: action.displayName,
        keys: [{ publicKey: action.publicKey, addedAtHeight: height, retiredAtHeight: null, compromisedFromHeight: null }],
        registeredAtHeight: height,
        suspension: null,
      };
      return {
        ...state,
        issuers: state.issuers.set(issuer.issuerId, issuer),
        issuerKeys: state.issuerKeys.set(toHex(action.publicKey), issuer.issuerId),
      };
    }
    case 'suspend-issuer': {
      const issuer = requireIssuer(state, action.issuerId);
      if (issuer.suspension) reject('ISSUER_SUSPENDED', `"${issuer.issuerId}" has been suspended since height ${issuer.suspension.atHeight}`);
      return { ...state, issuers: state.issuers.set(issuer.issuerId, { ...issuer, suspension: { atHeight: height, reason: action.reason } }) };
    }
    case 'reinstate-issuer': {
      const issuer = requireIssuer(state, action.issuerId);
      if (!issuer.suspension) reject('ISSUER_NOT_SUSPENDED', `"${issuer.issuerId}" is not suspended`);
      return { ...state, issuers: state.issuers.set(issuer.issuerId, { ...issuer, suspension: null }) };
    }
    case 'rotate-issuer-key': {
      const issuer = requireIssuer(state, action.issuerId);
      requireFreeKey(state, action.newPublicKey);
      const current = issuer.keys.at(-1) as IssuerRecord['keys'][number];
      const compromised = action.compromisedFromHeight;
      if (compromised !== null && (compromised < current.addedAtHeight || compromised > height)) {
        reject('BAD_COMPROMISE_HEIGHT', `compromisedFromHeight must lie between the key's first height ${current.addedAtHeight} and this height ${height}`);
      }
      const keys = [
        ...issuer.keys.slice(0, -1),
        { ...current, retiredAtHeight: height, compromisedFromHeight: compromised },
        { publicKey: action.newPublicKey, addedAtHeight: height, retiredAtHeight: null, compromisedFromHeight: null },
      ];
      return {
        ...state,
        issuers: state.issuers.set(issuer.issuerId, { ...issuer, keys }),
        issuerKeys: state.issuerKeys.set(toHex(action.newPublicKey), issuer.issuerId),
      };
    }
    case 'register-cert-type': {
      const key = certTypeKey(action.typeId, action.version);
      if (state.certTypes.has(key)) reject('CERT_TYPE_EXISTS', `certificate type ${key} is already registered`);
      requireIssuersExist(state, action.issuers);
      const record = {
        typeId: action.typeId,
        version: action.version,
        displayName: action.displayName,
        schemaHash: action.schemaHash,
        issuers: action.issuers,
        registeredAtHeight: height,
        updatedAtHeight: height,
      };
      return { ...state, certTypes: state.certTypes.set(key, record) };
    }
    case 'set-type-issuers': {
      const key = certTypeKey(action.typeId, action.version);
      const record = state.certTypes.get(key);
      if (!record) reject('UNKNOWN_CERT_TYPE', `certificate type ${key} is not registered`);
      requireIssuersExist(state, action.issuers);
      return { ...state, certTypes: state.certTypes.set(key, { ...record, issuers: action.issuers, updatedAtHeight: height }) };
    }
    case 'add-validator': {
      const base = latestValidatorSet(state);
      if (findValidator(base, action.publicKey)) reject('VALIDATOR_EXISTS', `validator ${toHex(action.publicKey)} is already in the set`);
      return scheduleValidatorSet(state, [...base, { publicKey: action.publicKey, power: action.power, name: action.name }], height);
    }
    case 'remove-validator': {
      const base = latestValidatorSet(state);
      if (!findValidator(base, action.publicKey)) reject('UNKNOWN_VALIDATOR', `validator ${toHex(action.publicKey)} is not in the set`);
      return scheduleValidatorSet(state, base.filter((v) => !bytesEqual(v.publicKey, action.publicKey)), height);
    }
    case 'set-validator-power': {
      const base = latestValidatorSet(state);
      if (!findValidator(base, action.publicKey)) reject('UNKNOWN_VALIDATOR', `validator ${toHex(action.publicKey)} is not in the set`);
      return scheduleValidatorSet(
        state,
        base.map((v) => (bytesEqual(v.publicKey, action.publicKey) ? { ...v, power: action.power } : v)),
        height,
      );
    }
  }
}
