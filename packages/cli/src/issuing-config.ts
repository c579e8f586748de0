import { dirname, join, resolve } from 'node:path';
import { base64urlnopad } from '@scure/base';
import type { JsonObject } from '@certledger/certs';
import { firstUnknownKey, fromHex, sha256 } from '@certledger/codec';
import { readKeyFile } from '@certledger/crypto/keyfile';
import type { IssuingOptions } from '@certledger/gateway';
import { readJsonFile } from '@certledger/node/files';

/**
 * issuing.json: which departments a node's gateway issues for (POST /v1/issue). It names each
 * department's key file and the SHA-256 of its API token — never the token — and the folder of
 * record schemas. Paths are relative to the file.
 */
export interface IssuingFile {
  readonly departments: readonly { readonly issuerId: string; readonly keyFile: string; readonly tokenSha256: string }[];
  readonly schemaDir: string;
  readonly certTypes: readonly { readonly typeId: string; readonly version: number }[];
}

const ISSUING_FIELDS: readonly string[] = ['departments', 'schemaDir', 'certTypes'];

/** Where `init` writes a certificate type's record schema inside the network folder. */
export function schemaFileName(typeId: string, version: number): string {
  return `${typeId}-v${version}.schema.json`;
}

/** What issuing.json keeps of a token (the gateway compares the same hash). */
export function tokenSha256(token: string): Uint8Array {
  return sha256(new TextEncoder().encode(token));
}

/** A department API token: 32 random bytes, unpadded base64url. */
export function newDepartmentToken(random: (length: number) => Uint8Array): string {
  return base64urlnopad.encode(random(32));
}

function fail(file: string, message: string): never {
  throw new Error(`${file}: ${message}`);
}

const MAX_ISSUING_FILE_BYTES = 1 << 20;
export const MAX_SCHEMA_FILE_BYTES = 1 << 20;

/** Reads issuing.json and what it names; every problem is reported with the file and field. */
export function loadIssuingOptions(file: string): IssuingOptions {
  const json = readJsonFile(file, 'the issuing configuration', MAX_ISSUING_FILE_BYTES);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(file, 'is not an issuing configuration: expected a JSON object with "departments", "schemaDir" and "certTypes"');
  const unknown = firstUnknownKey(json, ISSUING_FIELDS);
  if (unknown !== undefined) fail(file, `has an unknown field "${unknown}" (known: ${ISSUING_FIELDS.join(', ')})`);
  const doc = json as Partial<IssuingFile>;
  if (!Array.isArray(doc.departments) || typeof doc.schemaDir !== 'string' || !Array.isArray(doc.certTypes)) {
    fail(file, 'must hold "departments" (a list), "schemaDir" (a folder) and "certTypes" (a list)');
  }
  const base = dirname(resolve(file));
  const departments = doc.departments.map((d, i) => {
    if (typeof d?.issuerId !== 'string' || typeof d.keyFile !== 'string' || typeof d.tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.tokenSha256)) {
      fail(file, `departments[${i}] needs issuerId, keyFile and tokenSha256 (64 hex digits)`);
    }
    let secretKey: Uint8Array;
    try {
      secretKey = readKeyFile(join(base, d.keyFile)).secretKey;
    } catch (error) {
      fail(file, `departments[${i}].keyFile: ${(error as Error).message}`);
    }
    return { issuerId: d.issuerId, secretKey, tokenSha256: fromHex(d.tokenSha256) };
  });
  const schemas = new Map<string, JsonObject>();
  for (const [i, t] of doc.certTypes.entries()) {
    if (typeof t?.typeId !== 'string' || !Number.isInteger(t.version)) fail(file, `certTypes[${i}] needs typeId and version`);
    const schemaFile = join(base, doc.schemaDir, schemaFileName(t.typeId, t.version));
    try {
      schemas.set(`${t.typeId}@${t.version}`, readJsonFile(schemaFile, 'the schema', MAX_SCHEMA_FILE_BYTES) as JsonObject);
    } catch (error) {
      fail(file, `certTypes[${i}]: ${(error as Error).message}`);
    }
  }
  return { departments, schemas };
}
