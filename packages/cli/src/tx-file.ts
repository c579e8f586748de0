import { toHex } from '@certledger/codec';
import { decodeTransaction } from '@certledger/ledger';
import { readBoundedFile } from '@certledger/node/files';
import { decodeBase64 } from './base64.js';

export const MAX_TX_FILE_BYTES = 1 << 20;

export type TransactionFileFormat = 'raw' | 'hex' | 'base64';

export interface TransactionFile {
  readonly bytes: Uint8Array;
  /** Transaction id, hex. */
  readonly id: string;
  readonly format: TransactionFileFormat;
}

/** Printable ASCII and line breaks: such a file is text. Raw transactions open with a byte above 0x7f. */
function isText(content: Uint8Array): boolean {
  return content.every((byte) => (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

function decodeHex(text: string): Uint8Array | undefined {
  return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Uint8Array.from(Buffer.from(text, 'hex')) : undefined;
}

/**
 * Signed transaction bytes from a file's content: raw bytes, or hex or base64 text (line breaks
 * and spaces anywhere, as `xxd -p` and `base64` write them). The result must parse as a
 * transaction; otherwise the error says what the file holds instead. `name` appears in errors.
 */
export function parseTransactionFile(content: Uint8Array, name: string): TransactionFile {
  if (content.length === 0) throw new Error(`${name} is empty`);
  const candidates: [TransactionFileFormat, Uint8Array | undefined][] = [];
  if (isText(content)) {
    const text = Buffer.from(content).toString('latin1').replace(/\s+/g, '');
    if (text.length === 0) throw new Error(`${name} holds only whitespace`);
    candidates.push(['hex', decodeHex(text)], ['base64', decodeBase64(text)]);
  } else {
    candidates.push(['raw', Uint8Array.from(content)]);
  }
  const problems: string[] = [];
  for (const [format, bytes] of candidates) {
    if (!bytes) continue;
    const decoded = decodeTransaction(bytes, MAX_TX_FILE_BYTES);
    if (decoded.ok) return { bytes, id: toHex(decoded.value.id), format };
    problems.push(`as ${format}: ${decoded.error.message}`);
  }
  if (problems.length === 0) throw new Error(`${name} holds text that is neither hex nor standard base64 (with padding)`);
  throw new Error(`${name} does not hold a signed transaction (${problems.join('; ')})`);
}

/** Room for hex (two characters a byte) with its line breaks. */
const MAX_TX_TEXT_BYTES = MAX_TX_FILE_BYTES * 3;

export function readTransactionFile(file: string): TransactionFile {
  return parseTransactionFile(readBoundedFile(file, 'the transaction file', MAX_TX_TEXT_BYTES), file);
}
