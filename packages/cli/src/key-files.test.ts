import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyPairFromSeed } from '@certledger/crypto';
import { writeKeyFile, writePublicKeyFile } from '@certledger/crypto/keyfile';
import { testSeed } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyFiles, readAnyPublicKey } from './key-files.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-key-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pair = keyPairFromSeed(testSeed('key-files'));

describe('readAnyPublicKey', () => {
  it('reads the public key of a secret or a public key file', () => {
    writeKeyFile(join(dir, 'secret.json'), pair, { label: 'a' });
    writePublicKeyFile(join(dir, 'public.json'), pair.publicKey);
    expect(readAnyPublicKey(join(dir, 'secret.json'))).toMatchObject({ publicKey: pair.publicKey, label: 'a' });
    expect(readAnyPublicKey(join(dir, 'public.json')).publicKey).toEqual(pair.publicKey);
  });

  it('fails with the reason for the kind of file it is', () => {
    writeKeyFile(join(dir, 'open-secret.json'), pair);
    chmodSync(join(dir, 'open-secret.json'), 0o644);
    expect(() => readAnyPublicKey(join(dir, 'open-secret.json'))).toThrow(/accessible by group or others/);
    writeFileSync(join(dir, 'bad-public.json'), JSON.stringify({ type: 'ed25519', publicKey: 'abcd' }));
    expect(() => readAnyPublicKey(join(dir, 'bad-public.json'))).toThrow(/"publicKey" must be 64 lowercase hex digits/);
    expect(() => readAnyPublicKey(join(dir, 'missing.json'))).toThrow(/missing\.json: does not exist/);
  });
});

describe('generateKeyFiles', () => {
  it('writes the secret key file and its public half', () => {
    const pair = generateKeyFiles(join(dir, 'new.json'), join(dir, 'new.pub.json'), 'new');
    expect(readAnyPublicKey(join(dir, 'new.json')).publicKey).toEqual(pair.publicKey);
    expect(readAnyPublicKey(join(dir, 'new.pub.json'))).toMatchObject({ publicKey: pair.publicKey, label: 'new' });
  });

  it('writes nothing when the public key file cannot be written', () => {
    const folder = mkdtempSync(join(dir, 'partial-'));
    const secret = join(folder, 'k1.json');
    expect(() => generateKeyFiles(secret, join(folder, 'nodir', 'p1.json'), undefined)).toThrow(/p1\.json: the folder .*nodir does not exist/);
    writeFileSync(join(folder, 'p1.json'), 'someone else\'s file');
    expect(() => generateKeyFiles(secret, join(folder, 'p1.json'), undefined)).toThrow(/p1\.json already exists; choose another path, or delete that file first/);
    expect(() => generateKeyFiles(secret, secret, undefined)).toThrow('is the secret key file itself');
    expect(readdirSync(folder)).toEqual(['p1.json']);
    expect(readFileSync(join(folder, 'p1.json'), 'utf8')).toBe("someone else's file");
  });

  it('tells a user what to do about an existing secret key file, and leaves it alone', () => {
    const secret = join(dir, 'taken.json');
    writeFileSync(secret, 'keep me');
    const error = (() => {
      try {
        generateKeyFiles(secret, join(dir, 'taken.pub.json'), undefined);
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/taken\.json already exists; choose another path, or delete that file first/);
    expect(error?.message).not.toContain('overwrite: true');
    expect(readFileSync(secret, 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'taken.pub.json'))).toBe(false);
  });
});
