import { errorText } from './errors.js';
import { FrameKind, type Frame } from './frame.js';
import { keyFromHex } from './keys.js';
import type { P2pLogEvent } from './options.js';

export type RequestHandler = (from: Uint8Array, payload: Uint8Array) => Promise<Uint8Array>;

export interface RequestServerOptions {
  maxConcurrentPerPeer: number;
  maxAnswerBytes: number;
  /** Sends an answer frame to the peer; false when it could not be queued. */
  reply: (peer: string, frame: Frame) => boolean;
  log: (event: P2pLogEvent) => void;
}

/** An error answer's text at most, sent by this node or taken from a peer. */
export const MAX_ERROR_TEXT_CHARS = 256;

/** Answers peers' requests with the registered handlers, a bounded number at a time per peer. */
export class RequestServer {
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly serving = new Map<string, number>();

  constructor(private readonly options: RequestServerOptions) {}

  register(channel: string, handler: RequestHandler): void {
    if (this.handlers.has(channel)) throw new Error(`a request handler is already registered on '${channel}'`);
    this.handlers.set(channel, handler);
  }

  /** Forget in-flight counts: answers of a stopped node have no link to leave by. */
  reset(): void {
    this.serving.clear();
  }

  serve(peer: string, request: Frame): void {
    const handler = this.handlers.get(request.channel);
    if (handler === undefined) {
      this.answerError(peer, request, `no request handler on channel '${request.channel}'`);
      return;
    }
    const serving = this.serving.get(peer) ?? 0;
    if (serving >= this.options.maxConcurrentPerPeer) {
      this.answerError(peer, request, `too many concurrent requests (limit ${this.options.maxConcurrentPerPeer})`);
      return;
    }
    this.serving.set(peer, serving + 1);
    void Promise.resolve()
      .then(() => handler(keyFromHex(peer), request.payload))
      .then((answer) => {
        if (!(answer instanceof Uint8Array)) throw new TypeError('request handler did not return a Uint8Array');
        if (answer.length > this.options.maxAnswerBytes) {
          throw new RangeError(`answer of ${answer.length} bytes exceeds maxMessageBytes ${this.options.maxAnswerBytes}`);
        }
        this.answer(peer, request, FrameKind.response, answer);
      })
      .catch((error: unknown) => {
        const reason = errorText(error);
        this.options.log({ event: 'handler-failed', peer, channel: request.channel, reason });
        this.answerError(peer, request, reason);
      })
      .finally(() => this.release(peer));
  }

  private answerError(peer: string, request: Frame, text: string): void {
    const payload = new TextEncoder().encode(text.slice(0, MAX_ERROR_TEXT_CHARS));
    this.answer(peer, request, FrameKind.errorResponse, payload.subarray(0, this.options.maxAnswerBytes));
  }

  private answer(peer: string, request: Frame, kind: FrameKind, payload: Uint8Array): void {
    const frame = { kind, channel: request.channel, requestId: request.requestId, payload };
    if (!this.options.reply(peer, frame)) {
      this.options.log({ event: 'message-dropped', peer, channel: request.channel, reason: 'answer could not be queued' });
    }
  }

  private release(peer: string): void {
    const remaining = (this.serving.get(peer) ?? 1) - 1;
    if (remaining > 0) this.serving.set(peer, remaining);
    else this.serving.delete(peer);
  }
}
