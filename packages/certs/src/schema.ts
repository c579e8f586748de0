import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { sha256 } from '@certledger/codec';
import { canonicalJsonBytes } from './data-integrity/canonical-json.js';
import { CertificateError } from './errors.js';
import { isJsonObject, type JsonObject } from './json.js';

/**
 * The hash the ledger's certificate-type registry holds for a type's JSON Schema: SHA-256 of
 * the schema in RFC 8785 canonical form, so anyone can recompute it from the schema file.
 */
export function schemaHash(schema: JsonObject): Uint8Array {
  return sha256(canonicalJsonBytes(schema));
}

/** A validator for records of one certificate type; refuses schemas that do not compile. */
export function compileRecordSchema(schema: unknown): (record: unknown) => string | undefined {
  if (!isJsonObject(schema)) throw new CertificateError('BAD_OPTIONS', 'a certificate type schema must be a JSON object');
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new CertificateError('BAD_OPTIONS', `the certificate type schema is not valid JSON Schema: ${(err as Error).message}`);
  }
  return (record) => {
    if (validate(record)) return undefined;
    const first = validate.errors?.[0];
    if (!first) return 'does not match the schema';
    // ajv names the field too many only in params, not in its message.
    const extra = first.keyword === 'additionalProperties' ? `: "${String(first.params.additionalProperty)}" is not a field of the schema` : '';
    return `${first.instancePath || '(record)'} ${first.message ?? 'is not valid'}${extra}`;
  };
}
