/** A peer still behind this long after its first message for the height just decided is sent the decision. */
export const BEHIND_GRACE_MS = 500;
/** A lagging peer gets a decision for a height at most this often. */
export const DECISION_RESEND_MS = 500;
/** Peer-and-height pairs remembered at most; beyond that the memory starts again. */
const MAX_TRACKED = 10_000;

/**
 * Decides when a peer whose messages are for a height this node has decided should be sent that
 * decision (the block and its commit certificate). Most messages for the height just decided
 * are a vote arriving a moment after the decision, from a peer that decides from the votes
 * already sent to it; sending it the block would cost both sides a block's worth of encryption
 * and decoding, every height. So a peer one height behind gets the decision only once it has
 * stayed behind for BEHIND_GRACE_MS (a stuck peer keeps saying so: consensus re-broadcasts its
 * status); a peer further behind gets it at once. Either way at most every DECISION_RESEND_MS.
 */
export class LaggingPeers {
  readonly #seen = new Map<string, { readonly since: number; sentAt: number }>();

  /** Notes a message from `peer` for the decided `height` at `now`; answers whether to send it the decision. */
  shouldSendDecision(peer: string, height: number, lastDecidedHeight: number, now: number): boolean {
    const key = `${peer}/${height}`;
    let seen = this.#seen.get(key);
    if (!seen) {
      if (this.#seen.size >= MAX_TRACKED) this.#seen.clear();
      seen = { since: now, sentAt: Number.NEGATIVE_INFINITY };
      this.#seen.set(key, seen);
    }
    const waited = height < lastDecidedHeight || now - seen.since >= BEHIND_GRACE_MS;
    if (!waited || now - seen.sentAt < DECISION_RESEND_MS) return false;
    seen.sentAt = now;
    return true;
  }
}
