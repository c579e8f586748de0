import { join } from 'node:path';
import { compileRecordSchema, schemaHash, type JsonObject } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import { readJsonFile } from '@certledger/node/files';
import type { CertTypeAnswer, IssuerAnswer } from './api-client.js';
import { MAX_SCHEMA_FILE_BYTES, schemaFileName } from './issuing-config.js';
import type { TypeReference } from './options.js';

/**
 * The registered type to issue: the version asked for, or else the newest version the issuer
 * may issue. Refuses a type the ledger does not know or the issuer may not issue.
 */
export function chooseCertType(types: readonly CertTypeAnswer[], wanted: TypeReference, issuerId: string): CertTypeAnswer {
  const versions = types.filter((type) => type.typeId === wanted.typeId);
  if (versions.length === 0) {
    const known = types.map((type) => `${type.typeId}@${type.version}`).join(', ') || 'none';
    throw new Error(`the ledger has no certificate type "${wanted.typeId}" (registered: ${known})`);
  }
  const authorised = versions.filter((type) => type.issuers.includes(issuerId));
  if (wanted.version === undefined) {
    const newest = authorised.sort((a, b) => b.version - a.version)[0];
    if (!newest) throw new Error(`"${issuerId}" is not authorised to issue any version of ${wanted.typeId}`);
    return newest;
  }
  const exact = versions.find((type) => type.version === wanted.version);
  if (!exact) throw new Error(`the ledger has no version ${wanted.version} of ${wanted.typeId} (registered: ${versions.map((type) => type.version).join(', ')})`);
  if (!exact.issuers.includes(issuerId)) throw new Error(`"${issuerId}" is not authorised to issue ${wanted.typeId}@${wanted.version} (authorised: ${exact.issuers.join(', ')})`);
  return exact;
}

/** The ledger takes an issuer's transactions only from its current key: refuse early and say why. */
export function requireCurrentKey(issuerId: string, issuer: IssuerAnswer, publicKey: Uint8Array): void {
  const current = issuer.keys.at(-1);
  const mine = toHex(publicKey);
  if (current?.publicKey === mine) return;
  const known = issuer.keys.some((key) => key.publicKey === mine);
  throw new Error(`the key file holds ${known ? 'a retired' : 'no'} key of "${issuerId}"; its current key is ${current?.publicKey ?? 'none'}`);
}

/** Issuing also needs a department that is not suspended and a key not declared compromised. */
export function requireCanIssue(issuerId: string, issuer: IssuerAnswer, publicKey: Uint8Array): void {
  if (issuer.suspended) throw new Error(`"${issuerId}" is suspended on the ledger and cannot issue certificates`);
  requireCurrentKey(issuerId, issuer, publicKey);
  const compromisedFrom = issuer.keys.at(-1)?.compromisedFromHeight;
  if (compromisedFrom != null) throw new Error(`the current key of "${issuerId}" is declared compromised from height ${compromisedFrom}: rotate it before issuing`);
}

/** The schema file of a type: --schema when given, else the one `certledger init` wrote into the network folder. */
export function schemaFileFor(type: CertTypeAnswer, schemaFile: string | undefined, networkDir: string | undefined): string {
  if (schemaFile) return schemaFile;
  if (networkDir) return join(networkDir, 'schemas', schemaFileName(type.typeId, type.version));
  throw new Error(`give the record schema of ${type.typeId}@${type.version}: --schema <file> or --network <dir> (the folder certledger init wrote)`);
}

/** Reads a certificate type's JSON Schema, refusing one that does not compile. */
export function readSchemaFile(file: string): JsonObject {
  const schema = readJsonFile(file, 'the schema', MAX_SCHEMA_FILE_BYTES);
  try {
    compileRecordSchema(schema);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  return schema as JsonObject;
}

/** Reads the type's JSON Schema and refuses it unless it hashes to what the ledger registered. */
export function readTypeSchema(file: string, type: CertTypeAnswer): JsonObject {
  const schema = readSchemaFile(file);
  const hash = toHex(schemaHash(schema));
  if (hash !== type.schemaHash) {
    throw new Error(`${file} is not the schema registered for ${type.typeId}@${type.version}: it hashes to ${hash}, the ledger holds ${type.schemaHash}`);
  }
  return schema;
}
