import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBoundedFile, readJsonFile } from './bounded-file.js';
import { loadNodeConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-bounded-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readBoundedFile', () => {
  it('reads a file within the limit whole, and one of exactly the limit', () => {
    const file = join(dir, 'small.bin');
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    writeFileSync(file, bytes);
    // Larger than one read chunk, so the pieces must be joined in order.
    expect(readBoundedFile(file, 'the file', 200_000).equals(bytes)).toBe(true);
  });

  it('refuses a file over the limit by its size, naming the file and both sizes', () => {
    const file = join(dir, 'large.bin');
    writeFileSync(file, '');
    truncateSync(file, 1001);
    expect(() => readBoundedFile(file, 'the thing', 1000)).toThrow(`cannot read the thing ${file}: it is 1001 bytes; the thing is at most 1000`);
  });

  it('stops reading a device that has no size once it passes the limit', () => {
    expect(() => readBoundedFile('/dev/zero', 'the input', 100_000)).toThrow('cannot read the input /dev/zero: it is more than 100000 bytes; the input is at most 100000');
  });

  it('says when a file cannot be opened, or is a folder, or is not JSON', () => {
    expect(() => readBoundedFile(join(dir, 'absent'), 'the file', 10)).toThrow(/cannot read the file .*absent: ENOENT/);
    expect(() => readBoundedFile(dir, 'the file', 10)).toThrow(`cannot read the file ${dir}: it is a folder`);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{"a":');
    expect(() => readJsonFile(notJson, 'the file', 100)).toThrow(`${notJson} is not JSON`);
  });
});

describe('the files a node reads', () => {
  it('refuses a node configuration larger than any can be, before parsing it', () => {
    const file = join(dir, 'node.json');
    writeFileSync(file, `{"name":"x"${' '.repeat(1 << 20)}}`);
    expect(() => loadNodeConfig(file)).toThrow(/cannot read the configuration .*node\.json: it is \d+ bytes; the configuration is at most 1048576/);
  });
});
