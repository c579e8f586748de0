import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@certledger/codec';
import { applyTransaction, GOVERNANCE_KINDS, signTransaction, type GovernanceAction, type GovernanceKind, type State } from '@certledger/ledger';
import { testNetwork, testSigner } from '@certledger/ledger/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  addApproval,
  checkApprovals,
  createProposal,
  parseProposal,
  readProposalFile,
  requireEnoughPower,
  requireValidApprovals,
  tallyApprovals,
  writeProposalFile,
  type Proposal,
  type ProposalFile,
} from './governance-proposal.js';

const net = testNetwork();
const sender = testSigner('governance-sender');
const newValidator = testSigner('validator-new');
const addValidator: GovernanceAction = { kind: 'add-validator', name: 'validator-4', publicKey: newValidator.publicKey, power: 10 };
const validators = net.genesis.validators.map((v) => ({ name: v.name, publicKey: toHex(v.publicKey), power: v.power }));

function propose(action: GovernanceAction = addValidator): Proposal {
  return createProposal({ chainId: net.genesis.chainId, sender: sender.publicKey, seq: 0, action });
}

/** The file as JSON text and back, as it travels between approvers. */
function reread(file: ProposalFile): Proposal {
  return parseProposal(JSON.parse(JSON.stringify(file)), 'p.json');
}

function approvedBy(count: number): Proposal {
  let proposal = propose();
  for (const validator of net.validators.slice(0, count)) proposal = reread(addApproval(proposal, validator, 'p.json'));
  return proposal;
}

