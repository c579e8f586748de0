import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyPairFromSeed } from '@certledger/crypto';
import { writeKeyFile, writePublicKeyFile } from '@certledger/crypto/keyfile';
import { testSeed } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnyPublicKey } from './key-files.js';

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
