import { toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { genesisHash, genesisToJson, parseGenesis } from './genesis.js';
import { stateRoot } from './state-root.js';
import { testNetwork } from './testing.js';

const net = testNetwork();

describe('genesis documents', () => {
  it('round-trip through JSON to the same genesis hash and state root', () => {
    const json = JSON.parse(JSON.stringify(genesisToJson(net.genesis)));
    const parsed = parseGenesis(json);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(toHex(genesisHash(parsed.value))).toBe(toHex(genesisHash(net.genesis)));
    expect(toHex(stateRoot(net.state))).toBe(toHex(stateRoot(testNetwork().state)));
  });

  it('refuse bad documents with a sentence naming the field', () => {
    const good = genesisToJson(net.genesis);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, chainId: 'Bad Chain!' }, /genesis\.chainId/],
      [{ ...good, validators: [] }, /empty/],
      [{ ...good, validators: [{ name: 'x', publicKey: 'zz', power: 1 }] }, /publicKey/],
      [{ ...good, validators: [{ name: 'x', publicKey: '00'.repeat(32), power: 0 }] }, /power/],
      [{ ...good, genesisTime: -1 }, /genesisTime/],
      [{ ...good, certTypes: [{ typeId: 't', version: 1, displayName: 'T', schemaHash: '00'.repeat(32), issuers: ['ghost'] }] }, /unknown issuer "ghost"/],
      [{ ...good, issuers: [...(good.issuers as unknown[]), ...(good.issuers as unknown[])] }, /listed twice/],
      [{ ...good, params: { maxTxBytes: 1 } }, /maxTxBytes/],
    ];
    for (const [doc, message] of cases) {
      const result = parseGenesis(doc);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('MALFORMED_GENESIS');
        expect(result.error.message).toMatch(message);
      }
    }
    expect(parseGenesis('not an object').ok).toBe(false);
  });
});
