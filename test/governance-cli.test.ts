import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { toHex } from '@certledger/codec';
import { generateKeyPair } from '@certledger/crypto';
import { writeKeyFile, writePublicKeyFile } from '@certledger/crypto/keyfile';
import { VALIDATOR_SET_DELAY } from '@certledger/ledger';
import { freePortBlock, testNetworkPortCount } from '@certledger/node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevnetProcesses, until } from './support/devnet-processes.js';

/*
 * `certledger governance` end to end against a 4-validator devnet of real processes (power 10
 * each): a new validator is proposed, approved with three of the four validator key files,
 * refused before sending while only two have approved, then submitted, and every node lists
 * it once the change is in force. Loopback only.
 */
const CLI = resolve(import.meta.dirname, '../packages/cli/bin/certledger.mjs');
const devnet = new DevnetProcesses({ basePort: await freePortBlock(testNetworkPortCount(4)), validators: 4 });
const dir = mkdtempSync(join(tmpdir(), 'certledger-governance-cli-'));
const newValidator = generateKeyPair();
const NEW_KEY = toHex(newValidator.publicKey);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `certledger ...args` in the test folder; killed after `timeoutMs`. */
function certledger(args: readonly string[], timeoutMs = 40_000): Promise<Run> {
  return new Promise((resolveRun) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolveRun({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function validatorKeyFile(i: number): string {
  return join(dirname(devnet.network.configFiles[i]!), 'node.key.json');
}

async function validatorKeys(i: number): Promise<{ publicKey: string; power: number }[]> {
  const response = await fetch(`${devnet.api(i)}/v1/validators`, { signal: AbortSignal.timeout(2000) });
  return ((await response.json()) as { validators: { publicKey: string; power: number }[] }).validators;
}

beforeAll(async () => {
  writeKeyFile(join(dir, 'sender.key.json'), generateKeyPair());
  writePublicKeyFile(join(dir, 'new-validator.pub.json'), newValidator.publicKey);
  devnet.startAll();
  await until(async () => (await devnet.heights([0, 1, 2, 3])).every((height) => height >= 1), 'every validator to commit a block', 30_000);
});

afterAll(async () => {
  await devnet.shutdown();
  devnet.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('certledger governance against a 4-validator devnet', () => {
  it('adds a validator with approvals by 3 of 4; with 2 the submission is refused before sending', async () => {
    const proposeArgs = ['governance', 'propose', 'add-validator', '--name', 'validator-4', '--validator-key', 'new-validator.pub.json', '--power', '1', '--sender-key', 'sender.key.json', '--api', devnet.api(0)];
    const [proposed, otherChain] = await Promise.all([certledger([...proposeArgs, '--out', 'proposal.json']), certledger([...proposeArgs, '--chain-id', 'other-chain', '--out', 'other.json'])]);
    expect(proposed.code, proposed.stderr).toBe(0);
    expect(otherChain.code).toBe(1);
    expect(otherChain.stderr).toContain(`--chain-id is "other-chain", but ${devnet.api(0)} serves chain "test-chain"`);
    expect(existsSync(join(dir, 'other.json'))).toBe(false);
    expect(proposed.stdout).toContain(`add validator "validator-4" with public key ${NEW_KEY} and voting power 1`);
    const { txId } = JSON.parse(readFileSync(join(dir, 'proposal.json'), 'utf8')) as { txId: string };

    for (const i of [0, 1]) {
      const approved = await certledger(['governance', 'approve', 'proposal.json', '--key', validatorKeyFile(i)]);
      expect(approved.code, approved.stderr).toBe(0);
    }
    const early = await certledger(['governance', 'submit', 'proposal.json', '--sender-key', 'sender.key.json', '--api', devnet.api(1)]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/not enough approvals: approvals carry 20 of 40 voting power \(.*\); more than two thirds, at least 27, is needed: 7 more/);
    expect((await devnet.transaction(1, txId)).status).toBe(404);

    const third = await certledger(['governance', 'approve', 'proposal.json', '--key', validatorKeyFile(2)]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain('proposal.json holds 3 approvals');
    const shown = await certledger(['governance', 'show', 'proposal.json', '--api', devnet.api(2)]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.match(/✓ [0-9a-f]{64}  validator-\d, power 10/g)).toHaveLength(3);
    expect(shown.stdout).toContain('approvals carry 30 of 40 voting power');
    const submitted = await certledger(['governance', 'submit', 'proposal.json', '--sender-key', 'sender.key.json', '--api', devnet.api(1), '--wait', '20']);
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stdout).toContain('approvals carry 30 of 40 voting power');
    const height = Number(/committed at height (\d+)/.exec(submitted.stdout)?.[1]);
    expect(submitted.stdout).toContain(`${txId}  committed at height ${height}`);

    const inForce = height + VALIDATOR_SET_DELAY;
    for (let i = 0; i < devnet.size; i++) {
      await until(async () => (await validatorKeys(i)).some((v) => v.publicKey === NEW_KEY && v.power === 1), `validator-${i} to list the new validator`, 15_000);
    }
    // The new validator never runs: the four others (40 of 41) still commit on their own.
    await until(async () => (await devnet.heights([0, 1, 2, 3])).every((h) => h >= inForce + 3), 'every validator to commit 3 blocks with the new set', 20_000);
  });
});
