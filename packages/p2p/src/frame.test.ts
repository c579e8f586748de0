import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameError, FrameKind, type Frame } from './frame.js';

const CHANNELS = new Set(['consensus', 'tx', 'sync']);
const MAX = 1024;

function decoder(): FrameDecoder {
  return new FrameDecoder({ maxPayloadBytes: MAX, isKnownChannel: (name) => CHANNELS.has(name) });
}

function decodeError(bytes: Uint8Array): FrameError {
  try {
    decoder().push(bytes);
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  }
  throw new Error('expected a FrameError');
}

/** kind, name length, name, request id, payload length — without payload. */
function header(kind: number, channel: string, requestId: number, length: number): Uint8Array {
  const out = new Uint8Array(10 + channel.length);
  const view = new DataView(out.buffer);
  out[0] = kind;
  out[1] = channel.length;
  out.set(new TextEncoder().encode(channel), 2);
  view.setUint32(2 + channel.length, requestId);
  view.setUint32(6 + channel.length, length);
  return out;
}

const frameArbitrary: fc.Arbitrary<Frame> = fc
  .record({
    kind: fc.constantFrom(FrameKind.message, FrameKind.request, FrameKind.response, FrameKind.errorResponse),
    channel: fc.constantFrom(...CHANNELS),
    requestId: fc.integer({ min: 1, max: 0xffff_ffff }),
    payload: fc.uint8Array({ maxLength: MAX }),
  })
  .map((frame) => ({ ...frame, requestId: frame.kind === FrameKind.message ? 0 : frame.requestId }));

describe('frame codec', () => {
  it('lays out the header as documented', () => {
    const bytes = encodeFrame({ kind: FrameKind.request, channel: 'sync', requestId: 0x01020304, payload: Uint8Array.of(9, 8) });
    expect([...bytes]).toEqual([2, 4, 0x73, 0x79, 0x6e, 0x63, 1, 2, 3, 4, 0, 0, 0, 2, 9, 8]);
  });

  it('decodes any sequence of frames however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(frameArbitrary, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const wire = new Uint8Array(frames.flatMap((frame) => [...encodeFrame(frame)]));
        const points = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((x, y) => x - y);
        const reader = decoder();
        const decoded: Frame[] = [];
        let start = 0;
        for (const point of [...points, wire.length]) {
          decoded.push(...reader.push(wire.subarray(start, point)));
          start = point;
        }
        reader.finish();
        expect(decoded).toEqual(frames);
        expect(reader.bufferedBytes).toBe(0);
      }),
    );
  });

  it('rejects a claimed length above the limit before the payload arrives', () => {
    const error = decodeError(header(FrameKind.message, 'tx', 0, 0xffff_ffff));
    expect(error.code).toBe('oversized');
    expect(error.message).toMatch(/4294967295 exceeds limit 1024/);
    expect(decodeError(header(FrameKind.message, 'tx', 0, MAX + 1)).code).toBe('oversized');
    expect(decoder().push(header(FrameKind.message, 'tx', 0, MAX))).toEqual([]);
  });

  it('rejects unknown kinds, channels and malformed names from the first bad byte', () => {
    expect(decodeError(Uint8Array.of(0)).code).toBe('unknown-kind');
    expect(decodeError(Uint8Array.of(5)).code).toBe('unknown-kind');
    expect(decodeError(Uint8Array.of(1, 0)).code).toBe('bad-channel-name');
    expect(decodeError(Uint8Array.of(1, 33)).code).toBe('bad-channel-name');
    expect(decodeError(header(FrameKind.message, 'evil', 0, 0).subarray(0, 6)).code).toBe('unknown-channel');
    expect(decodeError(header(FrameKind.message, 'TX', 0, 0)).code).toBe('bad-channel-name');
  });

  it('rejects request ids that do not fit the kind', () => {
    expect(decodeError(header(FrameKind.message, 'tx', 7, 0)).code).toBe('bad-request-id');
    expect(decodeError(header(FrameKind.request, 'sync', 0, 0)).code).toBe('bad-request-id');
    expect(() => encodeFrame({ kind: FrameKind.response, channel: 'sync', requestId: 0, payload: new Uint8Array() })).toThrow(
      FrameError,
    );
    expect(() => encodeFrame({ kind: FrameKind.message, channel: 'Bad!', requestId: 0, payload: new Uint8Array() })).toThrow(
      /invalid channel name/,
    );
  });

  it('reports a stream that ends inside a frame as truncated', () => {
    const reader = decoder();
    const whole = encodeFrame({ kind: FrameKind.message, channel: 'tx', requestId: 0, payload: new Uint8Array(100) });
    expect(reader.push(whole.subarray(0, 50))).toEqual([]);
    expect(() => reader.finish()).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('holds only the bytes that arrived, never the claimed length', () => {
    const reader = decoder();
    reader.push(header(FrameKind.message, 'tx', 0, MAX));
    reader.push(new Uint8Array(10));
    expect(reader.bufferedBytes).toBe(12 + 10);
  });
});
