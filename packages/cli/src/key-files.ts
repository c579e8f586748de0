import { existsSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateKeyPair, type KeyPair } from '@certledger/crypto';
import { KeyFileError, readKeyFile, readPublicKeyFile, writeKeyFile, writePublicKeyFile, type LabelledPublicKey } from '@certledger/crypto/keyfile';

/**
 * The public key of a secret or a public key file. When neither reading works, the error is
 * the one for the kind of file it is: a file holding a secret key gets the secret reader's
 * reason (e.g. permissions too open), any other the public reader's.
 */
export function readAnyPublicKey(file: string): LabelledPublicKey {
  try {
    return readKeyFile(file);
  } catch (secretError) {
    if (!(secretError instanceof KeyFileError)) throw secretError;
    try {
      return readPublicKeyFile(file);
    } catch (publicError) {
      const holdsSecret = publicError instanceof KeyFileError && publicError.code === 'MALFORMED' && publicError.message.includes('holds a secret key');
      throw holdsSecret ? secretError : publicError;
    }
  }
}

const alreadyExists = (file: string) => new Error(`${file} already exists; choose another path, or delete that file first if you mean to replace it`);

/** Why a new key file cannot be written at `file`, checked before anything is written. */
function problemWithTarget(file: string): Error | undefined {
  if (existsSync(file)) return alreadyExists(file);
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) return new Error(`cannot write ${file}: the folder ${folder} does not exist`);
  if (!statSync(folder).isDirectory()) return new Error(`cannot write ${file}: ${folder} is not a folder`);
  return undefined;
}

/** The crypto package's "already exists" speaks to callers of its API; a CLI user gets what to do instead. */
function reworded(error: unknown): unknown {
  return error instanceof KeyFileError && error.code === 'ALREADY_EXISTS' ? alreadyExists(error.path) : error;
}

/**
 * Writes a new secret key file and, when `publicFile` is given, its public half. Both targets are
 * checked first; if the public file still cannot be written, the secret one is removed again, so
 * a failure leaves nothing behind.
 */
export function generateKeyFiles(file: string, publicFile: string | undefined, label: string | undefined): KeyPair {
  if (publicFile !== undefined && resolve(publicFile) === resolve(file)) throw new Error(`--public ${publicFile} is the secret key file itself; choose another path`);
  const problem = [file, ...(publicFile === undefined ? [] : [publicFile])].map(problemWithTarget).find((found) => found !== undefined);
  if (problem) throw problem;
  const options = label === undefined ? {} : { label };
  const pair = generateKeyPair();
  try {
    writeKeyFile(file, pair, options);
  } catch (error) {
    throw reworded(error);
  }
  if (publicFile === undefined) return pair;
  try {
    writePublicKeyFile(publicFile, pair.publicKey, options);
  } catch (error) {
    unlinkSync(file);
    throw reworded(error);
  }
  return pair;
}
