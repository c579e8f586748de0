import { sha256, toHex } from '@certledger/codec';
import { testAnchorTx } from '@certledger/ledger/testing';
import { sleep, type DevnetProcesses } from './devnet-processes.js';
import type { SeededRandom } from './seeded-random.js';

/** An anchor a gateway answered 201 for: a promise that it is committed for good. */
export interface AcknowledgedAnchor {
  readonly id: string;
  readonly root: string;
  readonly height: number;
  readonly sender: string;
  readonly seq: number;
}

/** Seconds a gateway waits for the commit before answering 202. */
const WAIT_SECONDS = 4;
/** A request to a frozen or dying node gives up after this long. */
const REQUEST_TIMEOUT_MS = (WAIT_SECONDS + 2) * 1000;
const RETRY_PAUSE_MS = 100;

/**
 * Steady anchoring through the validators' gateways: one lane per sending department, each
 * with one transaction in flight, so at most `lanes` are in flight. A lane resubmits the same
 * bytes (to a random validator) until one answers 201, so its sequence never has a gap; only
 * 201s are recorded as acknowledged.
 */
export class AnchorLoad {
  readonly acknowledged: AcknowledgedAnchor[] = [];
  /** 202s, refusals, refused connections and timeouts: answers that promise nothing. */
  unacknowledgedAnswers = 0;
  /** Transactions still unacknowledged when the load stopped. */
  abandoned = 0;
  readonly #devnet: DevnetProcesses;
  readonly #random: SeededRandom;
  readonly #lanes: Promise<void>[] = [];
  #stopped = false;

  constructor(devnet: DevnetProcesses, random: SeededRandom) {
    this.#devnet = devnet;
    this.#random = random;
  }

  /** Lane `k` sends as department `dept-k`, so the devnet needs at least `lanes` extra issuers. */
  start(lanes: number): void {
    for (let lane = 0; lane < lanes; lane++) this.#lanes.push(this.#runLane(`dept-${lane}`));
  }

  /** Stops sending; resolves once every lane's last request has been answered or timed out. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#lanes);
  }

  async #runLane(sender: string): Promise<void> {
    for (let seq = 0; !this.#stopped; seq++) {
      const root = sha256(new TextEncoder().encode(`fault-run ${sender} ${seq}`));
      const tx = testAnchorTx(this.#devnet.network.chainId, seq, root, sender, 'bench-licence');
      const committed = await this.#submitUntilAcknowledged(tx);
      if (!committed) {
        this.abandoned++;
        return;
      }
      this.acknowledged.push({ ...committed, root: toHex(root), sender, seq });
    }
  }

  async #submitUntilAcknowledged(tx: Uint8Array): Promise<{ id: string; height: number } | undefined> {
    while (!this.#stopped) {
      const via = this.#random.int(0, this.#devnet.size - 1);
      try {
        const { status, body } = await this.#devnet.submit(via, tx, WAIT_SECONDS, REQUEST_TIMEOUT_MS);
        if (status === 201 && body.id !== undefined && body.height !== undefined) return { id: body.id, height: body.height };
        this.unacknowledgedAnswers++;
        // A 202 already waited; a refusal (a validator still catching up) is retried after a pause.
        if (status !== 202) await sleep(RETRY_PAUSE_MS);
      } catch {
        this.unacknowledgedAnswers++;
        await sleep(RETRY_PAUSE_MS);
      }
    }
    return undefined;
  }
}
