import { keyId } from '@certledger/crypto';
import { toHex } from '@certledger/codec';
import type { Command } from 'commander';
import { generateKeyFiles, readAnyPublicKey } from '../key-files.js';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('Create and inspect Ed25519 key files');
  keys
    .command('generate')
    .description('write a new secret key file (mode 0600) and, optionally, its public half')
    .argument('<file>', 'where to write the secret key file')
    .option('--label <text>', 'a label stored in the file')
    .option('--public <file>', 'also write the public key file here')
    .action((file: string, options: { label?: string; public?: string }) => {
      const pair = generateKeyFiles(file, options.public, options.label);
      process.stdout.write(`wrote ${file}${options.public ? ` and ${options.public}` : ''}\npublic key ${toHex(pair.publicKey)}\nkey id     ${keyId(pair.publicKey)}\n`);
    });
  keys
    .command('show')
    .description('print the public key and key id of a key file (never the secret)')
    .argument('<file>', 'a secret or public key file')
    .action((file: string) => {
      const { publicKey, label } = readAnyPublicKey(file);
      process.stdout.write(`${label ? `label      ${label}\n` : ''}public key ${toHex(publicKey)}\nkey id     ${keyId(publicKey)}\n`);
    });
}
