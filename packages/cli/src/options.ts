import { parseDateTimeStamp, parseFieldPath } from '@certledger/certs';
import { fromHex } from '@certledger/codec';
import { isValidPublicKey } from '@certledger/crypto';
import { InvalidArgumentError } from 'commander';

/** A commander argument parser for whole numbers in a range, with an error that says which. */
export function parseInteger(min: number, max: number) {
  return (text: string): number => {
    if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    const value = Number(text);
    if (value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}

/** An http or https URL without credentials; `example` shows what is expected. */
function parseHttpUrl(text: string, example: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`expected a URL such as ${example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`expected an http or https URL, not ${url.protocol}`);
  if (url.username || url.password) throw new InvalidArgumentError('expected a URL without a user name or password');
  return url;
}

/** A node's HTTP API base address: http or https, no path, query or credentials. */
export function parseApiUrl(text: string): string {
  const url = parseHttpUrl(text, 'http://127.0.0.1:8080');
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new InvalidArgumentError('expected only scheme, host and port, such as http://127.0.0.1:8080');
  }
  return url.origin;
}

/** A date-time with a time zone (XML Schema dateTimeStamp) naming a moment that exists, as certificates take them. */
export function parseDateTime(text: string): string {
  if (parseDateTimeStamp(text) === undefined) throw new InvalidArgumentError('expected a date-time with a time zone, such as 2026-01-01T00:00:00Z');
  return text;
}

const IDENTIFIER = /^[a-z0-9][a-z0-9.-]{0,62}$/;

/** An issuer or certificate type id as the ledger names them. */
export function parseIdentifier(text: string): string {
  if (!IDENTIFIER.test(text)) throw new InvalidArgumentError('expected an id of lowercase letters, digits, dots and dashes, such as transport');
  return text;
}

export interface TypeReference {
  readonly typeId: string;
  /** Absent: the newest version the ledger has registered. */
  readonly version?: number;
}

/** `driving-licence` or `driving-licence@2`. */
export function parseTypeReference(text: string): TypeReference {
  const at = text.lastIndexOf('@');
  const typeId = at < 0 ? text : text.slice(0, at);
  const versionText = at < 0 ? undefined : text.slice(at + 1);
  if (!IDENTIFIER.test(typeId) || (versionText !== undefined && !/^[1-9]\d{0,8}$/.test(versionText))) {
    throw new InvalidArgumentError('expected a certificate type id with an optional version, such as driving-licence or driving-licence@1');
  }
  return versionText === undefined ? { typeId } : { typeId, version: Number(versionText) };
}

/** A 32-byte hash as 64 hex digits, returned in lowercase. */
export function parseHash(text: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new InvalidArgumentError('expected 64 hex digits');
  return text.toLowerCase();
}

/** Ids separated by commas, such as transport,health: sorted and without repeats, as the ledger keeps them. */
export function parseIdentifierList(text: string): string[] {
  const ids = text.split(',').map((id) => id.trim());
  for (const id of ids) {
    if (!IDENTIFIER.test(id)) throw new InvalidArgumentError(`"${id}" is not an id; expected ids of lowercase letters, digits, dots and dashes separated by commas, such as transport,health`);
  }
  return [...new Set(ids)].sort();
}

/** An Ed25519 public key as 64 hex digits, checked to be one that can verify signatures. */
export function parsePublicKey(text: string): Uint8Array {
  if (!/^[0-9a-fA-F]*$/.test(text)) throw new InvalidArgumentError('expected an Ed25519 public key as 64 hex digits; this holds other characters');
  if (text.length !== 64) throw new InvalidArgumentError(`expected an Ed25519 public key as 64 hex digits (32 bytes), not ${text.length} digits`);
  const publicKey = fromHex(text.toLowerCase());
  if (!isValidPublicKey(publicKey)) throw new InvalidArgumentError('this is not a valid Ed25519 public key (not a point on the curve, or of small order)');
  return publicKey;
}

/** A text as the ledger takes names and reasons: 1 to `maxLength` characters, not blank, no control characters. */
export function parseText(maxLength: number) {
  return (text: string): string => {
    if (text.trim() === '' || text.length > maxLength || /[\u0000-\u001f\u007f]/.test(text)) {
      throw new InvalidArgumentError(`expected a text of 1 to ${maxLength} characters without line breaks or control characters`);
    }
    return text;
  };
}

export const MAX_REASON_LENGTH = 200;

/** A revocation reason as the ledger takes it. */
export const parseReason = parseText(MAX_REASON_LENGTH);

/** Field names joined by commas, each a dotted path such as address.street. */
export function parseFieldList(text: string): string[] {
  const fields = text.split(',').map((field) => field.trim());
  for (const field of fields) {
    try {
      parseFieldPath(field);
    } catch {
      throw new InvalidArgumentError(`"${field}" is not a field name; expected names separated by commas, such as dateOfBirth,address.street`);
    }
  }
  return fields;
}

/** A web page address (http or https) without credentials, such as https://verify.example.gov/ */
export function parseWebPageUrl(text: string): string {
  return parseHttpUrl(text, 'https://verify.example.gov/').toString();
}
