import { toHex } from '@certledger/codec';
import { signerFromSeed } from '@certledger/crypto';
import { readKeyFile } from '@certledger/crypto/keyfile';
import { GOVERNANCE_KINDS, signTransaction, VALIDATOR_SET_DELAY, type GovernanceKind } from '@certledger/ledger';
import { Option, type Command } from 'commander';
import { DEFAULT_API, describeSubmission, fetchChainId, fetchNextSeq, fetchValidators, submitTransaction } from '../api-client.js';
import { ACTION_FLAGS, actionFromOptions, hasActionOptions, KINDS, readActionJsonFile, type ActionOptions } from '../governance-actions.js';
import { addApproval, checkApprovals, createProposal, describeTally, readProposalFile, requireEnoughPower, requireValidApprovals, tallyApprovals, writeProposalFile, type PowerTally, type Proposal } from '../governance-proposal.js';
import { readAnyPublicKey } from '../key-files.js';
import { parseApiUrl, parseIdentifier, parseInteger } from '../options.js';

const VALIDATOR_SET_KINDS: readonly GovernanceKind[] = ['add-validator', 'remove-validator', 'set-validator-power'];

interface ProposeOptions extends ActionOptions {
  actionJson?: string;
  senderKey: string;
  seq?: number;
  chainId?: string;
  api?: string;
  out: string;
}

/** The chain of --chain-id, or of the node at --api; both given must agree. */
async function chainIdFor(options: ProposeOptions): Promise<string> {
  if (!options.api) return options.chainId as string;
  const served = await fetchChainId(options.api);
  if (options.chainId !== undefined && options.chainId !== served) throw new Error(`--chain-id is "${options.chainId}", but ${options.api} serves chain "${served}"`);
  return served;
}

async function writeNewProposal(kind: GovernanceKind, options: ProposeOptions): Promise<void> {
  if (options.actionJson && hasActionOptions(kind, options)) throw new Error(`--action-json replaces the options of ${kind}; give one or the other`);
  if (options.chainId === undefined && !options.api) throw new Error('give --chain-id <id>, or --api <url> to read it from a node');
  if (options.seq === undefined && !options.api) throw new Error("give --seq <n>, or --api <url> to read the sender's next sequence number from a node");
  const action = options.actionJson ? readActionJsonFile(kind, options.actionJson) : actionFromOptions(kind, options);
  const sender = readAnyPublicKey(options.senderKey).publicKey;
  const chainId = await chainIdFor(options);
  const seq = options.seq ?? (await fetchNextSeq(options.api as string, sender));
  const proposal = createProposal({ chainId, sender, seq, action });
  writeProposalFile(options.out, proposal.file, { replace: false });
  process.stdout.write(
    `wrote ${options.out}\n${describeProposal(proposal)}` +
      `validators approve it with: certledger governance approve ${options.out} --key <validator key file>\n`,
  );
}

function describeProposal(proposal: Proposal): string {
  const { file } = proposal;
  return [
    `proposal   ${file.kind} on chain ${file.chainId}`,
    `action     ${file.summary}`,
    `sender     ${file.sender}, sequence ${file.seq}`,
    `tx id      ${file.txId}`,
    `digest     ${file.approvalDigest} (what approvers sign)`,
    '',
  ].join('\n');
}

/** Refuses a node of another chain, before anything is compared with or sent to it. */
async function requireSameChain(api: string, proposal: Proposal, name: string): Promise<void> {
  const served = await fetchChainId(api);
  if (served !== proposal.file.chainId) throw new Error(`${name} is for chain "${proposal.file.chainId}", but ${api} serves chain "${served}"`);
}

function approvalLines(proposal: Proposal, tally: PowerTally | undefined): string {
  const names = new Map(tally?.approvers.map((validator) => [validator.publicKey, `${validator.name}, power ${validator.power}`]));
  const lines = checkApprovals(proposal).map(({ approval, valid }) => {
    const key = toHex(approval.publicKey);
    const who = tally ? `  ${names.get(key) ?? 'not a current validator'}` : '';
    return `  ${valid ? '✓' : '✗ does not verify:'} ${key}${who}\n`;
  });
  return `approvals  ${proposal.approvals.length}\n${lines.join('')}${tally ? `${describeTally(tally)}\n` : ''}`;
}

