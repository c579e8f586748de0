import { readFileSync } from 'node:fs';
import { bytesEqual, toHex } from '@certledger/codec';
import { decodeBlock, parseGenesis, stateRoot, type Block, type Genesis } from '@certledger/ledger';
import { LedgerStore } from '@certledger/store';
import type { AcknowledgedAnchor } from './anchor-load.js';
import { sleep, type DevnetProcesses } from './devnet-processes.js';

/** The line a node logs when it stores proof that a validator signed conflicting messages. */
const EVIDENCE_LOG_MESSAGE = 'signed conflicting messages';
/** Problems of one kind listed in full before the rest are only counted. */
const MAX_LISTED = 5;

export interface StoreCheck {
  readonly commonHeight: number;
  /** Heights below the common height where the validators hold different blocks. */
  readonly forks: number;
  /** Evidence records kept by all validators together. */
  readonly evidence: number;
  readonly anchorsOnEveryNode: number;
  readonly problems: readonly string[];
}

/** Waits until every validator holds at least `height`; answers the ones that do not, by then. */
export async function awaitHeight(devnet: DevnetProcesses, height: number, timeoutMs: number): Promise<string[]> {
  const all = [...Array(devnet.size).keys()];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const heights = await devnet.heights(all);
    const behind = all.filter((i) => heights[i]! < height);
    if (behind.length === 0) return [];
    if (Date.now() > deadline) return behind.map((i) => `validator ${i} is at height ${heights[i]}, short of ${height} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function readGenesis(devnet: DevnetProcesses): Genesis {
  const parsed = parseGenesis(JSON.parse(readFileSync(`${devnet.dir}/genesis.json`, 'utf8')));
  if (!parsed.ok) throw new Error(`the devnet's genesis does not parse: ${parsed.error.message}`);
  return parsed.value;
}

async function blockAt(store: LedgerStore, height: number, genesis: Genesis): Promise<Block> {
  const bytes = await store.getBlock(height);
  if (!bytes) throw new Error(`block ${height} is missing below the head ${store.height}`);
  const decoded = decodeBlock(bytes, genesis.params.maxBlockBytes);
  if (!decoded.ok) throw new Error(`block ${height} does not decode: ${decoded.error.message}`);
  return decoded.value;
}

/** Each store's chain links up and its stored state is the one its head block names. */
async function checkOwnChain(store: LedgerStore, genesis: Genesis): Promise<string[]> {
  const problems: string[] = [];
  let previous: Block | undefined;
  for (let h = 1; h <= store.height; h++) {
    const block = await blockAt(store, h, genesis);
    if (previous && !bytesEqual(block.header.previousHash, previous.hash)) problems.push(`block ${h} does not follow block ${h - 1}`);
    previous = block;
  }
  if (previous) {
    const root = stateRoot(await store.loadState(genesis));
    if (!bytesEqual(root, previous.header.stateRoot)) problems.push(`the stored state root ${toHex(root)} is not the head block's ${toHex(previous.header.stateRoot)}`);
  }
  return problems;
}

/**
 * Opens every stopped validator's LevelDB store and checks: the chains agree block by block up
 * to the common height (and so on the state root there), each store's state matches its head,
 * every acknowledged anchor is on every node, and no validator kept evidence of a double sign.
 */
export async function checkStores(devnet: DevnetProcesses, acknowledged: readonly AcknowledgedAnchor[]): Promise<StoreCheck> {
  const genesis = readGenesis(devnet);
  const stores: LedgerStore[] = [];
  try {
    for (let i = 0; i < devnet.size; i++) stores.push(await LedgerStore.open(devnet.dataDir(i), genesis));
    const problems: string[] = [];
    for (const [i, store] of stores.entries()) for (const problem of await checkOwnChain(store, genesis)) problems.push(`validator ${i}: ${problem}`);

    const commonHeight = Math.min(...stores.map((s) => s.height));
    let forks = 0;
    for (let h = 1; h <= commonHeight; h++) {
      const blocks = await Promise.all(stores.map((s) => blockAt(s, h, genesis)));
      if (new Set(blocks.map((b) => toHex(b.hash))).size === 1) continue;
      if (++forks <= MAX_LISTED) problems.push(`fork at height ${h}: ${blocks.map((b, i) => `validator ${i} ${toHex(b.hash).slice(0, 16)} (state ${toHex(b.header.stateRoot).slice(0, 16)})`).join(', ')}`);
    }

    let anchorsOnEveryNode = 0;
    let missing = 0;
    for (const anchor of acknowledged) {
      const where = await Promise.all(stores.map((s) => anchorOn(s, anchor)));
      if (where.every((w) => w === 'present')) anchorsOnEveryNode++;
      else if (++missing <= MAX_LISTED) problems.push(`acknowledged anchor ${anchor.root} (tx ${anchor.id}, ${anchor.sender} seq ${anchor.seq}, height ${anchor.height}): ${where.map((w, i) => `validator ${i} ${w}`).join(', ')}`);
    }
    if (missing > MAX_LISTED) problems.push(`...and ${missing - MAX_LISTED} more acknowledged anchors missing`);

    const evidence = (await Promise.all(stores.map((s) => s.listEvidence()))).map((list) => list.length);
    for (const [i, count] of evidence.entries()) if (count > 0) problems.push(`validator ${i} holds ${count} evidence records of a double sign`);
    return { commonHeight, forks, evidence: evidence.reduce((a, b) => a + b, 0), anchorsOnEveryNode, problems };
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

async function anchorOn(store: LedgerStore, anchor: AcknowledgedAnchor): Promise<string> {
  const tx = await store.getTx(anchor.id);
  if (!tx) return 'lacks the transaction';
  if (tx.height !== anchor.height) return `has it at height ${tx.height}, not ${anchor.height}`;
  const record = await store.getAnchor(anchor.root);
  if (!record) return 'lacks the anchor';
  return toHex(record.txId) === anchor.id ? 'present' : `has the root anchored by tx ${toHex(record.txId)}`;
}

/**
 * Lines of the validators' logs reporting a double sign, and error lines (pino level 50 and up,
 * or anything not JSON, such as a crash's stack trace), as `validator i: line`.
 */
export function scanLogs(devnet: DevnetProcesses): { evidence: string[]; errors: string[] } {
  const evidence: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < devnet.size; i++) {
    for (const line of readFileSync(devnet.logFile(i), 'utf8').split('\n')) {
      if (line.includes(EVIDENCE_LOG_MESSAGE)) evidence.push(`validator ${i}: ${line}`);
      else if (/"level":(50|60)\b/.test(line) || (line.trim() !== '' && !line.startsWith('{'))) errors.push(`validator ${i}: ${line}`);
    }
  }
  return { evidence, errors };
}
