import type { NodeStatus } from '@certledger/node';
import { describe, expect, it } from 'vitest';
import { describeStatus, parseStatusAnswer } from './status-summary.js';

const status: NodeStatus = {
  name: 'validator-0',
  mode: 'validator',
  chainId: 'certledger-devnet',
  publicKey: 'aa'.repeat(32),
  height: 42,
  lastBlockHash: '0123456789abcdef'.repeat(4),
  lastBlockTime: Date.UTC(2030, 0, 1, 12, 0, 0),
  consensus: { height: 43, round: 2, step: 'prevote' },
  syncing: false,
  peers: [
    { name: 'validator-1', publicKey: 'bb'.repeat(32), connected: true },
    { name: 'validator-2', publicKey: 'cc'.repeat(32), connected: false },
  ],
  mempool: { txs: 3, bytes: 1200 },
  validators: [
    { name: 'validator-0', publicKey: 'aa'.repeat(32), power: 10 },
    { name: 'validator-1', publicKey: 'bb'.repeat(32), power: 10 },
  ],
};

describe('status summary', () => {
  it('shows height, last block time and age, round, peers connected of known, mempool', () => {
    const text = describeStatus(status, status.lastBlockTime + 2500);
    expect(text).toContain('validator-0 (validator) on certledger-devnet\n');
    expect(text).toMatch(/^height {7}42 {2}0123456789abcdef…$/m);
    expect(text).toMatch(/^last block {3}2030-01-01T12:00:00\.000Z \(2\.5 s ago\)$/m);
    expect(text).toMatch(/^consensus {4}height 43, round 2, prevote$/m);
    expect(text).toMatch(/^peers {8}1 connected of 2 known: validator-1, validator-2 \(down\)$/m);
    expect(text).toMatch(/^mempool {6}3 transactions, 1200 bytes$/m);
    expect(describeStatus(status, status.lastBlockTime + 3 * 3_600_000)).toContain('(3.0 h ago)');
  });

  it('says when there is no block yet and when the node is catching up', () => {
    const text = describeStatus({ ...status, height: 0, lastBlockTime: 0, syncing: true, peers: [] }, 0);
    expect(text).toContain('catching up');
    expect(text).toMatch(/^last block {3}none yet$/m);
    expect(text).toMatch(/^peers {8}0 connected of 0 known$/m);
  });

  it('refuses answers that are not a node status', () => {
    expect(parseStatusAnswer(JSON.parse(JSON.stringify(status)), 'http://x')).toEqual(status);
    for (const body of [null, [], { status: 'ok' }, { ...status, peers: 'none' }, { ...status, height: '42' }]) {
      expect(() => parseStatusAnswer(body, 'http://x'), JSON.stringify(body).slice(0, 40)).toThrow(/http:\/\/x answered \/v1\/status with something that is not a certledger node status/);
    }
  });
});
