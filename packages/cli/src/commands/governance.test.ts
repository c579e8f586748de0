import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@certledger/codec';
import { keyPairFromSeed } from '@certledger/crypto';
import { writeKeyFile } from '@certledger/crypto/keyfile';
import type { GovernanceAction } from '@certledger/ledger';
import { testNetwork, testSeed, testSigner } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { addApproval, createProposal, parseProposal, writeProposalFile, type ProposalFile } from '../governance-proposal.js';
import { registerGovernanceCommands } from './governance.js';
import { runCommand, snapshot, stubNode } from '../test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-governance-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const net = testNetwork();
const API = 'http://127.0.0.1:1';

function keyFileOf(name: string): string {
  const file = join(dir, `${name}.key.json`);
  if (!existsSync(file)) writeKeyFile(file, keyPairFromSeed(testSeed(name)));
  return file;
}
const senderKey = keyFileOf('governance-sender');
const sender = testSigner('governance-sender');
const action: GovernanceAction = { kind: 'add-validator', name: 'validator-4', publicKey: testSigner('validator-new').publicKey, power: 10 };

/** The chain the stand-in node serves; a test may change it. */
const node = { chainId: 'test-chain' };
const calls = stubNode(({ method, url }) => {
  const path = new URL(url).pathname;
  if (method === 'GET' && path === '/v1/status') return { status: 200, body: { chainId: node.chainId } };
  if (method === 'GET' && path === '/v1/validators') {
    return { status: 200, body: { validators: net.genesis.validators.map((v) => ({ name: v.name, publicKey: toHex(v.publicKey), power: v.power })) } };
  }
  if (method === 'POST' && path === '/v1/transactions') return { status: 202, body: { id: '00'.repeat(32), statusUrl: '/v1/transactions/00' } };
  return undefined;
});
const posts = () => calls.filter((call) => call.method === 'POST');
const run = (args: string[]) => runCommand([registerGovernanceCommands], args);

let files = 0;
/** A proposal file approved by the first `approvers` validators (and any `strangers`). */
function proposalFile(approvers: number, strangers: readonly string[] = []): string {
  let file = createProposal({ chainId: 'test-chain', sender: sender.publicKey, seq: 0, action }).file;
  for (const signer of [...net.validators.slice(0, approvers), ...strangers.map(testSigner)]) file = addApproval(parseProposal(file, 'p.json'), signer, 'p.json');
  const path = join(dir, `proposal-${files++}.json`);
  writeProposalFile(path, file, { replace: false });
  return path;
}

const readProposal = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ProposalFile;

async function expectRefusedUntouched(path: string, args: string[], message: RegExp): Promise<void> {
  const before = snapshot(dir);
  await expect(run(args)).rejects.toThrow(message);
  expect(posts(), 'nothing may be sent').toEqual([]);
  expect(snapshot(dir), `${path} and its folder are unchanged`).toEqual(before);
}

