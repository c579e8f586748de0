/**
 * Generates a fresh network of N validators with new keys, from network-config/devnet.json
 * unless another template is given. Every option is passed to `certledger init`.
 *
 *   pnpm network:new -- --out ./mynet --validators 7 [--template network-config/devnet.json]
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2).filter((arg) => arg !== '--');
if (!args.includes('--out')) {
  console.error('new-network: --out DIR is required (an empty folder for the keys, genesis and node configs)');
  process.exit(2);
}
const result = spawnSync(process.execPath, [join(root, 'packages/cli/bin/certledger.mjs'), 'init', ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
