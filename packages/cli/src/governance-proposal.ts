import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { encode, fromHex, toHex } from '@certledger/codec';
import { verify, type Signer } from '@certledger/crypto';
import {
  approveGovernance,
  decodeTransaction,
  governanceApprovalDigest,
  isGovernanceAction,
  prepareTransaction,
  txId,
  type Approval,
  type GovernanceAction,
  type GovernanceKind,
  type TxBody,
  type UnsignedTx,
} from '@certledger/ledger';
import { readJsonFile } from '@certledger/node/files';
import type { ValidatorAnswer } from './api-client.js';
import { decodeBase64 } from './base64.js';
import { actionToJson, describeAction, type ActionJson } from './governance-actions.js';

export const PROPOSAL_FORMAT = 1;
const MAX_PROPOSAL_FILE_BYTES = 1 << 20;

/** Hex, as the file holds them. */
export interface ApprovalEntry {
  readonly publicKey: string;
  readonly signature: string;
}

/**
 * A proposal file: an unsigned governance transaction and the approvals gathered for it.
 * Everything but `approvals` follows from `body`, and is checked against it when read.
 */
export interface ProposalFile {
  readonly format: typeof PROPOSAL_FORMAT;
  readonly chainId: string;
  readonly kind: GovernanceKind;
  /** What the action does, in words, for the people who approve it. */
  readonly summary: string;
  /** The action's fields, bytes in hex (the form --action-json takes). */
  readonly action: ActionJson;
  readonly sender: string;
  readonly seq: number;
  readonly txId: string;
  /** The transaction body, base64: the bytes the sender signs and approvals are about. */
  readonly body: string;
  /** taggedHash('governance-approval', body): what each approving validator signs. */
  readonly approvalDigest: string;
  readonly approvals: readonly ApprovalEntry[];
}

export interface Proposal {
  readonly file: ProposalFile;
  readonly unsigned: UnsignedTx;
  readonly approvals: readonly Approval[];
}

const FIELDS = ['format', 'chainId', 'kind', 'summary', 'action', 'sender', 'seq', 'txId', 'body', 'approvalDigest', 'approvals'];

/**
 * Reads body bytes exactly as the ledger reads a transaction's body: wrapped in a transaction
 * with a placeholder signature, which the decoder checks for structure only.
 */
function decodeGovernanceBody(bodyBytes: Uint8Array): TxBody & { readonly action: GovernanceAction } {
  const decoded = decodeTransaction(encode([bodyBytes, new Uint8Array(64), []]));
  if (!decoded.ok) throw new Error(decoded.error.message);
  const { body } = decoded.value;
  if (!isGovernanceAction(body.action)) throw new Error(`it is a ${body.action.kind} transaction, not a governance action`);
  return body as TxBody & { readonly action: GovernanceAction };
}

function proposalOf(bodyBytes: Uint8Array, approvals: readonly ApprovalEntry[]): Proposal {
  const body = decodeGovernanceBody(bodyBytes);
  const file: ProposalFile = {
    format: PROPOSAL_FORMAT,
    chainId: body.chainId,
    kind: body.action.kind,
    summary: describeAction(body.action),
    action: actionToJson(body.action),
    sender: toHex(body.sender),
    seq: body.seq,
    txId: toHex(txId(bodyBytes)),
    body: Buffer.from(bodyBytes).toString('base64'),
    approvalDigest: toHex(governanceApprovalDigest(bodyBytes)),
    approvals,
  };
  const decodedApprovals = approvals.map((entry) => ({ publicKey: fromHex(entry.publicKey), signature: fromHex(entry.signature) }));
  return { file, unsigned: { body, bodyBytes }, approvals: decodedApprovals };
}

/**
 * A new proposal without approvals. The action is checked by encoding it and reading it back
 * as the ledger does, so a proposal never gathers approvals for a transaction nodes refuse.
 */
export function createProposal(body: TxBody): Proposal {
  let unsigned: UnsignedTx;
  try {
    unsigned = prepareTransaction(body);
  } catch (error) {
    throw new Error(`the ${body.action.kind} action is not valid: ${(error as Error).message}`);
  }
  return proposalOf(unsigned.bodyBytes, []);
}

function readApprovalEntries(value: unknown, name: string): ApprovalEntry[] {
  if (!Array.isArray(value)) throw new Error(`${name}: approvals must be a list`);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const fields = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? Object.keys(entry).sort().join(',') : '';
    const { publicKey, signature } = entry as Record<string, unknown>;
    if (fields !== 'publicKey,signature' || typeof publicKey !== 'string' || typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(publicKey) || !/^[0-9a-f]{128}$/.test(signature)) {
      throw new Error(`${name}: approvals[${i}] must be { "publicKey": 64 lowercase hex digits, "signature": 128 lowercase hex digits }`);
    }
    if (seen.has(publicKey)) throw new Error(`${name}: approvals list key ${publicKey} twice; each validator approves once`);
    seen.add(publicKey);
    return { publicKey, signature };
  });
}

/**
 * A proposal from a file's JSON, refused unless every field is the one its body gives: a
 * summary or digest edited after proposing would show approvers something they do not sign.
 * Approval signatures are not checked here (see `checkApprovals`).
 */
