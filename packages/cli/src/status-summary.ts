import type { NodeStatus } from '@certledger/node';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `/v1/status` answer, checked enough to print; anything else is not a certledger node. */
export function parseStatusAnswer(body: unknown, api: string): NodeStatus {
  const fits =
    isObject(body) &&
    typeof body.name === 'string' &&
    typeof body.chainId === 'string' &&
    typeof body.height === 'number' &&
    typeof body.lastBlockTime === 'number' &&
    isObject(body.consensus) &&
    isObject(body.mempool) &&
    Array.isArray(body.peers) &&
    body.peers.every(isObject) &&
    Array.isArray(body.validators);
  if (!fits) throw new Error(`${api} answered /v1/status with something that is not a certledger node status`);
  return body as unknown as NodeStatus;
}

function age(ms: number): string {
  if (ms < 0) return 'in the future (check the clocks)';
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s ago`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${(ms / 3_600_000).toFixed(1)} h ago`;
}

/** A few aligned lines for operators; `now` is passed in so the age is testable. */
export function describeStatus(s: NodeStatus, now: number): string {
  const connected = s.peers.filter((p) => p.connected);
  const lastBlock = s.lastBlockTime > 0 ? `${new Date(s.lastBlockTime).toISOString()} (${age(now - s.lastBlockTime)})` : 'none yet';
  const peerList = s.peers.map((p) => `${p.name}${p.connected ? '' : ' (down)'}`).join(', ');
  return [
    `${s.name} (${s.mode}) on ${s.chainId}${s.syncing ? ', catching up with peers' : ''}`,
    `height       ${s.height}${s.lastBlockHash ? `  ${s.lastBlockHash.slice(0, 16)}…` : ''}`,
    `last block   ${lastBlock}`,
    `consensus    height ${s.consensus.height}, round ${s.consensus.round}, ${s.consensus.step}`,
    `peers        ${connected.length} connected of ${s.peers.length} known${peerList ? `: ${peerList}` : ''}`,
    `mempool      ${s.mempool.txs} transactions, ${s.mempool.bytes} bytes`,
    `validators   ${s.validators.length}`,
  ].join('\n');
}
