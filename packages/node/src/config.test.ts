import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROPOSAL_TXS, DEFAULT_TIMINGS, parseNodeConfig } from './config.js';

const minimal = {
  name: 'validator-0',
  genesisFile: '../genesis.json',
  keyFile: 'node.key.json',
  dataDir: 'data',
  p2p: { listen: ['/ip4/127.0.0.1/tcp/26600'] },
};

describe('node configuration', () => {
  it('caps proposals at the default unless the consensus section says otherwise', () => {
    expect(parseNodeConfig(minimal, 'node.json').consensus).toEqual({ ...DEFAULT_TIMINGS, maxProposalTxs: DEFAULT_MAX_PROPOSAL_TXS });
    expect(parseNodeConfig({ ...minimal, consensus: { maxProposalTxs: 250 } }, 'node.json').consensus.maxProposalTxs).toBe(250);
  });

  it('refuses a proposal cap that is not a positive integer, naming the field', () => {
    for (const bad of [0, -3, 2.5, '100']) {
      expect(() => parseNodeConfig({ ...minimal, consensus: { maxProposalTxs: bad } }, 'node.json')).toThrow(/node\.json: "maxProposalTxs" must be a positive integer/);
    }
  });
});
