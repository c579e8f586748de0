import { toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { genesisHash, genesisToJson, parseGenesis } from './genesis.js';
import { stateRoot } from './state-root.js';
import { testNetwork, testSigner } from './testing.js';

const net = testNetwork();
type Doc = Record<string, unknown>;
const good = (): Doc => JSON.parse(JSON.stringify(genesisToJson(net.genesis))) as Doc;
const entries = (doc: Doc, field: string): Doc[] => doc[field] as Doc[];
/** The identity point and the zero point: small order, so no signature can be checked against them. */
const SMALL_ORDER_KEYS = [`01${'00'.repeat(31)}`, '00'.repeat(32)];

function expectRefused(doc: unknown, message: RegExp | string): void {
  const result = parseGenesis(doc);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe('MALFORMED_GENESIS');
    expect(result.error.message).toMatch(message);
  }
}

describe('genesis documents', () => {
  it('round-trip through JSON to the same genesis hash and state root', () => {
    const parsed = parseGenesis(good());
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(toHex(genesisHash(parsed.value))).toBe(toHex(genesisHash(net.genesis)));
    expect(toHex(stateRoot(net.state))).toBe(toHex(stateRoot(testNetwork().state)));
  });

  it('accept a document leaving out the optional params, issuers and certTypes', () => {
    const { params: _params, issuers: _issuers, certTypes: _certTypes, ...minimal } = good();
    const parsed = parseGenesis(minimal);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.validators).toHaveLength(net.genesis.validators.length);
  });

  it('refuse bad documents with a sentence naming the field', () => {
    const doc = good();
    const fine = testSigner('fine').publicKey;
    const cases: [Doc, RegExp][] = [
      [{ ...doc, chainId: 'Bad Chain!' }, /genesis\.chainId/],
      [{ ...doc, validators: [] }, /empty/],
      [{ ...doc, validators: [{ name: 'x', publicKey: 'zz', power: 1 }] }, /publicKey/],
      [{ ...doc, validators: [{ name: 'x', publicKey: toHex(fine), power: 0 }] }, /power/],
      [{ ...doc, genesisTime: -1 }, /genesisTime/],
      [{ ...doc, certTypes: [{ typeId: 't', version: 1, displayName: 'T', schemaHash: '00'.repeat(32), issuers: ['ghost'] }] }, /unknown issuer "ghost"/],
      [{ ...doc, issuers: [...entries(doc, 'issuers'), ...entries(doc, 'issuers')] }, /listed twice/],
      [{ ...doc, params: { maxTxBytes: 1 } }, /maxTxBytes/],
    ];
    for (const [bad, message] of cases) expectRefused(bad, message);
    expectRefused('not an object', /genesis must be an object/);
  });

  it('refuse a validator key listed twice, naming the key and both validators', () => {
    const doc = good();
    const [first] = entries(doc, 'validators') as [Doc];
    const validators = [...entries(doc, 'validators'), { ...first, name: 'impostor' }];
    expectRefused({ ...doc, validators }, new RegExp(`validator key ${first.publicKey as string} is listed twice \\(validators "(validator-\\d|impostor)" and "(validator-\\d|impostor)"\\)`));
  });

  it('refuse a validator or issuer key that is not a usable Ed25519 key, naming its holder', () => {
    for (const key of SMALL_ORDER_KEYS) {
      const doc = good();
      const validators = [...entries(doc, 'validators'), { name: 'broken', publicKey: key, power: 1 }];
      expectRefused({ ...doc, validators }, /genesis\.validators\[\d+\]\.publicKey of validator "broken" is not a valid Ed25519 public key/);
      const issuers = entries(doc, 'issuers').map((issuer, i) => (i === 1 ? { ...issuer, publicKey: key } : issuer));
      const issuerId = issuers[1]?.issuerId as string;
      expectRefused({ ...doc, issuers }, new RegExp(`genesis\\.issuers\\[1\\]\\.publicKey of issuer "${issuerId}" is not a valid Ed25519 public key`));
    }
  });

  it('refuse unknown fields at every level, naming the field path', () => {
    const doc = good();
    const withExtra = (field: string, index: number, extra: Doc): Doc => ({
      ...doc,
      [field]: entries(doc, field).map((item, i) => (i === index ? { ...item, ...extra } : item)),
    });
    const { certTypes, params, ...rest } = doc;
    const cases: [Doc, string, string][] = [
      [{ ...rest, params, certtypes: certTypes }, 'genesis', 'certtypes'],
      [{ ...rest, certTypes, param: params }, 'genesis', 'param'],
      [{ ...doc, params: { ...(params as Doc), maxTxByte: 2048 } }, 'genesis.params', 'maxTxByte'],
      [withExtra('validators', 2, { pwr: 5 }), 'genesis.validators[2]', 'pwr'],
      [withExtra('issuers', 0, { publickey: 'aa' }), 'genesis.issuers[0]', 'publickey'],
      [withExtra('certTypes', 1, { schema: {} }), 'genesis.certTypes[1]', 'schema'],
      [JSON.parse(`{"__proto__": {}, ${JSON.stringify(doc).slice(1)}`) as Doc, 'genesis', '__proto__'],
    ];
    for (const [bad, path, field] of cases) expectRefused(bad, `${path} has an unknown field "${field}"`);
  });
});
