import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTransactionText, readTransactionFile } from './tx-file.js';

describe('transaction files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certledger-tx-'));
  const bytes = Uint8Array.of(0x93, 0xc4, 0x02, 0xab, 0xcd, 0x00, 0xff);

  it('read raw bytes, hex and base64 alike', () => {
    const forms: [string, Uint8Array | string][] = [
      ['raw', bytes],
      ['hex', `${Buffer.from(bytes).toString('hex')}\n`],
      ['b64', `  ${Buffer.from(bytes).toString('base64')}\n`],
    ];
    for (const [name, content] of forms) {
      writeFileSync(join(dir, name), content);
      expect(readTransactionFile(join(dir, name))).toEqual(bytes);
    }
  });

  it('refuse missing and empty files with the file named', () => {
    writeFileSync(join(dir, 'empty'), '');
    expect(() => readTransactionFile(join(dir, 'empty'))).toThrow(/empty/);
    expect(() => readTransactionFile(join(dir, 'missing'))).toThrow(/cannot read .*missing/);
  });

  it('treat text that is neither hex nor base64 as raw bytes', () => {
    expect(decodeTransactionText(new TextEncoder().encode('not a transaction!'))).toBeUndefined();
    expect(decodeTransactionText(Uint8Array.of(0x93, 0x01))).toBeUndefined();
  });
});
