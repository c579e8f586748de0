import { readFileSync } from 'node:fs';

const MAX_TX_FILE_BYTES = 1 << 20;

/**
 * Reads signed transaction bytes from a file holding them raw, or as hex or base64 text
 * (surrounding whitespace allowed). Throws a sentence naming the file when it is none of these.
 */
export function readTransactionFile(file: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (bytes.length === 0) throw new Error(`${file} is empty`);
  if (bytes.length > MAX_TX_FILE_BYTES) throw new Error(`${file} is ${bytes.length} bytes; a transaction file holds at most ${MAX_TX_FILE_BYTES}`);
  return decodeTransactionText(bytes) ?? Uint8Array.from(bytes);
}

/** Hex or base64 text as bytes; undefined when the content is not such text (so it is raw). */
export function decodeTransactionText(content: Uint8Array): Uint8Array | undefined {
  const text = Buffer.from(content).toString('latin1').trim();
  if (text.length === 0 || /[^\x20-\x7e]/.test(text)) return undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) return Uint8Array.from(Buffer.from(text, 'hex'));
  if (text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text)) return Uint8Array.from(Buffer.from(text, 'base64'));
  return undefined;
}
