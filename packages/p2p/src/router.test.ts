import { describe, expect, it } from 'vitest';
import { FrameKind } from './frame.js';
import { RequestServer } from './request-server.js';
import { PendingRequests } from './requests.js';
import { FrameRouter } from './router.js';

const PEER = 'cd'.repeat(32);

describe('frame router', () => {
  it("passes on at most 256 characters of a peer's error answer, however long the peer made it", async () => {
    const pending = new PendingRequests();
    const log = () => {};
    const router = new FrameRouter({ pending, log, requestServer: new RequestServer({ maxConcurrentPerPeer: 1, maxAnswerBytes: 1 << 20, reply: () => true, log }) });
    const { id, answer } = pending.open(PEER, 'sync', 5000);
    const payload = new TextEncoder().encode(`no blocks here ${'x'.repeat(1 << 20)}`);
    router.route(PEER, { kind: FrameKind.errorResponse, channel: 'sync', requestId: id, payload });
    const error = await answer.then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error).toMatchObject({ code: 'remote-error' });
    expect(error!.message).toContain(`could not answer on 'sync': no blocks here xxx`);
    expect(error!.message.length).toBeLessThan(400);
  });
});
