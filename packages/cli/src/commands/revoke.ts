import { connectLedger, verifyCertificate, type LedgerView } from '@certledger/certs';
import { fromHex, toHex } from '@certledger/codec';
import { signerFromSeed } from '@certledger/crypto';
import { readKeyFile } from '@certledger/crypto/keyfile';
import type { RevocationEntry } from '@certledger/ledger';
import type { Command } from 'commander';
import { DEFAULT_API, fetchChainId, fetchIssuer, fetchNextSeq, fetchWithTimeout, submitTransaction } from '../api-client.js';
import { readBatch } from '../batch-check.js';
import { readCertificateBytes } from '../certificate-files.js';
import { requireCurrentKey } from '../issuing.js';
import { parseApiUrl, parseHash, parseIdentifier, parseInteger, parseReason } from '../options.js';
import { revokeTransactions } from '../revocations.js';

interface RevokeOptions {
  issuer: string;
  key: string;
  reason: string;
  certificate?: string[];
  root?: string;
  leaf?: string;
  batch?: string;
  api: string;
  wait: number;
}

type Target = { readonly root: string; readonly leaf: string | null };

/**
 * The batch root and leaf of a certificate file, from verifying it against the ledger: it must
 * be intact, anchored and this issuer's. Answers null when it is revoked already.
 */
async function certificateTarget(file: string, issuerId: string, ledger: LedgerView): Promise<Target | null> {
  const result = await verifyCertificate(readCertificateBytes(file), { now: Date.now(), ledger });
  const failed = (name: string) => result.checks.find((check) => check.name === name && check.outcome === 'fail');
  const broken = failed('format') ?? failed('integrity') ?? failed('anchor');
  if (broken || !result.summary?.leaf) throw new Error(`${file} cannot be revoked by file: ${broken?.message ?? 'its leaf is unknown'}`);
  if (result.summary.issuerId !== issuerId) throw new Error(`${file} was issued by "${result.summary.issuerId}", not "${issuerId}"`);
  if (failed('revocation')) {
    process.stdout.write(`${file}: already revoked, ${failed('revocation')?.message}\n`);
    return null;
  }
  return { root: result.summary.root, leaf: result.summary.leaf };
}

async function targetsOf(options: RevokeOptions): Promise<Target[]> {
  const modes = [options.certificate, options.root, options.batch].filter((mode) => mode !== undefined).length;
  if (options.leaf && !options.root) throw new Error('--leaf goes with --root: the batch the certificate belongs to');
  if (modes !== 1) throw new Error('say what to revoke with exactly one of --certificate <file...>, --root <hex> [--leaf <hex>] or --batch <dir>');
  if (options.root) return [{ root: options.root, leaf: options.leaf ?? null }];
  if (options.batch) {
    const { info } = readBatch(options.batch);
    if (info.issuerId !== options.issuer) throw new Error(`the batch in ${options.batch} was issued by "${info.issuerId}", not "${options.issuer}"`);
    return [{ root: info.root, leaf: null }];
  }
  const ledger = await connectLedger(options.api, fetchWithTimeout);
  const targets = new Map<string, Target>();
  for (const file of options.certificate ?? []) {
    const target = await certificateTarget(file, options.issuer, ledger);
    if (target) targets.set(`${target.root}/${target.leaf}`, target);
  }
  return [...targets.values()];
}

function describeEntry(entry: RevocationEntry): string {
  return entry.leaf ? `certificate ${toHex(entry.leaf)} of batch ${toHex(entry.root)}` : `batch ${toHex(entry.root)} (every certificate in it)`;
}

export function registerRevokeCommand(program: Command): void {
  program
    .command('revoke')
    .description('revoke certificates (by file, or by batch root and leaf) or whole batches; several go into as few transactions as the ledger allows')
    .requiredOption('--issuer <id>', 'the issuing department that anchored them', parseIdentifier)
    .requiredOption('--key <file>', "the department's current key file")
    .requiredOption('--reason <text>', 'why, up to 200 characters; recorded on the ledger', parseReason)
    .option('--certificate <files...>', 'certificate files to revoke')
    .option('--root <hex>', 'the batch root of what to revoke (the whole batch unless --leaf)', parseHash)
    .option('--leaf <hex>', 'one certificate of the batch, by its leaf hash', parseHash)
    .option('--batch <dir>', 'revoke every certificate of a batch folder written by certledger issue')
    .option('--api <url>', 'the node HTTP API', parseApiUrl, DEFAULT_API)
    .option('--wait <seconds>', 'wait this long for each transaction to commit, 0 to 60', parseInteger(0, 60), 30)
    .action(async (options: RevokeOptions) => {
      const key = readKeyFile(options.key);
      const targets = await targetsOf(options);
      if (targets.length === 0) {
        process.stdout.write('nothing to revoke\n');
        return;
      }
      const chainId = await fetchChainId(options.api);
      requireCurrentKey(options.issuer, await fetchIssuer(options.api, options.issuer), key.publicKey);
      const transactions = revokeTransactions({
        chainId,
        issuerId: options.issuer,
        signer: signerFromSeed(key.secretKey),
        seq: await fetchNextSeq(options.api, key.publicKey),
        entries: targets.map((target) => ({ root: fromHex(target.root), leaf: target.leaf === null ? null : fromHex(target.leaf), reason: options.reason })),
      });
      for (const tx of transactions) {
        const submitted = await submitTransaction(options.api, tx.bytes, options.wait);
        for (const entry of tx.entries) {
          const line = 'height' in submitted
            ? `revoked ${describeEntry(entry)} at height ${submitted.height}`
            : `revocation of ${describeEntry(entry)} is pending, not yet in effect: follow ${options.api}${submitted.statusUrl}`;
          process.stdout.write(`${line}\n`);
        }
      }
    });
}