export function parseProposal(json: unknown, name: string): Proposal {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${name} is not a proposal file: expected a JSON object`);
  const fields = json as Record<string, unknown>;
  if (fields.format !== PROPOSAL_FORMAT) throw new Error(`${name} is not a proposal file of format ${PROPOSAL_FORMAT} (as certledger governance propose writes)`);
  const unknown = Object.keys(fields).filter((key) => !FIELDS.includes(key));
  const missing = FIELDS.filter((key) => !(key in fields));
  if (unknown.length > 0 || missing.length > 0) {
    throw new Error(`${name}: ${unknown.length > 0 ? `unknown field ${unknown.join(', ')}` : `missing field ${missing.join(', ')}`}; a proposal file holds ${FIELDS.join(', ')}`);
  }
  const bodyBytes = typeof fields.body === 'string' ? decodeBase64(fields.body) : undefined;
  if (!bodyBytes) throw new Error(`${name}: body must be the transaction body in standard base64`);
  const approvals = readApprovalEntries(fields.approvals, name);
  let proposal: Proposal;
  try {
    proposal = proposalOf(bodyBytes, approvals);
  } catch (error) {
    throw new Error(`${name}: body does not hold a governance transaction: ${(error as Error).message}`);
  }
  for (const field of FIELDS) {
    if (!isDeepStrictEqual(fields[field], proposal.file[field as keyof ProposalFile])) {
      throw new Error(`${name}: ${field} does not match the transaction body; the file was changed after it was proposed, so get a fresh copy from its author`);
    }
  }
  return proposal;
}

export function readProposalFile(file: string): Proposal {
  return parseProposal(readJsonFile(file, 'the proposal file', MAX_PROPOSAL_FILE_BYTES), file);
}

export interface ApprovalCheck {
  readonly approval: Approval;
  /** Whether the signature is this key's over the proposal's approval digest. */
  readonly valid: boolean;
}

export function checkApprovals(proposal: Proposal): ApprovalCheck[] {
  const digest = governanceApprovalDigest(proposal.unsigned.bodyBytes);
  return proposal.approvals.map((approval) => ({ approval, valid: verify(approval.signature, digest, approval.publicKey) }));
}

/** Refuses a proposal holding an approval that does not verify: the ledger would refuse the whole transaction. */
export function requireValidApprovals(proposal: Proposal, name: string): void {
  const invalid = checkApprovals(proposal).find((check) => !check.valid);
  if (invalid) {
    throw new Error(`${name}: the approval by ${toHex(invalid.approval.publicKey)} does not verify (it is not that key's signature of this proposal); remove it from approvals`);
  }
}

/** The file with one more approval, signed by `approver`; a key approves once. */
export function addApproval(proposal: Proposal, approver: Signer, name: string): ProposalFile {
  const publicKey = toHex(approver.publicKey);
  if (proposal.file.approvals.some((entry) => entry.publicKey === publicKey)) throw new Error(`${name} already holds an approval by ${publicKey}; each validator approves once`);
  const approval = approveGovernance(proposal.unsigned, approver);
  return { ...proposal.file, approvals: [...proposal.file.approvals, { publicKey, signature: toHex(approval.signature) }] };
}

/**
 * Writes the file through a synced temporary file and a rename, so an interrupted run leaves
 * the old file or the new one, never half of one. `replace: false` refuses an existing file.
 */
export function writeProposalFile(path: string, file: ProposalFile, options: { replace: boolean }): void {
  if (!options.replace && existsSync(path)) throw new Error(`${path} already exists; choose a new file for the proposal so nothing is overwritten`);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, `${JSON.stringify(file, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Error(`cannot write ${path}: ${(error as Error).message}`);
  }
}

export interface PowerTally {
  readonly approved: number;
  readonly total: number;
  /** The least power that is more than two thirds of the total. */
  readonly needed: number;
  /** Approving validators; approving keys that are not validators are in `strangers` (hex). */
  readonly approvers: readonly ValidatorAnswer[];
  readonly strangers: readonly string[];
}

/** The voting power behind the approvals, against the validators in force now. */
export function tallyApprovals(approvals: readonly Approval[], validators: readonly ValidatorAnswer[]): PowerTally {
  const byKey = new Map(validators.map((validator) => [validator.publicKey, validator]));
  const approvers: ValidatorAnswer[] = [];
  const strangers: string[] = [];
  for (const approval of approvals) {
    const key = toHex(approval.publicKey);
    const validator = byKey.get(key);
    if (validator) approvers.push(validator);
    else strangers.push(key);
  }
  const total = validators.reduce((sum, validator) => sum + validator.power, 0);
  const approved = approvers.reduce((sum, validator) => sum + validator.power, 0);
  return { approved, total, needed: Math.floor((total * 2) / 3) + 1, approvers, strangers };
}

export function describeTally(tally: PowerTally): string {
  const who = tally.approvers.map((validator) => `${validator.name} ${validator.power}`).join(', ');
  const approved = `approvals carry ${tally.approved} of ${tally.total} voting power${who ? ` (${who})` : ''}`;
  return tally.approved >= tally.needed ? `${approved}: more than two thirds, enough` : `${approved}; more than two thirds, at least ${tally.needed}, is needed: ${tally.needed - tally.approved} more`;
}

/** Refuses before sending what the ledger would refuse: approvals by non-validators, or too little power. */
export function requireEnoughPower(tally: PowerTally): void {
  if (tally.strangers.length > 0) throw new Error(`approvals by ${tally.strangers.join(', ')}, which are not current validators; the ledger refuses them, so remove them from the proposal`);
  if (tally.approved < tally.needed) throw new Error(`not enough approvals: ${describeTally(tally)}`);
}
