import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256, toHex } from '@certledger/codec';
import { decodeTransaction } from '@certledger/ledger';
import { testAnchorTx } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_TX_FILE_BYTES, parseTransactionFile, readTransactionFile } from './tx-file.js';

const tx = testAnchorTx('test-chain', 0, sha256(Uint8Array.of(1)));
const decoded = decodeTransaction(tx);
const id = decoded.ok ? toHex(decoded.value.id) : '';
const text = (s: string) => new TextEncoder().encode(s);
const wrap = (s: string, width: number) => s.replace(new RegExp(`(.{${width}})`, 'g'), '$1\n');

describe('transaction files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certledger-tx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('read raw bytes, hex and base64, wrapped or not, as the same transaction', () => {
    const hex = Buffer.from(tx).toString('hex');
    const base64 = Buffer.from(tx).toString('base64');
    const forms: [string, Uint8Array | string, string][] = [
      ['raw', tx, 'raw'],
      ['hex', `${hex}\n`, 'hex'],
      ['HEX', hex.toUpperCase(), 'hex'],
      ['hex-wrapped', wrap(hex, 60), 'hex'],
      ['b64', `  ${base64}\r\n`, 'base64'],
      ['b64-wrapped', wrap(base64, 76), 'base64'],
    ];
    for (const [name, content, format] of forms) {
      writeFileSync(join(dir, name), content);
      expect(readTransactionFile(join(dir, name)), name).toEqual({ bytes: tx, id, format });
    }
  });

  it('refuse missing, empty and blank files with the file named', () => {
    writeFileSync(join(dir, 'empty'), '');
    expect(() => readTransactionFile(join(dir, 'empty'))).toThrow(/empty$/);
    expect(() => parseTransactionFile(text(' \n\t'), 'blank.tx')).toThrow(/blank\.tx holds only whitespace/);
    expect(() => readTransactionFile(join(dir, 'missing'))).toThrow(/cannot read .*missing/);
  });

  it('refuse text that is neither hex nor base64', () => {
    for (const content of ['not a transaction!', 'abc', 'QQ', 'QR==', '-_-_']) {
      expect(() => parseTransactionFile(text(content), 'f.tx'), content).toThrow(/f\.tx holds text that is neither hex nor standard base64/);
    }
  });

  it('refuse bytes, hex or base64 that do not hold a signed transaction, saying why', () => {
    expect(() => parseTransactionFile(Uint8Array.of(0x93, 0x01, 0xff), 'raw.tx')).toThrow(/raw\.tx does not hold a signed transaction \(as raw: /);
    expect(() => parseTransactionFile(text('c0ffee00'), 'h.tx')).toThrow(/h\.tx does not hold a signed transaction \(as hex: .*; as base64: /);
    expect(() => parseTransactionFile(text(Buffer.from('hello').toString('base64')), 'b.tx')).toThrow(/as base64: /);
    expect(() => parseTransactionFile(tx.subarray(0, tx.length - 1), 'cut.tx')).toThrow(/cut\.tx does not hold a signed transaction/);
  });

  it('refuse a file too large to hold a transaction by its size, without reading it, and a folder', () => {
    const huge = join(dir, 'huge.tx');
    writeFileSync(huge, '');
    // Sparse: larger than a Node buffer can hold, so only a reader that looks at the size first can say what is wrong.
    truncateSync(huge, 3 * 2 ** 30);
    expect(() => readTransactionFile(huge)).toThrow(`cannot read the transaction file ${huge}: it is ${3 * 2 ** 30} bytes; the transaction file is at most ${MAX_TX_FILE_BYTES * 3}`);
    truncateSync(huge, MAX_TX_FILE_BYTES * 3 + 1);
    expect(() => readTransactionFile(huge)).toThrow(/it is 3145729 bytes; the transaction file is at most 3145728/);
    // No size to look at: read only until it is past the limit.
    expect(() => readTransactionFile('/dev/zero')).toThrow('cannot read the transaction file /dev/zero: it is more than 3145728 bytes; the transaction file is at most 3145728');
    mkdirSync(join(dir, 'folder.tx'));
    expect(() => readTransactionFile(join(dir, 'folder.tx'))).toThrow(/cannot read the transaction file .*folder\.tx: it is a folder$/);
  });
});
