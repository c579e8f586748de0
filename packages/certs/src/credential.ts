import { didKeyFromPublicKey } from './data-integrity/multikey.js';
import { CertificateError } from './errors.js';
import type { JsonObject } from './json.js';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
export const CREDENTIAL_TYPE = 'CertLedgerCredential';

export interface CredentialTemplate {
  readonly chainId: string;
  readonly issuerPublicKey: Uint8Array;
  readonly issuerDisplayName: string;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly typeDisplayName: string;
  /** XML Schema dateTimeStamp, e.g. 2026-01-01T00:00:00Z. */
  readonly validFrom: string;
  readonly validUntil: string | null;
}

const DATE_TIME_STAMP = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of a dateTimeStamp, or undefined when it is not one or names a
 * moment that does not exist. Date.parse alone is not enough: it rolls 2026-02-30 over to
 * 2 March, and gives NaN for a leap second (23:59:60), which every date comparison then passes.
 */
export function parseDateTimeStamp(text: unknown): number | undefined {
  const match = typeof text === 'string' ? DATE_TIME_STAMP.exec(text) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) return undefined;
  const ms = Date.parse(text as string);
  return Number.isFinite(ms) ? ms : undefined;
}

export function checkValidityDates(validFrom: string, validUntil: string | null): void {
  const from = parseDateTimeStamp(validFrom);
  if (from === undefined) throw new CertificateError('BAD_OPTIONS', `validFrom "${validFrom}" is not a date-time with a time zone, e.g. 2026-01-01T00:00:00Z`);
  if (validUntil === null) return;
  const until = parseDateTimeStamp(validUntil);
  if (until === undefined) throw new CertificateError('BAD_OPTIONS', `validUntil "${validUntil}" is not a date-time with a time zone, e.g. 2031-01-01T00:00:00Z`);
  if (until <= from) throw new CertificateError('BAD_OPTIONS', `validUntil ${validUntil} is not after validFrom ${validFrom}`);
}

/** The schema reference that names a certificate type of one chain. */
export function certTypeUrn(chainId: string, typeId: string, version: number): string {
  return `urn:certledger:${chainId}:cert-type:${typeId}:${version}`;
}

export function parseCertTypeUrn(urn: string): { chainId: string; typeId: string; version: number } | undefined {
  const match = /^urn:certledger:([^:]+):cert-type:([^:]+):(\d{1,9})$/.exec(urn);
  if (!match) return undefined;
  return { chainId: match[1] as string, typeId: match[2] as string, version: Number(match[3]) };
}

/** A W3C Verifiable Credential 2.0 without proofs. */
export function buildCredential(template: CredentialTemplate, id: string, subject: JsonObject): JsonObject {
  return {
    '@context': [VC_CONTEXT_V2],
    id,
    type: ['VerifiableCredential', CREDENTIAL_TYPE],
    name: template.typeDisplayName,
    issuer: { id: didKeyFromPublicKey(template.issuerPublicKey), name: template.issuerDisplayName },
    validFrom: template.validFrom,
    ...(template.validUntil === null ? {} : { validUntil: template.validUntil }),
    credentialSchema: { id: certTypeUrn(template.chainId, template.typeId, template.typeVersion), type: 'JsonSchema' },
    credentialSubject: subject,
  };
}
