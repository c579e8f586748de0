import { fromHex, toHex } from '@certledger/codec';
import { isValidPublicKey, keyPairFromSeed, PUBLIC_KEY_BYTES, SEED_BYTES, type KeyPair } from './index.js';
import { makeKeyPair } from './secret.js';

export type KeyFileErrorCode =
  | 'NOT_FOUND'
  | 'UNREADABLE'
  | 'INSECURE_PERMISSIONS'
  | 'MALFORMED'
  | 'KEY_MISMATCH'
  | 'ALREADY_EXISTS'
  | 'WRITE_FAILED'
  | 'INVALID_ARGUMENT';

/** Every key file problem, naming the file; never carries secret key material. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';

  constructor(
    readonly code: KeyFileErrorCode,
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`key file ${path}: ${detail}`, options);
  }
}

export const KEY_TYPE = 'ed25519';
export const MAX_LABEL_LENGTH = 200;
export const MAX_KEY_FILE_BYTES = 4096;

export type LabelledKeyPair = KeyPair & { label?: string };
export type LabelledPublicKey = { publicKey: Uint8Array; label?: string };

const SECRET_FIELDS = ['type', 'label', 'publicKey', 'secretKey'];
const PUBLIC_FIELDS = ['type', 'label', 'publicKey'];
const HEX_PATTERN = /^[0-9a-f]*$/;

export function checkLabel(label: unknown, path: string, code: KeyFileErrorCode): string | undefined {
  if (label === undefined) return undefined;
  if (typeof label !== 'string' || label.length === 0 || label.length > MAX_LABEL_LENGTH || /\p{Cc}/u.test(label)) {
    throw new KeyFileError(code, path, `"label" must be a string of 1 to ${MAX_LABEL_LENGTH} characters without control characters`);
  }
  return label;
}

/** Parses without ever quoting the text: a JSON syntax error message can contain a slice of the secret. */
function parseObject(text: string, path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyFileError('MALFORMED', path, 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KeyFileError('MALFORMED', path, 'must hold a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function checkFields(object: Record<string, unknown>, allowed: string[], path: string): void {
  const unexpected = Object.keys(object).filter((key) => !allowed.includes(key)).length;
  if (unexpected > 0) {
    // The names are not quoted: whatever a damaged file holds, even as a field name, could be secret.
    throw new KeyFileError('MALFORMED', path, `has ${unexpected} unexpected field(s); the allowed fields are ${allowed.join(', ')}`);
  }
  if (object.type !== KEY_TYPE) throw new KeyFileError('MALFORMED', path, `"type" must be "${KEY_TYPE}"`);
}

/** Lowercase hex of an exact length; the message gives the field name and sizes only, never the value. */
function hexField(object: Record<string, unknown>, field: string, bytes: number, path: string): Uint8Array {
  const value = object[field];
  if (typeof value !== 'string') throw new KeyFileError('MALFORMED', path, `"${field}" is missing or not a string`);
  if (value.length !== bytes * 2 || !HEX_PATTERN.test(value)) {
    throw new KeyFileError('MALFORMED', path, `"${field}" must be ${bytes * 2} lowercase hex digits (${bytes} bytes), got ${value.length} characters`);
  }
  return fromHex(value);
}

export function parseSecretKeyFile(text: string, path: string): LabelledKeyPair {
  const object = parseObject(text, path);
  checkFields(object, SECRET_FIELDS, path);
  const label = checkLabel(object.label, path, 'MALFORMED');
  const publicKey = hexField(object, 'publicKey', PUBLIC_KEY_BYTES, path);
  const seed = hexField(object, 'secretKey', SEED_BYTES, path);
  const derived = keyPairFromSeed(seed);
  seed.fill(0);
  if (toHex(derived.publicKey) !== toHex(publicKey)) {
    throw new KeyFileError('KEY_MISMATCH', path, '"publicKey" does not match the public key derived from "secretKey"; the file is damaged or was edited');
  }
  return makeKeyPair(derived.publicKey, derived.secretKey, label === undefined ? {} : { label });
}

export function parsePublicKeyFile(text: string, path: string): LabelledPublicKey {
  const object = parseObject(text, path);
  if ('secretKey' in object) {
    throw new KeyFileError('MALFORMED', path, 'holds a secret key; a public key file must hold only "type", "label" and "publicKey"');
  }
  checkFields(object, PUBLIC_FIELDS, path);
  const label = checkLabel(object.label, path, 'MALFORMED');
  const publicKey = hexField(object, 'publicKey', PUBLIC_KEY_BYTES, path);
  if (!isValidPublicKey(publicKey)) {
    throw new KeyFileError('MALFORMED', path, '"publicKey" is not a valid Ed25519 public key (non-canonical, small-order or not on the curve)');
  }
  return label === undefined ? { publicKey } : { publicKey, label };
}

export function formatSecretKeyFile(keyPair: KeyPair, label: string | undefined): string {
  return `${JSON.stringify({ type: KEY_TYPE, label, publicKey: toHex(keyPair.publicKey), secretKey: toHex(keyPair.secretKey) }, null, 2)}\n`;
}

export function formatPublicKeyFile(publicKey: Uint8Array, label: string | undefined): string {
  return `${JSON.stringify({ type: KEY_TYPE, label, publicKey: toHex(publicKey) }, null, 2)}\n`;
}
