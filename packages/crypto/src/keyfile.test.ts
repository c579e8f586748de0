import { chmodSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { toHex } from '@certledger/codec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMALL_ORDER_ENCODINGS } from './equivalence-corpus.js';
import { keyPairFromSeed, sign, verify } from './index.js';
import { KeyFileError, readKeyFile, readPublicKeyFile, writeKeyFile, writePublicKeyFile, type KeyFileErrorCode } from './keyfile.js';

const posixOnly = process.platform === 'win32' ? it.skip : it;
const pair = keyPairFromSeed(new Uint8Array(32).map((_, i) => i * 7 + 1));
const secretHex = toHex(pair.secretKey);
const publicHex = toHex(pair.publicKey);

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'certledger-keyfile-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function at(name: string): string {
  return join(directory, name);
}

function writeRaw(name: string, content: string, mode = 0o600): string {
  const path = at(name);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

/** Runs `action`, expects a KeyFileError with `code` naming the file, and checks no printed form of it leaks the secret. */
function expectKeyFileError(action: () => unknown, code: KeyFileErrorCode, path: string, pattern?: RegExp): KeyFileError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeyFileError);
  const error = caught as KeyFileError;
  expect(error.code).toBe(code);
  expect(error.path).toBe(path);
  expect(error.message).toContain(path);
  if (pattern) expect(error.message).toMatch(pattern);
  for (const printed of [error.message, String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), error.stack ?? '']) {
    expect(printed).not.toContain(secretHex);
    expect(printed).not.toContain(secretHex.slice(0, 8));
  }
  return error;
}

function fileText(fields: Record<string, unknown>): string {
  return JSON.stringify({ type: 'ed25519', publicKey: publicHex, secretKey: secretHex, ...fields });
}

