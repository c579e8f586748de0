import { createHash, timingSafeEqual } from 'node:crypto';
import { schemaHash, type JsonObject } from '@certledger/certs';
import { bytesEqual, toHex } from '@certledger/codec';
import { signerFromSeed, type Signer } from '@certledger/crypto';
import { certTypeKey, type State } from '@certledger/ledger';
import { HttpError } from './errors.js';

/** A department whose key this gateway holds, and the hash of the token that lets a client act for it. */
export interface IssuingDepartment {
  readonly issuerId: string;
  /** The department's 32-byte Ed25519 seed (from its key file). */
  readonly secretKey: Uint8Array;
  /** SHA-256 of the department's API token: the token itself is never stored. */
  readonly tokenSha256: Uint8Array;
}

export interface IssuingOptions {
  readonly departments: readonly IssuingDepartment[];
  /** Record schemas by `typeId@version`; each must hash to what the ledger registered. */
  readonly schemas: ReadonlyMap<string, JsonObject>;
}

export interface HeldDepartment extends IssuingDepartment {
  readonly signer: Signer;
}

export function holdDepartments(options: IssuingOptions): HeldDepartment[] {
  return options.departments.map((d) => {
    if (d.tokenSha256.length !== 32) throw new RangeError(`the token hash of "${d.issuerId}" must be 32 bytes of SHA-256`);
    return { ...d, signer: signerFromSeed(d.secretKey) };
  });
}

export function tokenSha256(token: string): Uint8Array {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * The department a bearer token belongs to; compares every hash in constant time. The scheme's
 * name is matched in any case, as RFC 9110 section 11.1 says it must be.
 */
export function departmentForToken(departments: readonly HeldDepartment[], authorization: string | undefined): HeldDepartment {
  const match = /^Bearer ([\x21-\x7e]{16,512})$/i.exec(authorization ?? '');
  if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'send the department token as "Authorization: Bearer <token>"');
  const presented = tokenSha256(match[1] as string);
  let found: HeldDepartment | undefined;
  for (const department of departments) {
    if (timingSafeEqual(Buffer.from(department.tokenSha256), presented)) found = department;
  }
  if (!found) throw new HttpError(401, 'UNAUTHENTICATED', 'the token belongs to no department this gateway issues for');
  return found;
}

/** Refuses to issue unless the ledger agrees: the held key is current, the type is registered, authorised and its schema is the one held here. */
export function checkIssuing(state: State, schemas: IssuingOptions['schemas'], department: HeldDepartment, typeId: string, typeVersion: number): { schema: JsonObject; issuerName: string; typeName: string } {
  const issuer = state.issuers.get(department.issuerId);
  if (!issuer) throw new HttpError(409, 'UNKNOWN_ISSUER', `"${department.issuerId}" is not registered on the ledger`);
  if (issuer.suspension) throw new HttpError(409, 'ISSUER_SUSPENDED', `"${department.issuerId}" is suspended: ${issuer.suspension.reason}`);
  const current = issuer.keys.at(-1);
  if (!current || !bytesEqual(current.publicKey, department.signer.publicKey)) {
    throw new HttpError(409, 'KEY_NOT_CURRENT', `the key this gateway holds for "${department.issuerId}" is not its current key on the ledger`);
  }
  const key = certTypeKey(typeId, typeVersion);
  const type = state.certTypes.get(key);
  if (!type) throw new HttpError(409, 'UNKNOWN_CERT_TYPE', `certificate type ${key} is not registered`);
  if (!type.issuers.includes(department.issuerId)) throw new HttpError(403, 'NOT_AUTHORISED_FOR_TYPE', `"${department.issuerId}" may not issue ${key}`);
  const schema = schemas.get(key);
  if (!schema) throw new HttpError(409, 'SCHEMA_UNKNOWN', `this gateway holds no schema for ${key}`);
  const held = schemaHash(schema);
  if (!bytesEqual(held, type.schemaHash)) {
    throw new HttpError(409, 'SCHEMA_MISMATCH', `the schema held for ${key} hashes to ${toHex(held)}, the ledger registered ${toHex(type.schemaHash)}`);
  }
  return { schema, issuerName: issuer.displayName, typeName: type.displayName };
}

/**
 * Hands out sequence numbers one batch at a time per department, so two requests never sign
 * the same number: the next is past both the ledger's and the last one handed out.
 */
export class SequenceKeeper {
  readonly #last = new Map<string, number>();
  readonly #queues = new Map<string, Promise<unknown>>();

  /** Runs `work` alone for this department with its next sequence number. */
  run<T>(issuerId: string, ledgerNext: () => number, work: (seq: number) => Promise<T>): Promise<T> {
    const previous = this.#queues.get(issuerId) ?? Promise.resolve();
    const next = previous.then(() => {
      const seq = Math.max(ledgerNext(), (this.#last.get(issuerId) ?? -1) + 1);
      return work(seq).then((result) => {
        this.#last.set(issuerId, seq);
        return result;
      });
    });
    this.#queues.set(issuerId, next.catch(() => undefined));
    return next;
  }
}
