import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePortBlock, testNetworkPortCount } from '@certledger/node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, until } from './support/devnet-processes.js';

/*
 * The certificate commands end to end, each as its own `certledger` process, against one
 * validator started with `certledger node start` from a network made by `certledger init`
 * (whose types carry real schemas and registered schema hashes). Loopback only.
 */
const CLI = resolve(import.meta.dirname, '../packages/cli/bin/certledger.mjs');
const p2pPort = await freePortBlock(testNetworkPortCount(1));
const API = `http://127.0.0.1:${p2pPort + 1}`;
const dir = mkdtempSync(join(tmpdir(), 'certledger-certs-cli-'));
const at = (...parts: string[]) => join(dir, ...parts);
let node: ChildProcess | undefined;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `certledger ...args` in the test folder; killed after `timeoutMs`. */
function certledger(args: readonly string[], timeoutMs = 45_000): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

const KEY = ['--issuer', 'transport', '--key', 'net/issuers/transport.key.json'];
const readJson = (file: string) => JSON.parse(readFileSync(at(file), 'utf8')) as Record<string, unknown> & { credentialSubject: Record<string, unknown> };

beforeAll(async () => {
  const init = await certledger(['init', '--out', 'net', '--validators', '1', '--p2p-port', String(p2pPort), '--api-port', String(p2pPort + 1)]);
  expect(init.code, init.stderr).toBe(0);
  const log = createWriteStream(at('node.log'));
  node = spawn(process.execPath, [CLI, 'node', 'start', '--config', at('net', 'validator-0', 'node.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  node.stdout!.pipe(log);
  node.stderr!.pipe(log);
  await until(async () => {
    try {
      const status = (await (await fetch(`${API}/v1/status`, { signal: AbortSignal.timeout(1000) })).json()) as { height: number };
      return status.height >= 1;
    } catch {
      return false;
    }
  }, 'the validator to commit its first block', 30_000);
  writeFileSync(
    at('records.csv'),
    [
      'name,dateOfBirth,licenceNumber,categories,address.street,address.city,organDonor,penaltyPoints',
      'Ann Example,1990-04-01,ANN12345,B;BE,1 High St,London,true,0',
      '"Doe, Bob",1985-12-31,BOB98765,B,,Leeds,,3',
      'Cora Test,2001-07-15,CORA0001,A;B,,York,false,',
    ].join('\n'),
  );
});

afterAll(async () => {
  if (node && node.exitCode === null) {
    const exited = new Promise((r) => node!.once('exit', r));
    node.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (node.exitCode === null) node.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('certificate commands against a running validator', () => {
  it('issue: reads the CSV, writes the batch folder and anchors it; every file carries its anchor location', async () => {
    const issued = await certledger(['issue', 'records.csv', '--type', 'driving-licence', ...KEY, '--out', 'batch', '--network', 'net', '--api', API, '--valid-from', '2026-01-01T00:00:00Z', '--data-integrity', '--wait', '30']);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toMatch(/anchored at height \d+: 3 certificates in batch are ready/);
    const info = readJson('batch/batch.json');
    expect(info).toMatchObject({ state: 'anchored', count: 3, issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, chainId: 'certledger-devnet' });
    expect(readdirSync(at('batch', 'credentials')).sort()).toEqual(['1.json', '2.json', '3.json']);
    const bob = readJson('batch/credentials/2.json');
    expect(bob.credentialSubject).toEqual({ name: 'Doe, Bob', dateOfBirth: '1985-12-31', licenceNumber: 'BOB98765', categories: ['B'], address: { city: 'Leeds' }, penaltyPoints: 3 });
    expect(JSON.stringify(bob.proof)).toContain(`"anchor":{"height":${info.height as number}`);
  });

  it('verify: valid online and offline against the genesis validators; --offline without --genesis is refused', async () => {
    const [online, offline, missingGenesis] = await Promise.all([
      certledger(['verify', 'batch/credentials/1.json', '--api', API]),
      certledger(['verify', 'batch/credentials/1.json', '--offline', '--genesis', 'net/genesis.json']),
      certledger(['verify', 'batch/credentials/1.json', '--offline']),
    ]);
    expect(online.code, online.stderr).toBe(0);
    expect(online.stdout).toContain('✓ anchor');
    expect(online.stdout).toContain('✓ revocation     not revoked');
    expect(online.stdout).toContain('✓ dataIntegrity');
    expect(online.stdout).toContain('address.city: London');
    expect(online.stdout.trim().split('\n').at(-1)).toBe('VALID');
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toMatch(/✓ anchor +anchored at height \d+; block [0-9a-f]{64} is finalised by the trusted validators/);
    expect(offline.stdout).toContain('– revocation');
    expect(missingGenesis.code).toBe(1);
    expect(missingGenesis.stderr).toBe('certledger: --offline needs --genesis <file>: the genesis whose validators you trust\n');
  });

  it('disclose: the copy hides the fields and still verifies; an altered field fails integrity', async () => {
    const disclosed = await certledger(['disclose', 'batch/credentials/1.json', '--hide', 'dateOfBirth,address.street', '--out', 'shown.json']);
    expect(disclosed.code, disclosed.stderr).toBe(0);
    expect(readJson('shown.json').credentialSubject).toEqual({ name: 'Ann Example', licenceNumber: 'ANN12345', categories: ['B', 'BE'], address: { city: 'London' }, organDonor: true, penaltyPoints: 0 });
    const altered = readJson('batch/credentials/3.json');
    altered.credentialSubject.name = 'Someone Else';
    writeFileSync(at('altered.json'), JSON.stringify(altered));
    const [shown, tampered, html] = await Promise.all([
      certledger(['verify', 'shown.json', '--api', API]),
      certledger(['verify', 'altered.json', '--api', API]),
      certledger(['render', 'shown.json', '--verifier-url', 'https://verify.example.gov/']),
    ]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('hidden fields 2');
    expect(shown.stdout).not.toContain('1990-04-01');
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/✗ integrity +the fields, hidden-field digests or inclusion path do not lead to the anchored batch root/);
    expect(tampered.stderr).toMatch(/^certledger: altered\.json is not valid: integrity failed \(TAMPERED\)/);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toContain('<h1>Driving licence</h1>');
    expect(html.stdout).toContain('https://verify.example.gov/#root=');
  });

  it('anchor: running it twice on an anchored batch changes no file', async () => {
    const before = readFileSync(at('batch', 'credentials', '2.json'));
    for (let run = 0; run < 2; run++) {
      const anchored = await certledger(['anchor', 'batch', '--api', API, '--wait', '10']);
      expect(anchored.code, anchored.stderr).toBe(0);
      expect(anchored.stdout).toMatch(/anchored at height \d+: 0 certificate files updated, 3 already had the anchor/);
    }
    expect(readFileSync(at('batch', 'credentials', '2.json'))).toEqual(before);
  });

  it('revoke: the certificate and its disclosed copy verify as revoked; the others stay valid', async () => {
    const revoked = await certledger(['revoke', ...KEY, '--reason', 'licence withdrawn', '--certificate', 'batch/credentials/1.json', '--api', API, '--wait', '30']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/^revoked certificate [0-9a-f]{64} of batch [0-9a-f]{64} at height \d+\n$/);
    const [original, shown, other] = await Promise.all([
      certledger(['verify', 'batch/credentials/1.json', '--api', API]),
      certledger(['verify', 'shown.json', '--api', API]),
      certledger(['verify', 'batch/credentials/2.json', '--api', API]),
    ]);
    for (const result of [original, shown]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✗ revocation +revoked at height \d+: licence withdrawn/);
      expect(result.stdout.trim().split('\n').at(-1)).toBe('NOT VALID (REVOKED)');
    }
    expect(other.code, other.stdout).toBe(0);
  });
});
