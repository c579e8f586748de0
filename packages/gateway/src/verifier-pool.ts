import { Worker } from 'node:worker_threads';
import type { FileVerdict } from '@certledger/certs';

/** One certificate to check: the job's number, the request body as received (JSON text), the moment to judge dates at unless the body names one. */
export type VerifierJob = readonly [id: number, body: string | undefined, now: number];
/** A worker's answer to a job: its verdict, the reason the body was refused, or the message of what went wrong. */
export type VerifierAnswer = readonly [id: number, verdict: FileVerdict | { readonly rejected: { readonly code: string; readonly message: string } } | { readonly error: string }];

/** A body that is not a verify request (not JSON, or not the schema's shape): answered 400 with this code and sentence. */
export class VerifyBodyRejectedError extends Error {
  override readonly name = 'VerifyBodyRejectedError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Why a job got no verdict: every worker is busy with as many as the pool takes, or a worker stopped. */
export class VerifierUnavailableError extends Error {
  override readonly name = 'VerifierUnavailableError';
}

interface Waiting {
  readonly resolve: (verdict: FileVerdict) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly waiting: Map<number, Waiting>;
  outbox: VerifierJob[];
}

/**
 * Jobs per message, at most: the thread answers a message as a whole, so one long message
 * would hold back its first answers while the event loop idles.
 */
const MAX_BATCH = 8;

const WORKER_ENTRY = new URL('./verifier-thread.mjs', import.meta.url);

/**
 * Worker threads that check certificate files (everything that needs no ledger: parsing,
 * field digests, the Merkle path, the signature, dates), so a surge of POST /v1/verify costs
 * the event loop, which the node's consensus shares, only the HTTP and the ledger lookups.
 * Jobs that arrive together go to a worker in a few messages. Workers start on first use; one
 * that fails is replaced, and its jobs fail with VerifierUnavailableError, as do jobs beyond
 * `maxWaiting`, the load the pool takes before it sheds.
 */
export class VerifierPool {
  readonly #slots: (Slot | undefined)[];
  readonly #maxWaiting: number;
  #waiting = 0;
  #nextId = 0;
  #flushScheduled = false;
  #closed = false;

  constructor(threads: number, maxWaiting: number) {
    this.#slots = new Array<Slot | undefined>(threads).fill(undefined);
    this.#maxWaiting = maxWaiting;
  }

  /**
   * The file checks of the certificate in `body` (the JSON text of a POST /v1/verify body, read
   * and validated in the thread; undefined when the request had none), judged at its `at` or
   * else at `now`.
   */
  check(body: string | undefined, now: number): Promise<FileVerdict> {
    if (this.#closed) return Promise.reject(new VerifierUnavailableError('the gateway is shutting down'));
    if (this.#waiting >= this.#maxWaiting) return Promise.reject(new VerifierUnavailableError(`${this.#waiting} certificates are waiting to be checked`));
    const slot = this.#leastBusy();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      this.#waiting++;
      slot.outbox.push([id, body, now]);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Stops the workers; jobs still waiting fail. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((slot, i) => slot && this.#retire(i, slot, 'the gateway is shutting down').worker.terminate()));
  }

  #leastBusy(): Slot {
    let best = 0;
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[i];
      if (!slot) return this.#start(i);
      if (slot.waiting.size < this.#slots[best]!.waiting.size) best = i;
    }
    return this.#slots[best]!;
  }

  #start(index: number): Slot {
    // Its own tsx registration (verifier-thread.mjs), not the parent's command-line flags.
    const worker = new Worker(WORKER_ENTRY, { execArgv: [] });
    const slot: Slot = { worker, waiting: new Map(), outbox: [] };
    worker.on('message', (answers: VerifierAnswer[]) => this.#settle(slot, answers));
    worker.on('error', (error) => this.#retire(index, slot, `a verifier thread failed: ${error.message}`));
    worker.on('exit', (code) => this.#retire(index, slot, `a verifier thread stopped (exit code ${code})`));
    // The event loop may end while workers idle; a gateway's server keeps the process alive.
    worker.unref();
    this.#slots[index] = slot;
    return slot;
  }

  #flush(): void {
    this.#flushScheduled = false;
    for (const slot of this.#slots) {
      if (!slot || slot.outbox.length === 0) continue;
      const jobs = slot.outbox;
      for (let i = 0; i < jobs.length; i += MAX_BATCH) slot.worker.postMessage(jobs.slice(i, i + MAX_BATCH));
      slot.outbox = [];
    }
  }

  #settle(slot: Slot, answers: readonly VerifierAnswer[]): void {
    for (const [id, verdict] of answers) {
      const waiting = slot.waiting.get(id);
      if (!waiting) continue;
      slot.waiting.delete(id);
      this.#waiting--;
      if ('error' in verdict) waiting.reject(new Error(verdict.error));
      else if ('rejected' in verdict) waiting.reject(new VerifyBodyRejectedError(verdict.rejected.code, verdict.rejected.message));
      else waiting.resolve(verdict);
    }
  }

  /** Takes a failed or stopped worker out of the pool (the next job starts another) and fails its jobs. */
  #retire(index: number, slot: Slot, why: string): Slot {
    if (this.#slots[index] === slot) this.#slots[index] = undefined;
    for (const waiting of slot.waiting.values()) waiting.reject(new VerifierUnavailableError(why));
    this.#waiting -= slot.waiting.size;
    slot.waiting.clear();
    slot.outbox = [];
    return slot;
  }
}
