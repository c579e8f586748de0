/** Ledger records as the API shows them: bytes as lowercase hex, absent values as null. */
import { toHex } from '@certledger/codec';
import type { AnchorRecord, CertTypeRecord, IssuerRecord, ValidatorRecord } from '@certledger/ledger';

export const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function issuerView(issuer: IssuerRecord) {
  return {
    issuerId: issuer.issuerId,
    displayName: issuer.displayName,
    registeredAtHeight: issuer.registeredAtHeight,
    keys: issuer.keys.map((key) => ({
      publicKey: toHex(key.publicKey),
      addedAtHeight: key.addedAtHeight,
      retiredAtHeight: key.retiredAtHeight,
      compromisedFromHeight: key.compromisedFromHeight,
    })),
    suspension: issuer.suspension,
  };
}

export function anchorView(anchor: AnchorRecord) {
  return {
    root: toHex(anchor.root),
    issuerId: anchor.issuerId,
    typeId: anchor.typeId,
    typeVersion: anchor.typeVersion,
    leafCount: anchor.leafCount,
    signerKey: toHex(anchor.signerKey),
    height: anchor.height,
    txId: toHex(anchor.txId),
    logIndex: anchor.logIndex,
  };
}

export function certTypeView(type: CertTypeRecord) {
  return {
    typeId: type.typeId,
    version: type.version,
    displayName: type.displayName,
    schemaHash: toHex(type.schemaHash),
    issuers: type.issuers,
    registeredAtHeight: type.registeredAtHeight,
    updatedAtHeight: type.updatedAtHeight,
  };
}

export function validatorView(validator: ValidatorRecord) {
  return { name: validator.name, publicKey: toHex(validator.publicKey), power: validator.power };
}
