import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const READ_CHUNK_BYTES = 64 * 1024;

/** A genesis with the most validators, issuers and types the ledger allows is far smaller. */
export const MAX_GENESIS_FILE_BYTES = 16 << 20;
export const MAX_NODE_CONFIG_FILE_BYTES = 1 << 20;

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
      const stats = fstatSync(fd);
      if (stats.isDirectory()) throw new Error('it is a folder');
      if (stats.size > maxBytes) throw tooLarge(String(stats.size));
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

/** A small file's JSON content; the errors name the file and say whether it was unreadable or not JSON. */
export function readJsonFile(file: string, what: string, maxBytes: number): unknown {
  const text = readBoundedFile(file, what, maxBytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
}