describe('governance proposal files', () => {
  it('round trip: a new proposal describes its body, has no approvals and reads back the same', () => {
    const proposal = propose();
    expect(proposal.file).toMatchObject({
      format: 1,
      chainId: 'test-chain',
      kind: 'add-validator',
      summary: `add validator "validator-4" with public key ${toHex(newValidator.publicKey)} and voting power 10`,
      action: { name: 'validator-4', publicKey: toHex(newValidator.publicKey), power: 10 },
      sender: toHex(sender.publicKey),
      seq: 0,
      approvals: [],
    });
    expect(reread(proposal.file).file).toEqual(proposal.file);
  });

  it('approvals gathered through the file make a transaction the ledger applies', () => {
    const proposal = approvedBy(3);
    expect(checkApprovals(proposal).map((check) => check.valid)).toEqual([true, true, true]);
    const tx = signTransaction(proposal.unsigned, sender, proposal.approvals);
    const applied = applyTransaction(net.state, tx, { height: 1, time: net.genesis.genesisTime + 1000 });
    expect(applied.ok, applied.ok ? '' : applied.error.message).toBe(true);
  });

  it('refuses a second approval by the same key', () => {
    const proposal = approvedBy(1);
    expect(() => addApproval(proposal, net.validators[0]!, 'p.json')).toThrow(`p.json already holds an approval by ${toHex(net.validators[0]!.publicKey)}; each validator approves once`);
    const twice = { ...proposal.file, approvals: [proposal.file.approvals[0], proposal.file.approvals[0]] };
    expect(() => parseProposal(twice, 'p.json')).toThrow(/approvals list key [0-9a-f]{64} twice/);
  });

  it('refuses a digest that does not match the body', () => {
    const file = { ...propose().file, approvalDigest: 'ab'.repeat(32) };
    expect(() => parseProposal(file, 'p.json')).toThrow('p.json: approvalDigest does not match the transaction body; the file was changed after it was proposed');
  });

  it('refuses every field changed after proposing, so approvers never see something they do not sign', () => {
    const { file } = propose();
    const changes: [string, Partial<Record<keyof ProposalFile, unknown>>][] = [
      ['summary', { summary: file.summary.replace('power 10', 'power 1') }],
      ['action', { action: { ...file.action, power: 1 } }],
      ['chainId', { chainId: 'other-chain' }],
      ['kind', { kind: 'remove-validator' }],
      ['sender', { sender: toHex(net.validators[0]!.publicKey) }],
      ['seq', { seq: 1 }],
      ['txId', { txId: '00'.repeat(32) }],
    ];
    for (const [field, change] of changes) {
      expect(() => parseProposal({ ...file, ...change }, 'p.json'), field).toThrow(`p.json: ${field} does not match the transaction body`);
    }
  });

  it('refuses a body swapped for another proposal: its approvals no longer verify', () => {
    const approved = approvedBy(2);
    const other = propose({ ...addValidator, power: 1000 }).file;
    const swapped = parseProposal({ ...other, approvals: approved.file.approvals }, 'p.json');
    expect(checkApprovals(swapped).map((check) => check.valid)).toEqual([false, false]);
    expect(() => requireValidApprovals(swapped, 'p.json')).toThrow(/p\.json: the approval by [0-9a-f]{64} does not verify/);
  });

  it('refuses files that are not proposals, naming what is wrong', () => {
    const { file } = propose();
    const body = Buffer.from(file.body, 'base64');
    const { summary: _summary, ...withoutSummary } = file;
    const flipped = Buffer.from(body);
    flipped[flipped.length - 1]! ^= 1;
    const cases: [unknown, RegExp][] = [
      [[], /p\.json is not a proposal file: expected a JSON object/],
      [{ ...file, format: 2 }, /not a proposal file of format 1/],
      [{ ...file, extra: true }, /unknown field extra/],
      [withoutSummary, /missing field summary/],
      [{ ...file, body: 'not base64!' }, /body must be the transaction body in standard base64/],
      [{ ...file, body: body.subarray(0, body.length - 3).toString('base64') }, /body does not hold a governance transaction/],
      [{ ...file, body: flipped.toString('base64') }, /p\.json: (body does not hold a governance transaction|\w+ does not match the transaction body)/],
      [{ ...file, approvals: {} }, /approvals must be a list/],
      [{ ...file, approvals: [{ publicKey: 'ab', signature: 'cd' }] }, /approvals\[0\] must be/],
    ];
    for (const [json, error] of cases) expect(() => parseProposal(json, 'p.json'), JSON.stringify(json).slice(0, 80)).toThrow(error);
  });

  it('refuses an action the ledger would refuse before anyone approves it', () => {
    expect(() => propose({ kind: 'set-type-issuers', typeId: 'driving-licence', version: 1, issuers: ['transport', 'health'] })).toThrow(
      'the set-type-issuers action is not valid: tx.body.action.issuers must be sorted and without repeats',
    );
  });

  it('writes through a temporary file, refusing to overwrite unless asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certledger-proposal-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'p.json');
    const proposal = propose();
    writeProposalFile(path, proposal.file, { replace: false });
    expect(() => writeProposalFile(path, proposal.file, { replace: false })).toThrow(/already exists/);
    const approved = addApproval(proposal, net.validators[0]!, path);
    writeProposalFile(path, approved, { replace: true });
    expect(readProposalFile(path).file).toEqual(approved);
    expect(readdirSync(dir)).toEqual(['p.json']);
    writeFileSync(join(dir, 'broken.json'), readFileSync(path, 'utf8').slice(0, 100));
    expect(() => readProposalFile(join(dir, 'broken.json'))).toThrow(/broken\.json is not JSON/);
    expect(() => readProposalFile(join(dir, 'missing.json'))).toThrow(/cannot read the proposal file .*missing\.json/);
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });
});

/** One action of each kind, in an order the test network applies one after another. */
const EVERY_KIND: readonly GovernanceAction[] = [
  { kind: 'register-issuer', issuerId: 'justice', displayName: 'Ministry of Justice', publicKey: testSigner('issuer-justice').publicKey },
  { kind: 'suspend-issuer', issuerId: 'transport', reason: 'audit' },
  { kind: 'reinstate-issuer', issuerId: 'transport' },
  { kind: 'rotate-issuer-key', issuerId: 'health', newPublicKey: testSigner('issuer-health-2').publicKey, compromisedFromHeight: null },
  { kind: 'register-cert-type', typeId: 'court-order', version: 1, displayName: 'Court order', schemaHash: new Uint8Array(32).fill(7), issuers: ['justice'] },
  { kind: 'set-type-issuers', typeId: 'driving-licence', version: 1, issuers: ['health', 'transport'] },
  addValidator,
  { kind: 'set-validator-power', publicKey: net.validators[1]!.publicKey, power: 20 },
  { kind: 'remove-validator', publicKey: net.validators[3]!.publicKey },
];

