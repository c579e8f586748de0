import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./index.ts', import.meta.url));

async function bundleForBrowser() {
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('browser bundle of the package entry', () => {
  it('resolves the noble backend and reaches no node: module', async () => {
    const { code, inputs } = await bundleForBrowser();
    expect(inputs.some((path) => path.endsWith('src/backend-noble.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('src/backend-native.ts'))).toBe(false);
    expect(inputs.filter((path) => path.startsWith('node:'))).toEqual([]);
    expect(code).not.toMatch(/from\s*["']node:/);
  });

  it('works: the bundled code signs and verifies with the noble backend', async () => {
    const { code } = await bundleForBrowser();
    const bundled = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
    expect(bundled.ed25519Backend).toBe('noble');
    const pair = bundled.keyPairFromSeed(new Uint8Array(32).fill(5));
    const message = new Uint8Array([1, 2, 3]);
    const signature = bundled.sign(message, pair.secretKey);
    expect(bundled.verify(signature, message, pair.publicKey)).toBe(true);
    expect(bundled.verify(signature, new Uint8Array([1, 2, 4]), pair.publicKey)).toBe(false);
  });
});
