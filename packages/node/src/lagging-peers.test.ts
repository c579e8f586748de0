import { describe, expect, it } from 'vitest';
import { BEHIND_GRACE_MS, DECISION_RESEND_MS, LaggingPeers } from './lagging-peers.js';

const DECIDED = 7;

describe('LaggingPeers', () => {
  it('sends nothing to a peer that is only a moment behind the height just decided', () => {
    const peers = new LaggingPeers();
    expect(peers.shouldSendDecision('a', DECIDED, DECIDED, 1000)).toBe(false);
    expect(peers.shouldSendDecision('a', DECIDED, DECIDED, 1000 + BEHIND_GRACE_MS - 1)).toBe(false);
  });

  it('sends the decision to a peer still behind after the grace, then at most once per resend interval', () => {
    const peers = new LaggingPeers();
    peers.shouldSendDecision('a', DECIDED, DECIDED, 1000);
    const due = 1000 + BEHIND_GRACE_MS;
    expect(peers.shouldSendDecision('a', DECIDED, DECIDED, due)).toBe(true);
    expect(peers.shouldSendDecision('a', DECIDED, DECIDED, due + DECISION_RESEND_MS - 1)).toBe(false);
    expect(peers.shouldSendDecision('a', DECIDED, DECIDED, due + DECISION_RESEND_MS)).toBe(true);
  });

  it('sends at once to a peer more than one height behind, still at most once per resend interval', () => {
    const peers = new LaggingPeers();
    expect(peers.shouldSendDecision('a', DECIDED - 1, DECIDED, 1000)).toBe(true);
    expect(peers.shouldSendDecision('a', DECIDED - 1, DECIDED, 1000 + DECISION_RESEND_MS - 1)).toBe(false);
  });

  it('times each peer and height apart', () => {
    const peers = new LaggingPeers();
    peers.shouldSendDecision('a', DECIDED, DECIDED, 1000);
    expect(peers.shouldSendDecision('b', DECIDED, DECIDED, 1000 + BEHIND_GRACE_MS)).toBe(false);
    expect(peers.shouldSendDecision('a', DECIDED + 1, DECIDED + 1, 1000 + BEHIND_GRACE_MS)).toBe(false);
    expect(peers.shouldSendDecision('a', DECIDED, DECIDED, 1000 + BEHIND_GRACE_MS)).toBe(true);
  });
});