describe('proposal files of every governance kind', () => {
  it('covers every kind the ledger has', () => {
    expect(EVERY_KIND.map((action) => action.kind).sort()).toEqual([...GOVERNANCE_KINDS].sort() as GovernanceKind[]);
  });

  it('gather approvals the ledger accepts, and refuse the file damaged in every way, for each kind', () => {
    let state: State = net.state;
    const stranger = testSigner('not-a-validator');
    for (const [seq, action] of EVERY_KIND.entries()) {
      const kind = action.kind;
      let proposal = createProposal({ chainId: net.genesis.chainId, sender: sender.publicKey, seq, action });
      for (const validator of net.validators.slice(0, 3)) proposal = reread(addApproval(proposal, validator, 'p.json'));
      expect(() => requireValidApprovals(proposal, 'p.json'), kind).not.toThrow();
      const tx = signTransaction(proposal.unsigned, sender, proposal.approvals);
      const applied = applyTransaction(state, tx, { height: state.height + 1, time: net.genesis.genesisTime + 1000 * (seq + 1) });
      expect(applied.ok, `${kind}: ${applied.ok ? '' : applied.error.message}`).toBe(true);
      if (applied.ok) state = applied.value.state;

      const { file } = proposal;
      const next = createProposal({ chainId: net.genesis.chainId, sender: sender.publicKey, seq, action: EVERY_KIND[(seq + 1) % EVERY_KIND.length]! }).file;
      const refused: [string, unknown, RegExp][] = [
        ['summary edited', { ...file, summary: `${file.summary} ` }, /p\.json: summary does not match the transaction body/],
        ['action edited', { ...file, action: { ...file.action, extra: 1 } }, /p\.json: action does not match the transaction body/],
        ['body of another proposal', { ...file, body: next.body }, /p\.json: \w+ does not match the transaction body/],
        ['truncated body', { ...file, body: file.body.slice(0, -2) }, /p\.json: body must be the transaction body in standard base64/],
        ['approval listed twice', { ...file, approvals: [...file.approvals, file.approvals[0]] }, /p\.json: approvals list key [0-9a-f]{64} twice/],
        ['approval with an extra field', { ...file, approvals: [{ ...file.approvals[0], note: 'x' }] }, /p\.json: approvals\[0\] must be/],
      ];
      for (const [what, json, message] of refused) expect(() => parseProposal(json, 'p.json'), `${kind}: ${what}`).toThrow(message);

      const movedApprovals = parseProposal({ ...next, approvals: file.approvals }, 'p.json');
      expect(() => requireValidApprovals(movedApprovals, 'p.json'), `${kind}: approvals of another body`).toThrow(/p\.json: the approval by [0-9a-f]{64} does not verify/);
      const withStranger = reread(addApproval(proposal, stranger, 'p.json'));
      expect(() => requireEnoughPower(tallyApprovals(withStranger.approvals, validators)), `${kind}: stranger`).toThrow(`approvals by ${toHex(stranger.publicKey)}, which are not current validators`);
    }
  });
});

describe('voting power behind approvals', () => {
  it('counts more than two thirds as enough and says how much is missing otherwise', () => {
    const two = tallyApprovals(approvedBy(2).approvals, validators);
    expect(two).toMatchObject({ approved: 20, total: 40, needed: 27 });
    expect(() => requireEnoughPower(two)).toThrow(/not enough approvals: approvals carry 20 of 40 voting power \(validator-\d 10, validator-\d 10\); more than two thirds, at least 27, is needed: 7 more/);
    expect(() => requireEnoughPower(tallyApprovals(approvedBy(3).approvals, validators))).not.toThrow();
  });

  it('refuses approvals by keys that are not validators', () => {
    const stranger = testSigner('not-a-validator');
    const proposal = reread(addApproval(approvedBy(3), stranger, 'p.json'));
    expect(() => requireEnoughPower(tallyApprovals(proposal.approvals, validators))).toThrow(`approvals by ${toHex(stranger.publicKey)}, which are not current validators`);
  });
});
