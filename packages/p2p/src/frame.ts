/**
 * Wire framing for the one long-lived stream each node keeps towards each peer.
 *
 *   offset  size  field
 *   0       1     kind            1 message, 2 request, 3 response, 4 error response
 *   1       1     channel length  n, 1..32
 *   2       n     channel name    ASCII [a-z0-9][a-z0-9._-]*
 *   2+n     4     request id      u32 big-endian; 0 for messages, non-zero otherwise
 *   6+n     4     payload length  u32 big-endian, at most maxPayloadBytes
 *   10+n    L     payload
 *
 * The decoder only ever copies bytes that have actually arrived, so a peer that
 * claims a huge length cannot make us allocate it.
 */

export const FrameKind = {
  message: 1,
  request: 2,
  response: 3,
  errorResponse: 4,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export const MAX_CHANNEL_NAME_LENGTH = 32;
const FIXED_HEADER_BYTES = 10;
const CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const MAX_U32 = 0xffff_ffff;

export interface Frame {
  kind: FrameKind;
  channel: string;
  requestId: number;
  payload: Uint8Array;
}

export type FrameErrorCode =
  | 'unknown-kind'
  | 'bad-channel-name'
  | 'unknown-channel'
  | 'bad-request-id'
  | 'oversized'
  | 'truncated';

export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    readonly code: FrameErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isValidChannelName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_CHANNEL_NAME_LENGTH && CHANNEL_NAME_PATTERN.test(name);
}

export function frameOverheadBytes(channel: string): number {
  return FIXED_HEADER_BYTES + channel.length;
}

function isFrameKind(value: number): value is FrameKind {
  return value >= FrameKind.message && value <= FrameKind.errorResponse;
}

export function encodeFrame(frame: Frame): Uint8Array {
  if (!isValidChannelName(frame.channel)) {
    throw new FrameError('bad-channel-name', `invalid channel name ${JSON.stringify(frame.channel)}`);
  }
  checkRequestId(frame.kind, frame.requestId);
  if (frame.payload.length > MAX_U32) {
    throw new FrameError('oversized', `payload of ${frame.payload.length} bytes does not fit a u32 length`);
  }
  const nameLength = frame.channel.length;
  const out = new Uint8Array(FIXED_HEADER_BYTES + nameLength + frame.payload.length);
  const view = new DataView(out.buffer);
  out[0] = frame.kind;
  out[1] = nameLength;
  for (let i = 0; i < nameLength; i++) out[2 + i] = frame.channel.charCodeAt(i);
  view.setUint32(2 + nameLength, frame.requestId);
  view.setUint32(6 + nameLength, frame.payload.length);
  out.set(frame.payload, FIXED_HEADER_BYTES + nameLength);
  return out;
}

function checkRequestId(kind: FrameKind, requestId: number): void {
  if (!Number.isInteger(requestId) || requestId < 0 || requestId > MAX_U32) {
    throw new FrameError('bad-request-id', `request id ${requestId} is not a u32`);
  }
  if (kind === FrameKind.message && requestId !== 0) {
    throw new FrameError('bad-request-id', `message frame carries request id ${requestId}, expected 0`);
  }
  if (kind !== FrameKind.message && requestId === 0) {
    throw new FrameError('bad-request-id', 'request/response frame carries request id 0');
  }
}

export interface FrameDecoderLimits {
  maxPayloadBytes: number;
  isKnownChannel: (name: string) => boolean;
}

/** Incremental decoder: feed it chunks as they arrive, get whole frames back. */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  constructor(private readonly limits: FrameDecoderLimits) {}

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Throws FrameError on the first invalid byte; the stream must then be dropped. */
  push(chunk: Uint8Array): Frame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.tryTakeFrame();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  /** Call when the remote closed its side: leftover bytes mean a cut-off frame. */
  finish(): void {
    if (this.buffered > 0) {
      throw new FrameError('truncated', `stream ended inside a frame (${this.buffered} bytes pending)`);
    }
  }

  private tryTakeFrame(): Frame | undefined {
    if (this.buffered < 1) return undefined;
    const head = this.peek(Math.min(this.buffered, 2));
    const kind = head[0]!;
    if (!isFrameKind(kind)) throw new FrameError('unknown-kind', `unknown frame kind ${kind}`);
    if (head.length < 2) return undefined;
    const nameLength = head[1]!;
    if (nameLength < 1 || nameLength > MAX_CHANNEL_NAME_LENGTH) {
      throw new FrameError('bad-channel-name', `channel name length ${nameLength} outside 1..${MAX_CHANNEL_NAME_LENGTH}`);
    }
    const headerLength = FIXED_HEADER_BYTES + nameLength;
    if (this.buffered < 2 + nameLength) return undefined;
    const header = this.peek(Math.min(this.buffered, headerLength));
    const channel = String.fromCharCode(...header.subarray(2, 2 + nameLength));
    if (!isValidChannelName(channel)) {
      throw new FrameError('bad-channel-name', `invalid channel name ${JSON.stringify(channel)}`);
    }
    if (!this.limits.isKnownChannel(channel)) {
      throw new FrameError('unknown-channel', `unknown channel ${JSON.stringify(channel)}`);
    }
    if (header.length < headerLength) return undefined;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const requestId = view.getUint32(2 + nameLength);
    checkRequestId(kind, requestId);
    const payloadLength = view.getUint32(6 + nameLength);
    if (payloadLength > this.limits.maxPayloadBytes) {
      throw new FrameError('oversized', `payload length ${payloadLength} exceeds limit ${this.limits.maxPayloadBytes}`);
    }
    if (this.buffered < headerLength + payloadLength) return undefined;
    this.take(headerLength);
    return { kind, channel, requestId, payload: this.take(payloadLength) };
  }

  /** Copies the first `length` buffered bytes without consuming them; length <= buffered. */
  private peek(length: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= length) return first.subarray(0, length);
    const out = new Uint8Array(length);
    let filled = 0;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(0, length - filled);
      out.set(part, filled);
      filled += part.length;
      if (filled === length) break;
    }
    return out;
  }

  /** Removes and returns the first `length` buffered bytes; length <= buffered. */
  private take(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0]!;
      const needed = length - filled;
      if (chunk.length <= needed) {
        out.set(chunk, filled);
        filled += chunk.length;
        this.chunks.shift();
      } else {
        out.set(chunk.subarray(0, needed), filled);
        this.chunks[0] = chunk.subarray(needed);
        filled = length;
      }
    }
    this.buffered -= length;
    return out;
  }
}
