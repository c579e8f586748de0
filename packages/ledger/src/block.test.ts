import { encode, sha256 } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { decodeBlock, decodeReceivedBlock } from './block.js';
import { buildBlock } from './chain.js';
import { MAX_BLOCK_TXS } from './genesis.js';
import { testAnchorTx, testNetwork } from './testing.js';

describe('decodeReceivedBlock', () => {
  const net = testNetwork();
  const params = net.state.params;
  const txs = [1, 2, 3].map((i) => testAnchorTx(net.genesis.chainId, i - 1, sha256(Uint8Array.of(i))));
  const { block } = buildBlock(net.state, txs, { time: net.state.lastBlockTime + 1, proposer: net.validators[0]!.publicKey });

  it('refuses a genuine header with other transactions, which decodeBlock alone takes', () => {
    expect(block.txs).toHaveLength(3);
    expect(decodeReceivedBlock(block.bytes, params)).toMatchObject({ ok: true, value: { hash: block.hash, txs: block.txs } });
    const others = [[], block.txs.slice(0, 2), [...block.txs].reverse(), [...block.txs, block.txs[0]!], [block.txs[0]!, block.txs[1]!, Uint8Array.of(1)]];
    for (const list of others) {
      const bytes = encode([block.headerBytes, list]);
      expect(decodeBlock(bytes, params.maxBlockBytes)).toMatchObject({ ok: true, value: { hash: block.hash } });
      expect(decodeReceivedBlock(bytes, params)).toEqual({ ok: false, error: { code: 'BAD_TX_ROOT', message: 'the transactions do not match the header' } });
    }
  });

  it('refuses more transactions than a block may hold before hashing any of them', () => {
    const bytes = encode([block.headerBytes, Array.from({ length: params.maxBlockTxs + 1 }, () => Uint8Array.of(1))]);
    expect(decodeReceivedBlock(bytes, params)).toEqual({
      ok: false,
      error: { code: 'BLOCK_TOO_LARGE', message: `the block holds ${params.maxBlockTxs + 1} transactions; the limit is ${params.maxBlockTxs}` },
    });
  });

  it('refuses a frame of many nils by its count, before building them: by the chain\'s count of transactions when received', () => {
    const nils = encode(new Array(1 << 20).fill(null));
    expect(decodeReceivedBlock(nils, params)).toEqual({ ok: false, error: { code: 'MALFORMED_BLOCK', message: `input holds more than ${3 + 2 * params.maxBlockTxs} values` } });
    expect(decodeBlock(nils, params.maxBlockBytes)).toEqual({ ok: false, error: { code: 'MALFORMED_BLOCK', message: `input holds more than ${3 + 2 * MAX_BLOCK_TXS} values` } });
    const nilTxs = encode([block.headerBytes, new Array(1 << 20).fill(null)]);
    expect(decodeReceivedBlock(nilTxs, params)).toMatchObject({ ok: false, error: { message: `input holds more than ${3 + 2 * params.maxBlockTxs} values` } });
  });

  it('takes a block of as many transactions as any chain allows', () => {
    const bytes = encode([block.headerBytes, new Array(MAX_BLOCK_TXS).fill(Uint8Array.of(1))]);
    expect(decodeBlock(bytes, params.maxBlockBytes)).toMatchObject({ ok: true, value: { hash: block.hash } });
  });
});
