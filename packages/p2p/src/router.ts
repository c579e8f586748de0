import { errorText, P2pError } from './errors.js';
import { FrameKind, type Frame } from './frame.js';
import { keyFromHex } from './keys.js';
import type { P2pLogEvent } from './options.js';
import { MAX_ERROR_TEXT_CHARS, type RequestServer } from './request-server.js';
import type { PendingRequests } from './requests.js';

export type MessageHandler = (from: Uint8Array, payload: Uint8Array) => void;

export interface FrameRouterParts {
  requestServer: RequestServer;
  pending: PendingRequests;
  log: (event: P2pLogEvent) => void;
}

/**
 * Hands each frame a peer sent to whoever waits for it: the channel's message
 * handler, the request server, or our request the answer belongs to. A handler
 * that throws is logged and does not affect the stream it read from.
 */
export class FrameRouter {
  private readonly messageHandlers = new Map<string, MessageHandler>();

  constructor(private readonly parts: FrameRouterParts) {}

  onMessage(channel: string, handler: MessageHandler): void {
    if (this.messageHandlers.has(channel)) throw new Error(`a message handler is already registered on '${channel}'`);
    this.messageHandlers.set(channel, handler);
  }

  route(peer: string, frame: Frame): void {
    switch (frame.kind) {
      case FrameKind.message:
        this.deliver(peer, frame);
        return;
      case FrameKind.request:
        this.parts.requestServer.serve(peer, frame);
        return;
      case FrameKind.response:
        if (!this.parts.pending.resolve(peer, frame.requestId, frame.channel, frame.payload)) {
          this.dropped(peer, frame, 'answer to no waiting request');
        }
        return;
      case FrameKind.errorResponse: {
        // At most four UTF-8 bytes a character: a longer text is cut before it is decoded.
        const text = new TextDecoder().decode(frame.payload.subarray(0, 4 * MAX_ERROR_TEXT_CHARS)).slice(0, MAX_ERROR_TEXT_CHARS);
        const error = new P2pError('remote-error', `peer ${peer} could not answer on '${frame.channel}': ${text}`);
        if (!this.parts.pending.reject(peer, frame.requestId, frame.channel, error)) {
          this.dropped(peer, frame, 'error answer to no waiting request');
        }
        return;
      }
    }
  }

  private deliver(peer: string, frame: Frame): void {
    const handler = this.messageHandlers.get(frame.channel);
    if (handler === undefined) {
      this.dropped(peer, frame, 'no handler registered');
      return;
    }
    try {
      handler(keyFromHex(peer), frame.payload);
    } catch (error) {
      this.parts.log({ event: 'handler-failed', peer, channel: frame.channel, reason: errorText(error) });
    }
  }

  private dropped(peer: string, frame: Frame, reason: string): void {
    this.parts.log({ event: 'message-dropped', peer, channel: frame.channel, reason });
  }
}
