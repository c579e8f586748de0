import { CodecError, decode, encode, readArray, readBytes, readTuple, readUint } from '@certledger/codec';
import type { LedgerStore } from '@certledger/store';
import type { Logger } from './logger.js';

/** Blocks answered per sync request, and the byte budget of one answer. */
export const SYNC_BATCH_BLOCKS = 64;
const SYNC_REQUEST_TIMEOUT_MS = 10_000;
/** Values a sync request holds when decoded: its array, the first height and the block count. */
const SYNC_REQUEST_VALUES = 3;
/**
 * Values a sync answer may hold when decoded: its array, and per block a pair of byte strings
 * (the block and its commit, each decoded later under its own bound). Answers hold at most
 * SYNC_BATCH_BLOCKS blocks, so this is the largest honest answer.
 */
const SYNC_ANSWER_VALUES = 1 + 3 * SYNC_BATCH_BLOCKS;

export interface SyncTransport {
  request(peerHex: string, payload: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
}

export interface SyncedBlock {
  readonly block: Uint8Array;
  readonly commit: Uint8Array;
}

export function encodeSyncRequest(fromHeight: number, maxBlocks: number): Uint8Array {
  return encode([fromHeight, maxBlocks]);
}

/** Serves a peer's request for blocks from a height: stored blocks with their commits, within a byte budget. */
export async function answerSyncRequest(store: LedgerStore, payload: Uint8Array, maxAnswerBytes: number): Promise<Uint8Array> {
  const [fromValue, countValue] = readTuple(decode(payload, { maxBytes: 64, maxValues: SYNC_REQUEST_VALUES }), 2, 'sync request');
  const from = readUint(fromValue!, 'sync request height');
  const count = Math.min(readUint(countValue!, 'sync request block count'), SYNC_BATCH_BLOCKS);
  const blocks: [Uint8Array, Uint8Array][] = [];
  let bytes = 64;
  for await (const { block, commit } of store.blocksFrom(Math.max(from, 1), from + count - 1)) {
    bytes += block.length + commit.length + 16;
    if (bytes > maxAnswerBytes && blocks.length > 0) break;
    blocks.push([block, commit]);
  }
  return encode(blocks);
}

export function decodeSyncAnswer(bytes: Uint8Array, maxBytes: number): SyncedBlock[] {
  try {
    return readArray(decode(bytes, { maxBytes, maxValues: SYNC_ANSWER_VALUES }), SYNC_BATCH_BLOCKS, 'sync answer').map((entry, i) => {
      const [block, commit] = readTuple(entry, 2, `sync answer block ${i}`);
      return { block: readBytes(block!, `sync answer block ${i}`, undefined, maxBytes), commit: readBytes(commit!, `sync answer commit ${i}`, undefined, maxBytes) };
    });
  } catch (error) {
    if (error instanceof CodecError) throw new Error(`peer sent a malformed sync answer: ${error.message}`);
    throw error;
  }
}

/**
 * Fetches blocks a node lacks from a peer that is ahead, one batch at a time, and hands each
 * to `apply` (which verifies its commit certificate and commits it). One sync runs at a time;
 * a peer that answers garbage or a block that does not verify ends the sync with a log line.
 */
export class BlockSync {
  #running = false;

  constructor(
    private readonly transport: SyncTransport,
    private readonly nextHeight: () => number,
    private readonly apply: (block: SyncedBlock) => Promise<boolean>,
    private readonly maxAnswerBytes: number,
    private readonly log: Logger,
    private readonly onProgress: (syncing: boolean) => void,
  ) {}

  get running(): boolean {
    return this.#running;
  }

  syncFrom(peerHex: string): void {
    if (this.#running) return;
    this.#running = true;
    this.onProgress(true);
    this.#run(peerHex)
      .catch((error: unknown) => this.log.warn({ peer: peerHex.slice(0, 16), err: error instanceof Error ? error.message : String(error) }, 'block sync stopped'))
      .finally(() => {
        this.#running = false;
        this.onProgress(false);
      });
  }

  async #run(peerHex: string): Promise<void> {
    const started = this.nextHeight();
    for (;;) {
      const from = this.nextHeight();
      const answer = await this.transport.request(peerHex, encodeSyncRequest(from, SYNC_BATCH_BLOCKS), SYNC_REQUEST_TIMEOUT_MS);
      const blocks = decodeSyncAnswer(answer, this.maxAnswerBytes);
      let applied = 0;
      for (const block of blocks) if (await this.apply(block)) applied++;
      if (applied === 0) break;
      this.log.info({ peer: peerHex.slice(0, 16), from, to: this.nextHeight() - 1 }, 'synced blocks');
    }
    if (this.nextHeight() > started) this.log.info({ height: this.nextHeight() - 1 }, 'block sync caught up');
  }
}