describe('writeKeyFile / readKeyFile', () => {
  posixOnly('round-trips a labelled key pair through a 0600 file', () => {
    const path = at('validator.key.json');
    writeKeyFile(path, pair, { label: 'validator 1' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ type: 'ed25519', label: 'validator 1', publicKey: publicHex, secretKey: secretHex });

    const loaded = readKeyFile(path);
    expect(loaded.publicKey).toEqual(pair.publicKey);
    expect(toHex(loaded.secretKey)).toBe(secretHex);
    expect(loaded.label).toBe('validator 1');
    const message = new Uint8Array([4, 2]);
    expect(verify(sign(message, loaded.secretKey), message, pair.publicKey)).toBe(true);
  });

  it('returns a pair whose JSON and inspect forms never contain the secret', () => {
    const path = at('a.key.json');
    writeKeyFile(path, pair);
    const loaded = readKeyFile(path);
    expect('label' in loaded).toBe(false);
    for (const printed of [JSON.stringify(loaded), inspect(loaded, { depth: 10 }), String(loaded.secretKey), JSON.stringify({ loaded })]) {
      expect(printed).not.toContain(secretHex);
    }
    expect(Object.keys(loaded)).toEqual(['publicKey']);
  });

  it('refuses to overwrite an existing file unless asked, and leaves no temporary files', () => {
    const path = at('k.json');
    writeKeyFile(path, pair, { label: 'first' });
    const other = keyPairFromSeed(new Uint8Array(32).fill(1));
    expectKeyFileError(() => writeKeyFile(path, other), 'ALREADY_EXISTS', path, /overwrite: true/);
    expect(readKeyFile(path).label).toBe('first');

    writeKeyFile(path, other, { label: 'second', overwrite: true });
    expect(readKeyFile(path).publicKey).toEqual(other.publicKey);
    expect(readdirSync(directory)).toEqual(['k.json']);
  });

  posixOnly('replaces a file by rename, never by rewriting it in place', () => {
    const path = at('k.json');
    writeKeyFile(path, pair);
    const before = readFileSync(path, 'utf8');
    linkSync(path, at('old-link'));
    writeKeyFile(path, keyPairFromSeed(new Uint8Array(32).fill(2)), { overwrite: true });
    expect(readFileSync(at('old-link'), 'utf8')).toBe(before);
    expect(readFileSync(path, 'utf8')).not.toBe(before);
  });

  it('reports a directory that does not exist and leaves nothing behind', () => {
    const path = join(directory, 'missing', 'k.json');
    expectKeyFileError(() => writeKeyFile(path, pair), 'WRITE_FAILED', path, /ENOENT/);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('refuses a pair whose halves do not belong together, or whose secret was dropped by a spread', () => {
    const path = at('k.json');
    const mismatched = { publicKey: keyPairFromSeed(new Uint8Array(32)).publicKey, secretKey: pair.secretKey };
    expectKeyFileError(() => writeKeyFile(path, mismatched), 'KEY_MISMATCH', path);
    expectKeyFileError(() => writeKeyFile(path, { ...pair }), 'INVALID_ARGUMENT', path, /\.\.\.keyPair/);
    expectKeyFileError(() => writeKeyFile(path, pair, { label: 'bad\nlabel' }), 'INVALID_ARGUMENT', path, /label/);
    expect(readdirSync(directory)).toEqual([]);
  });

  posixOnly('refuses a file readable or writable by group or others, naming the chmod fix', () => {
    for (const mode of [0o640, 0o604, 0o620, 0o644]) {
      const path = writeRaw(`k${mode.toString(8)}.json`, fileText({}), mode);
      expectKeyFileError(() => readKeyFile(path), 'INSECURE_PERMISSIONS', path, new RegExp(`mode 0?${mode.toString(8)}.*chmod 600 ${path}`));
    }
  });

  it('names a missing file', () => {
    const path = at('nope.json');
    expectKeyFileError(() => readKeyFile(path), 'NOT_FOUND', path, /does not exist/);
  });

  it('refuses a directory', () => {
    expectKeyFileError(() => readKeyFile(directory), 'UNREADABLE', directory, /not a regular file/);
  });

  const malformed: [string, string, KeyFileErrorCode, RegExp][] = [
    ['truncated JSON holding the secret', `{"type":"ed25519","secretKey":"${secretHex}`, 'MALFORMED', /not valid JSON/],
    ['JSON with the secret right at the syntax error', `{"secretKey": ${secretHex}}`, 'MALFORMED', /not valid JSON/],
    ['text starting with the secret', `x${secretHex}`, 'MALFORMED', /not valid JSON/],
    ['an array', `["${secretHex}"]`, 'MALFORMED', /JSON object/],
    ['wrong type', fileText({ type: 'rsa' }), 'MALFORMED', /"type" must be "ed25519"/],
    ['missing public key', fileText({ publicKey: undefined }), 'MALFORMED', /"publicKey" is missing/],
    ['uppercase hex', fileText({ secretKey: secretHex.toUpperCase() }), 'MALFORMED', /"secretKey" must be 64 lowercase hex digits/],
    ['short secret', fileText({ secretKey: secretHex.slice(0, 62) }), 'MALFORMED', /"secretKey" must be 64 .* got 62 characters/],
    ['secret as a number array', fileText({ secretKey: Array.from(pair.secretKey) }), 'MALFORMED', /"secretKey" is missing or not a string/],
    ['unknown field named like the secret', fileText({ [secretHex]: 1 }), 'MALFORMED', /1 unexpected field/],
    ['empty label', fileText({ label: '' }), 'MALFORMED', /"label" must be/],
    ['mismatched public key', fileText({ publicKey: toHex(keyPairFromSeed(new Uint8Array(32)).publicKey) }), 'KEY_MISMATCH', /does not match/],
    ['oversized file', fileText({ label: 'x'.repeat(5000) }), 'MALFORMED', /at most 4096 bytes/],
  ];

  it("JSON.parse's own message would leak part of the secret, so it is never passed on", () => {
    expect(() => JSON.parse(`x${secretHex}`)).toThrow(secretHex.slice(0, 8));
  });

  it.each(malformed)('refuses %s with an error that names the file and hides the secret', (_, content, code, pattern) => {
    const path = writeRaw('k.json', content);
    expectKeyFileError(() => readKeyFile(path), code, path, pattern);
  });
});

describe('writePublicKeyFile / readPublicKeyFile', () => {
  it('round-trips a public key with its label', () => {
    const path = at('validator.pub.json');
    writePublicKeyFile(path, pair.publicKey, { label: 'validator 1' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ type: 'ed25519', label: 'validator 1', publicKey: publicHex });
    expect(readPublicKeyFile(path)).toEqual({ publicKey: pair.publicKey, label: 'validator 1' });
    expectKeyFileError(() => writePublicKeyFile(path, pair.publicKey), 'ALREADY_EXISTS', path);
  });

  it('refuses a secret key file, without echoing the secret', () => {
    const path = at('k.json');
    writeKeyFile(path, pair);
    expectKeyFileError(() => readPublicKeyFile(path), 'MALFORMED', path, /holds a secret key/);
  });

  it('refuses keys the verification rule would refuse, on write and on read', () => {
    const smallOrder = SMALL_ORDER_ENCODINGS[1]!.bytes;
    const path = at('bad.pub.json');
    expectKeyFileError(() => writePublicKeyFile(path, smallOrder), 'INVALID_ARGUMENT', path, /not a valid Ed25519 public key/);
    writeRaw('bad.pub.json', JSON.stringify({ type: 'ed25519', publicKey: toHex(smallOrder) }), 0o644);
    expectKeyFileError(() => readPublicKeyFile(path), 'MALFORMED', path, /not a valid Ed25519 public key/);
    expectKeyFileError(() => writePublicKeyFile(at('short'), new Uint8Array(31)), 'INVALID_ARGUMENT', at('short'), /32 bytes/);
  });
});