describe('governance submit', () => {
  it('sends a proposal approved by more than two thirds of the validators, once', async () => {
    await run(['governance', 'submit', proposalFile(3), '--sender-key', senderKey, '--api', API, '--wait', '0']);
    expect(posts()).toHaveLength(1);
  });

  it('sends nothing for a proposal of another chain', async () => {
    node.chainId = 'other-chain';
    try {
      const path = proposalFile(3);
      await expectRefusedUntouched(path, ['governance', 'submit', path, '--sender-key', senderKey, '--api', API], /is for chain "test-chain", but .* serves chain "other-chain"/);
    } finally {
      node.chainId = 'test-chain';
    }
  });

  it('sends nothing with approvals by a non-validator, or too little power', async () => {
    const withStranger = proposalFile(3, ['not-a-validator']);
    await expectRefusedUntouched(withStranger, ['governance', 'submit', withStranger, '--sender-key', senderKey, '--api', API], /approvals by [0-9a-f]{64}, which are not current validators/);
    const short = proposalFile(2);
    await expectRefusedUntouched(short, ['governance', 'submit', short, '--sender-key', senderKey, '--api', API], /not enough approvals: approvals carry 20 of 40/);
  });

  it('asks nothing of the node for approvals over another body, or the wrong sender key', async () => {
    const path = proposalFile(3);
    const other = createProposal({ chainId: 'test-chain', sender: sender.publicKey, seq: 0, action: { ...action, power: 1000 } }).file;
    writeFileSync(path, JSON.stringify({ ...other, approvals: readProposal(path).approvals }));
    await expectRefusedUntouched(path, ['governance', 'submit', path, '--sender-key', senderKey, '--api', API], /proposal-\d+\.json: the approval by [0-9a-f]{64} does not verify/);
    expect(calls).toEqual([]);

    const good = proposalFile(3);
    await expectRefusedUntouched(good, ['governance', 'submit', good, '--sender-key', keyFileOf('validator-0'), '--api', API], /holds key [0-9a-f]{64}, but the sender of .* is [0-9a-f]{64}/);
    expect(calls).toEqual([]);
  });
});

describe('governance approve', () => {
  it('adds one approval to an intact file', async () => {
    const path = proposalFile(1);
    await run(['governance', 'approve', path, '--key', keyFileOf('validator-1')]);
    expect(readProposal(path).approvals.map((approval) => approval.publicKey)).toEqual(net.validators.slice(0, 2).map((v) => toHex(v.publicKey)));
  });

  it('leaves a damaged or hand-edited file as it is, naming it and what is wrong', async () => {
    const approve = (path: string) => ['governance', 'approve', path, '--key', keyFileOf('validator-2')];
    const edits: [string, (file: ProposalFile) => unknown, RegExp][] = [
      ['body changed after approvals', (file) => ({ ...file, ...createProposal({ chainId: 'test-chain', sender: sender.publicKey, seq: 0, action: { ...action, power: 1000 } }).file, approvals: file.approvals }), /proposal-\d+\.json: the approval by [0-9a-f]{64} does not verify/],
      ['wrong chain', (file) => ({ ...file, chainId: 'other-chain' }), /proposal-\d+\.json: chainId does not match the transaction body/],
      ['wrong format', (file) => ({ ...file, format: 2 }), /proposal-\d+\.json is not a proposal file of format 1/],
      ['truncated base64', (file) => ({ ...file, body: file.body.slice(0, -3) }), /proposal-\d+\.json: body must be the transaction body in standard base64/],
      ['extra field', (file) => ({ ...file, comment: 'looks fine' }), /proposal-\d+\.json: unknown field comment/],
      ['duplicate approval', (file) => ({ ...file, approvals: [file.approvals[0], file.approvals[0]] }), /proposal-\d+\.json: approvals list key [0-9a-f]{64} twice/],
    ];
    for (const [what, edit, message] of edits) {
      const path = proposalFile(1);
      writeFileSync(path, JSON.stringify(edit(readProposal(path))));
      await expectRefusedUntouched(path, approve(path), message).catch((error: Error) => {
        throw new Error(`${what}: ${error.message}`);
      });
    }

    const cut = proposalFile(1);
    writeFileSync(cut, readFileSync(cut, 'utf8').slice(0, 200));
    await expectRefusedUntouched(cut, approve(cut), /proposal-\d+\.json is not JSON/);
    const huge = proposalFile(1);
    truncateSync(huge, 2 << 20);
    await expectRefusedUntouched(huge, approve(huge), /cannot read the proposal file .*proposal-\d+\.json: it is 2097152 bytes; the proposal file is at most 1048576/);
    const approved = proposalFile(1);
    await expectRefusedUntouched(approved, ['governance', 'approve', approved, '--key', keyFileOf('validator-0')], /already holds an approval by [0-9a-f]{64}/);
  });
});