function registerPropose(governance: Command): void {
  const propose = governance
    .command('propose')
    .description('write a proposal file: the unsigned governance transaction, what it does, and an empty list of approvals');
  for (const kind of GOVERNANCE_KINDS) {
    const command = propose.command(kind).description(KINDS[kind].description);
    for (const [key, description] of KINDS[kind].options) {
      const { flags, parse } = ACTION_FLAGS[key];
      const option = new Option(flags, description);
      command.addOption(parse ? option.argParser(parse) : option);
    }
    command
      .option('--action-json <file>', "instead of the options above: the action's fields as JSON (bytes as hex), as the proposal file's \"action\" shows them")
      .requiredOption('--sender-key <file>', 'the key file (secret or public) of whoever will submit the transaction')
      .option('--seq <n>', "the sender's next sequence number (default: ask --api)", parseInteger(0, Number.MAX_SAFE_INTEGER))
      .option('--chain-id <id>', 'the chain (default: ask --api)', parseIdentifier)
      .option('--api <url>', "a node HTTP API to read the chain id and the sender's next sequence number from", parseApiUrl)
      .requiredOption('--out <file>', 'the new proposal file')
      .action((options: ProposeOptions) => writeNewProposal(kind, options));
  }
  // Only a missing or unknown kind gets here: say which kinds there are.
  propose
    .argument('[kind]', GOVERNANCE_KINDS.join(', '))
    .allowUnknownOption()
    .allowExcessArguments()
    .action((kind: string | undefined) => {
      throw new Error(`${kind === undefined ? 'say which action to propose' : `"${kind}" is not a governance action`}: one of ${GOVERNANCE_KINDS.join(', ')}`);
    });
}

export function registerGovernanceCommands(program: Command): void {
  const governance = program.command('governance').description('Propose governance transactions, gather validator approvals, submit them');
  registerPropose(governance);

  governance
    .command('approve')
    .description('check a proposal file, show what it does and add your approval to it (signs its approval digest)')
    .argument('<proposal>', 'the proposal file; rewritten in place')
    .requiredOption('--key <file>', "the approving validator's secret key file")
    .action((file: string, options: { key: string }) => {
      const proposal = readProposalFile(file);
      requireValidApprovals(proposal, file);
      const key = readKeyFile(options.key);
      const approved = addApproval(proposal, signerFromSeed(key.secretKey), file);
      process.stdout.write(describeProposal(proposal));
      writeProposalFile(file, approved, { replace: true });
      process.stdout.write(`approved by ${toHex(key.publicKey)}; ${file} holds ${approved.approvals.length} approval${approved.approvals.length === 1 ? '' : 's'}\n`);
    });

  governance
    .command('show')
    .description('show what a proposal does and its approvals, each checked; exit 1 if one does not verify')
    .argument('<proposal>', 'the proposal file')
    .option('--api <url>', "also name each approver among the node's validators and tally their voting power", parseApiUrl)
    .action(async (file: string, options: { api?: string }) => {
      const proposal = readProposalFile(file);
      let tally: PowerTally | undefined;
      if (options.api) {
        await requireSameChain(options.api, proposal, file);
        tally = tallyApprovals(proposal.approvals, await fetchValidators(options.api));
      }
      process.stdout.write(describeProposal(proposal) + approvalLines(proposal, tally));
      requireValidApprovals(proposal, file);
    });

  governance
    .command('submit')
    .description('check the approvals (signatures, and voting power against the node\'s validators), sign as the sender and submit')
    .argument('<proposal>', 'the proposal file')
    .requiredOption('--sender-key <file>', "the sender's secret key file (the sender the proposal names)")
    .option('--api <url>', 'the node HTTP API', parseApiUrl, DEFAULT_API)
    .option('--wait <seconds>', 'wait this long for the commit, 0 to 60', parseInteger(0, 60), 20)
    .action(async (file: string, options: { senderKey: string; api: string; wait: number }) => {
      const proposal = readProposalFile(file);
      requireValidApprovals(proposal, file);
      const key = readKeyFile(options.senderKey);
      if (toHex(key.publicKey) !== proposal.file.sender) {
        throw new Error(`${options.senderKey} holds key ${toHex(key.publicKey)}, but the sender of ${file} is ${proposal.file.sender}`);
      }
      await requireSameChain(options.api, proposal, file);
      const tally = tallyApprovals(proposal.approvals, await fetchValidators(options.api));
      requireEnoughPower(tally);
      process.stdout.write(`${describeTally(tally)}\n`);
      const tx = signTransaction(proposal.unsigned, signerFromSeed(key.secretKey), proposal.approvals);
      const submitted = await submitTransaction(options.api, tx, options.wait);
      process.stdout.write(`${describeSubmission(submitted, options.api)}\n`);
      if ('height' in submitted && VALIDATOR_SET_KINDS.includes(proposal.file.kind)) {
        process.stdout.write(`the validator set changes from height ${submitted.height + VALIDATOR_SET_DELAY}\n`);
      }
    });
}
