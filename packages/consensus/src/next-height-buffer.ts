/** A message for a height this node has not started yet, as it arrived. */
export interface BufferedMessage {
  readonly height: number;
  readonly bytes: Uint8Array;
  readonly from: string;
}

/** Messages one peer may have waiting: a validator's votes and re-broadcasts over many rounds. */
const MAX_MESSAGES_PER_PEER = 500;
/** Bytes one peer may have waiting, in blocks: room for two proposals and its votes. */
const BLOCKS_PER_PEER = 3;

/**
 * Messages for the next height, kept until this node starts it. They cannot be checked yet (the
 * next height's validator set is not known), so each peer gets its own budget of messages and
 * bytes: a peer that floods can hold only a few blocks' worth and cannot crowd out the others.
 */
export class NextHeightBuffer {
  #messages: BufferedMessage[] = [];
  readonly #usage = new Map<string, { count: number; bytes: number }>();
  readonly #maxBytesPerPeer: number;

  constructor(maxBlockBytes: number) {
    this.#maxBytesPerPeer = BLOCKS_PER_PEER * maxBlockBytes;
  }

  /** Keeps the message unless its peer's budget is spent. */
  add(message: BufferedMessage): void {
    const usage = this.#usage.get(message.from) ?? { count: 0, bytes: 0 };
    if (usage.count >= MAX_MESSAGES_PER_PEER || usage.bytes + message.bytes.length > this.#maxBytesPerPeer) return;
    usage.count++;
    usage.bytes += message.bytes.length;
    this.#usage.set(message.from, usage);
    this.#messages.push(message);
  }

  /** Hands over the messages for `height`, keeping only those for the height after it. */
  take(height: number): BufferedMessage[] {
    const messages = this.#messages;
    this.#messages = [];
    this.#usage.clear();
    for (const message of messages) if (message.height === height + 1) this.add(message);
    return messages.filter((message) => message.height === height);
  }
}
