/**
 * Node-only entry (`@certledger/crypto/keyfile`): Ed25519 key files on disk.
 *
 * Secret key file: `{ "type": "ed25519", "label"?: string, "publicKey": hex, "secretKey": hex }`,
 * mode 0600. Public key file: the same without "secretKey". Files are written to a temporary
 * file in the same directory, fsynced and then renamed (or hard-linked, to refuse an existing
 * file atomically), so a crash leaves either no file or a whole one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { toHex } from '@certledger/codec';
import { isValidPublicKey, keyPairFromSeed, PUBLIC_KEY_BYTES, SEED_BYTES, type KeyPair } from './index.js';
import {
  checkLabel,
  formatPublicKeyFile,
  formatSecretKeyFile,
  KeyFileError,
  MAX_KEY_FILE_BYTES,
  parsePublicKeyFile,
  parseSecretKeyFile,
  type LabelledKeyPair,
  type LabelledPublicKey,
} from './keyfile-format.js';

export { KeyFileError, type KeyFileErrorCode, type LabelledKeyPair, type LabelledPublicKey } from './keyfile-format.js';

export interface WriteKeyFileOptions {
  label?: string;
  /** Replace an existing file (atomically). Without it an existing file is an ALREADY_EXISTS error. */
  overwrite?: boolean;
}

const SECRET_FILE_MODE = 0o600;
const PUBLIC_FILE_MODE = 0o644;
const GROUP_OR_OTHER_ACCESS = 0o077;
const IS_POSIX = process.platform !== 'win32';
/** Filesystems without hard links; there the no-overwrite check falls back to a check-then-rename. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

function errnoCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error';
}

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new KeyFileError('INVALID_ARGUMENT', String(path), 'the path must be a non-empty string without NUL characters');
  }
}

function existsNow(path: string): boolean {
  try {
    closeSync(openSync(path, 'r'));
    return true;
  } catch (error) {
    return errnoCode(error) !== 'ENOENT';
  }
}

function placeWithoutOverwrite(temporary: string, path: string): void {
  try {
    linkSync(temporary, path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') throw new KeyFileError('ALREADY_EXISTS', path, 'already exists; refusing to overwrite it (pass { overwrite: true } to replace it)');
    if (!NO_HARD_LINKS.has(code)) throw new KeyFileError('WRITE_FAILED', path, `cannot be created (${code})`, { cause: error });
    if (existsNow(path)) throw new KeyFileError('ALREADY_EXISTS', path, 'already exists; refusing to overwrite it (pass { overwrite: true } to replace it)');
    renameSync(temporary, path);
  }
}

function syncDirectory(directory: string): void {
  if (!IS_POSIX) return;
  try {
    const fd = openSync(directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: the file itself is complete and synced; some filesystems cannot fsync a directory.
  }
}

function writeAtomically(path: string, content: string, mode: number, overwrite: boolean): void {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'wx', mode);
  } catch (error) {
    throw new KeyFileError('WRITE_FAILED', path, `cannot create a temporary file in ${directory} (${errnoCode(error)})`, { cause: error });
  }
  try {
    try {
      writeFileSync(fd, content, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (overwrite) renameSync(temporary, path);
    else placeWithoutOverwrite(temporary, path);
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    throw new KeyFileError('WRITE_FAILED', path, `cannot be written (${errnoCode(error)})`, { cause: error });
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed into place.
    }
  }
  syncDirectory(directory);
}

/** Opens, checks and reads a key file; `requirePrivate` enforces no group/other access on POSIX. */
function readSmallFile(path: string, requirePrivate: boolean): string {
  let fd: number;
  try {
    // O_NONBLOCK so that a FIFO at the path fails the regular-file check instead of hanging.
    fd = IS_POSIX ? openSync(path, constants.O_RDONLY | constants.O_NONBLOCK) : openSync(path, 'r');
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') throw new KeyFileError('NOT_FOUND', path, 'does not exist', { cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw new KeyFileError('UNREADABLE', path, 'cannot be read: permission denied', { cause: error });
    throw new KeyFileError('UNREADABLE', path, `cannot be opened (${code})`, { cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new KeyFileError('UNREADABLE', path, 'is not a regular file');
    if (requirePrivate && IS_POSIX && (stats.mode & GROUP_OR_OTHER_ACCESS) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(3, '0');
      throw new KeyFileError(
        'INSECURE_PERMISSIONS',
        path,
        `is accessible by group or others (mode ${mode}); a secret key file must be private to its owner. Fix it with: chmod 600 ${path}`,
      );
    }
    if (stats.size > MAX_KEY_FILE_BYTES) {
      throw new KeyFileError('MALFORMED', path, `is ${stats.size} bytes; a key file is at most ${MAX_KEY_FILE_BYTES} bytes`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function requireKeyBytes(value: unknown, what: string, length: number, path: string, hint = ''): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new KeyFileError('INVALID_ARGUMENT', path, `${what} must be a Uint8Array of ${length} bytes${hint}`);
  }
  return value;
}

/** Writes a secret key file with mode 0600 after checking that the public key belongs to the seed. */
export function writeKeyFile(path: string, keyPair: KeyPair, options: WriteKeyFileOptions = {}): void {
  checkPath(path);
  const label = checkLabel(options.label, path, 'INVALID_ARGUMENT');
  if (typeof keyPair !== 'object' || keyPair === null) throw new KeyFileError('INVALID_ARGUMENT', path, 'keyPair must be an object');
  const publicKey = requireKeyBytes(keyPair.publicKey, 'keyPair.publicKey', PUBLIC_KEY_BYTES, path);
  const seed = requireKeyBytes(keyPair.secretKey, 'keyPair.secretKey', SEED_BYTES, path, ' (note: { ...keyPair } drops the non-enumerable secretKey)');
  const derived = keyPairFromSeed(seed);
  if (toHex(derived.publicKey) !== toHex(publicKey)) {
    throw new KeyFileError('KEY_MISMATCH', path, 'keyPair.publicKey is not the public key of keyPair.secretKey; nothing was written');
  }
  writeAtomically(path, formatSecretKeyFile(derived, label), SECRET_FILE_MODE, options.overwrite === true);
}

/**
 * Reads and fully checks a secret key file. The returned pair keeps `secretKey` non-enumerable
 * and redacted, so logging or serialising it never shows the seed.
 */
export function readKeyFile(path: string): LabelledKeyPair {
  checkPath(path);
  return parseSecretKeyFile(readSmallFile(path, true), path);
}

/** Writes the public half (mode 0644): for network configs, genesis files and verifiers. */
export function writePublicKeyFile(path: string, publicKey: Uint8Array, options: WriteKeyFileOptions = {}): void {
  checkPath(path);
  const label = checkLabel(options.label, path, 'INVALID_ARGUMENT');
  requireKeyBytes(publicKey, 'publicKey', PUBLIC_KEY_BYTES, path);
  if (!isValidPublicKey(publicKey)) {
    throw new KeyFileError('INVALID_ARGUMENT', path, 'publicKey is not a valid Ed25519 public key (non-canonical, small-order or not on the curve)');
  }
  writeAtomically(path, formatPublicKeyFile(publicKey, label), PUBLIC_FILE_MODE, options.overwrite === true);
}

/** Reads a public key file; a file that also holds a secret key is refused rather than half-read. */
export function readPublicKeyFile(path: string): LabelledPublicKey {
  checkPath(path);
  return parsePublicKeyFile(readSmallFile(path, false), path);
}
