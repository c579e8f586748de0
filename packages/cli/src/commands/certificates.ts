import { connectLedger, discloseCertificate, renderCertificateHtml, verifyCertificate, type VerifyOptions } from '@certledger/certs';
import type { Command } from 'commander';
import { DEFAULT_API, fetchWithTimeout } from '../api-client.js';
import { readCertificateBytes, readCertificateJson, readTrustedValidators, writeNewFile } from '../certificate-files.js';
import { parseApiUrl, parseDateTime, parseFieldList, parseWebPageUrl } from '../options.js';
import { describeVerification } from '../verification-report.js';

interface VerifyCommandOptions {
  api?: string;
  offline?: boolean;
  genesis?: string;
  json?: boolean;
  at?: string;
}

/** Where verification gets its facts: a node's API, or (offline) the validators of a genesis file. */
async function factsSource(options: VerifyCommandOptions): Promise<Pick<VerifyOptions, 'ledger' | 'trust'>> {
  if (options.offline) {
    if (options.api) throw new Error('--offline never asks a node: leave out --api');
    if (!options.genesis) throw new Error('--offline needs --genesis <file>: the genesis whose validators you trust');
    return { trust: readTrustedValidators(options.genesis) };
  }
  if (options.genesis) throw new Error('--genesis is for --offline checks; add --offline, or leave it out to ask a node');
  return { ledger: await connectLedger(options.api ?? DEFAULT_API, fetchWithTimeout) };
}

function output(text: string, file: string | undefined): void {
  if (file) writeNewFile(file, text);
  else process.stdout.write(text);
}

export function registerCertificateCommands(program: Command): void {
  program
    .command('verify')
    .description('check a certificate: every check with ✓ / ✗ / –, then what it says; exit 0 only when valid')
    .argument('<file>', 'the certificate (JSON)')
    .option('--api <url>', `the node HTTP API to ask (default ${DEFAULT_API})`, parseApiUrl)
    .option('--offline', 'ask nobody: check the block header and commit in the file against --genesis validators')
    .option('--genesis <file>', "the network's genesis.json, whose validators --offline trusts")
    .option('--json', 'print the result as JSON')
    .option('--at <date-time>', 'judge validity dates at this moment instead of now', parseDateTime)
    .action(async (file: string, options: VerifyCommandOptions) => {
      const source = await factsSource(options);
      const now = options.at ? Date.parse(options.at) : Date.now();
      const result = await verifyCertificate(readCertificateBytes(file), { now, ...source });
      process.stdout.write(`${options.json ? JSON.stringify(result, null, 2) : describeVerification(result)}\n`);
      const failed = result.checks.find((check) => check.outcome === 'fail');
      if (failed) throw new Error(`${file} is not valid: ${failed.name} failed (${result.reason}): ${failed.message}`);
    });

  program
    .command('disclose')
    .description('make a copy of a certificate with some fields hidden; it still verifies, and the hidden values cannot be recovered')
    .argument('<file>', 'the certificate (JSON)')
    .requiredOption('--hide <fields>', 'fields to hide, separated by commas, e.g. dateOfBirth,address.street', parseFieldList)
    .option('--out <file>', 'write the copy to this new file (default: print it)')
    .action((file: string, options: { hide: string[]; out?: string }) => {
      const disclosed = discloseCertificate(readCertificateJson(file), options.hide);
      output(`${JSON.stringify(disclosed, null, 2)}\n`, options.out);
      if (options.out) process.stdout.write(`wrote ${options.out} with ${options.hide.join(', ')} hidden\n`);
    });

  program
    .command('render')
    .description('a printable HTML page of a certificate, with a QR code linking to the verifier page')
    .argument('<file>', 'the certificate (JSON)')
    .requiredOption('--verifier-url <url>', 'the verifier web page the QR code opens, e.g. https://verify.example.gov/', parseWebPageUrl)
    .option('--out <file.html>', 'write the page to this new file (default: print it)')
    .action((file: string, options: { verifierUrl: string; out?: string }) => {
      output(renderCertificateHtml(readCertificateJson(file), { verifierUrl: options.verifierUrl }), options.out);
      if (options.out) process.stdout.write(`wrote ${options.out}\n`);
    });
}
