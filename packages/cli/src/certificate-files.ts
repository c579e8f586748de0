import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { MAX_CERTIFICATE_BYTES, type JsonObject, type TrustedValidators } from '@certledger/certs';
import { parseGenesis } from '@certledger/ledger';

const READ_CHUNK_BYTES = 64 * 1024;

/**
 * A file's bytes, refused when more than `maxBytes`: by its size before anything is read, and
 * while reading for what has no size (a pipe, a device), so no input is ever read whole
 * into memory when too large. Errors name the file and say what is wrong.
 */
export function readBoundedFile(file: string, what: string, maxBytes: number): Buffer {
  const tooLarge = (size: string) => new Error(`it is ${size} bytes; ${what} is at most ${maxBytes}`);
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > maxBytes) throw tooLarge(String(size));
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
        const read = readSync(fd, chunk, 0, chunk.length, null);
        if (read === 0) return Buffer.concat(chunks, total);
        total += read;
        if (total > maxBytes) throw tooLarge(`more than ${maxBytes}`);
        chunks.push(chunk.subarray(0, read));
      }
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new Error(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

function readSmallFile(file: string, what: string, maxBytes: number): string {
  return readBoundedFile(file, what, maxBytes).toString('utf8');
}

/** A certificate file's text, refused when larger than any certificate can be. */
export function readCertificateText(file: string): string {
  return readSmallFile(file, 'the certificate', MAX_CERTIFICATE_BYTES);
}

/** A small file's JSON content; the errors name the file and say whether it was unreadable or not JSON. */
export function readJsonFile(file: string, what: string, maxBytes: number): unknown {
  const text = readSmallFile(file, what, maxBytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/** A certificate file as a JSON object; its structure is checked by whoever uses it. */
export function readCertificateJson(file: string): JsonObject {
  const json = readJsonFile(file, 'the certificate', MAX_CERTIFICATE_BYTES);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file} does not hold a certificate: expected a JSON object`);
  return json as JsonObject;
}

const MAX_GENESIS_BYTES = 16 << 20;

/** The validators of a network's genesis, to check certificates offline against. */
export function readTrustedValidators(file: string): TrustedValidators {
  const genesis = parseGenesis(readJsonFile(file, 'the genesis file', MAX_GENESIS_BYTES));
  if (!genesis.ok) throw new Error(`${file} is not a genesis file: ${genesis.error.message}`);
  return { chainId: genesis.value.chainId, validators: genesis.value.validators };
}

/** Writes `text` to a file that must not exist yet: an output never replaces anything. */
export function writeNewFile(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(code === 'EEXIST' ? `${file} already exists; choose a new file name` : `cannot write ${file}: ${(error as Error).message}`);
  }
}
