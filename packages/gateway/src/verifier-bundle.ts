import { build } from 'esbuild';

let bundle: Promise<Uint8Array> | undefined;

/**
 * The certificate library's verify path as one browser module, built once per process on first
 * use: the page then checks certificates with the very code the CLI and the API use.
 */
export function verifierBundle(): Promise<Uint8Array> {
  bundle ??= build({
    entryPoints: [new URL(import.meta.resolve('@certledger/certs/browser')).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
  }).then((result) => {
    const [output] = result.outputFiles;
    if (!output) throw new Error('esbuild produced no verifier bundle');
    return output.contents;
  });
  bundle.catch(() => {
    bundle = undefined;
  });
  return bundle;
}
