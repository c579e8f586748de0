import type { Stream } from '@libp2p/interface';
import { FrameDecoder, type Frame, type FrameDecoderLimits, type FrameError } from './frame.js';

export interface InboundHandlers {
  onFrame: (frame: Frame) => void;
  /** Called at most once; the stream has stopped being read when it is. */
  onViolation: (error: FrameError) => void;
}

/**
 * Reads the stream a peer opened towards us. A 'message' listener is attached
 * at once: a stream nobody listens to buffers and is then reset.
 */
export function readFrames(stream: Stream, limits: FrameDecoderLimits, handlers: InboundHandlers): void {
  const decoder = new FrameDecoder(limits);
  let done = false;

  const fail = (error: FrameError): void => {
    if (done) return;
    done = true;
    stream.removeEventListener('message', onMessage);
    handlers.onViolation(error);
  };

  const checkComplete = (): void => {
    if (done) return;
    try {
      decoder.finish();
      done = true;
    } catch (error) {
      fail(error as FrameError);
    }
  };

  const onMessage = (event: { data: Uint8Array | { subarray(): Uint8Array } }): void => {
    if (done) return;
    const chunk = event.data instanceof Uint8Array ? event.data : event.data.subarray();
    let frames: Frame[];
    try {
      frames = decoder.push(chunk);
    } catch (error) {
      fail(error as FrameError);
      return;
    }
    for (const frame of frames) {
      if (done) return;
      handlers.onFrame(frame);
    }
  };

  stream.addEventListener('message', onMessage);
  // 'end' fires once every byte the remote sent before closing has been delivered.
  stream.addEventListener('end', checkComplete, { once: true });
  stream.addEventListener(
    'close',
    (event) => {
      // A reset or abort loses bytes in flight; that is a broken link, not a cut-off frame.
      if (event.error === undefined && event.local !== true) checkComplete();
      done = true;
    },
    { once: true },
  );
}
