import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadNodeConfig } from '@certledger/node';
import { parseGenesis } from '@certledger/ledger';
import { schemaHash } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { initNetwork } from './init-network.js';
import { BUILT_IN_TEMPLATE, chooseTemplate, parseNetworkTemplate, readNetworkTemplate } from './network-template.js';

const sample = resolve(import.meta.dirname, '../../../network-config/devnet.json');

describe('network templates', () => {
  it('read the sample network and turn it into genesis, configs and keys', () => {
    const template = readNetworkTemplate(sample);
    expect(template).toMatchObject({ chainId: 'certledger-devnet', validators: 4 });
    const out = join(mkdtempSync(join(tmpdir(), 'certledger-init-')), 'net');
    const { nodes } = initNetwork({ out, template: { ...template, validators: 3, p2pBasePort: 41000 }, templateName: sample, genesisTime: 1_800_000_000_000 });
    expect(nodes).toHaveLength(3);
    const genesis = parseGenesis(JSON.parse(readFileSync(join(out, 'genesis.json'), 'utf8')));
    if (!genesis.ok) throw new Error(genesis.error.message);
    expect(genesis.value.issuers.map((i) => i.issuerId)).toEqual(['transport', 'health']);
    expect(genesis.value.certTypes.map((t) => `${t.typeId}@${t.version}`)).toEqual(['driving-licence@1', 'nurse-licence@1']);
    const written = JSON.parse(readFileSync(join(out, 'schemas', 'driving-licence-v1.schema.json'), 'utf8'));
    expect(written).toEqual(template.certTypes[0]!.schema);
    expect(toHex(genesis.value.certTypes[0]!.schemaHash)).toBe(toHex(schemaHash(written)));
    const config = loadNodeConfig(join(out, nodes[1]!.configFile));
    expect(config.p2p.listen).toEqual(['/ip4/127.0.0.1/tcp/41001']);
    expect(config.p2p.peers.map((p) => p.name)).toEqual(['validator-0', 'validator-2']);
    // The node fills in its own defaults for settings templates do not carry (e.g. maxProposalTxs).
    expect(config.consensus).toMatchObject(template.consensus);
    expect(() => initNetwork({ out, template, templateName: sample, genesisTime: 1 })).toThrow(/not empty/);
  });

  it('refuse unknown fields, bad numbers and types naming undefined issuers, saying where', () => {
    expect(() => parseNetworkTemplate({ chainid: 'x' }, 't.json')).toThrow(/t\.json: the template has an unknown field "chainid"/);
    expect(() => parseNetworkTemplate({ validators: 0 }, 't.json')).toThrow(/validators must be a whole number from 1 to 100/);
    expect(() => parseNetworkTemplate({ consensus: { blockIntervalMs: -5 } }, 't.json')).toThrow(/consensus\.blockIntervalMs/);
    expect(() => parseNetworkTemplate({ params: { maxBlockBytes: 10 } }, 't.json')).toThrow(/params\.maxBlockBytes/);
    const types = [{ typeId: 'x', version: 1, displayName: 'X', issuers: ['nobody'] }];
    expect(() => parseNetworkTemplate({ certTypes: types }, 't.json')).toThrow(/names issuer "nobody"/);
    const badSchema = [{ typeId: 'x', version: 1, displayName: 'X', issuers: [], schema: { type: 'no-such-type' } }];
    expect(() => parseNetworkTemplate({ certTypes: badSchema }, 't.json')).toThrow(/certTypes\[0\]\.schema: the certificate type schema is not valid JSON Schema/);
    expect(() => readNetworkTemplate('/nonexistent/template.json')).toThrow(/cannot read the network template/);
    expect(() => parseNetworkTemplate({ host: 'node.example.gov' }, 't.json')).toThrow(/host must be an IPv4 address/);
    expect(() => parseNetworkTemplate({ validators: 4, p2pBasePort: 9000, apiBasePort: 9003 }, 't.json')).toThrow(/p2p ports 9000-9003 and API ports 9003-9006 overlap/);
    expect(parseNetworkTemplate({ validators: 4, p2pBasePort: 9000, apiBasePort: 9004 }, 't.json').apiBasePort).toBe(9004);
  });

  it('refuse ids the ledger would refuse, and ids listed twice, naming the file and field', () => {
    expect(() => parseNetworkTemplate({ chainId: 'Bad Chain' }, 't.json')).toThrow(/^t\.json: chainId "Bad Chain" must be 1-63 characters of a-z/);
    const issuers = [{ issuerId: '../escape', displayName: 'X' }];
    expect(() => parseNetworkTemplate({ issuers, certTypes: [] }, 't.json')).toThrow(/^t\.json: issuers\[0\]\.issuerId "\.\.\/escape" must be/);
    const tax = { issuerId: 'tax', displayName: 'Tax' };
    expect(() => parseNetworkTemplate({ issuers: [tax, tax], certTypes: [] }, 't.json')).toThrow('t.json: issuers lists "tax" twice');
    const type = { typeId: 'Bad Type', version: 1, displayName: 'X', issuers: [] };
    expect(() => parseNetworkTemplate({ certTypes: [type] }, 't.json')).toThrow(/^t\.json: certTypes\[0\]\.typeId "Bad Type" must be/);
    expect(() => parseNetworkTemplate({ certTypes: [{ ...type, typeId: 'x' }, { ...type, typeId: 'x' }] }, 't.json')).toThrow('t.json: certTypes lists "x@1" twice');
  });

  it('init names --chain-id when it is bad, and writes nothing when the genesis would be invalid', () => {
    expect(() => chooseTemplate(undefined, sample, { chainId: 'bad chain:id/with spaces' })).toThrow(
      /^--chain-id: the chain id "bad chain:id\/with spaces" must be 1-63 characters of a-z, 0-9/,
    );
    const out = join(mkdtempSync(join(tmpdir(), 'certledger-init-')), 'net');
    const template = { ...BUILT_IN_TEMPLATE, chainId: 'Bad Chain' };
    expect(() => initNetwork({ out, template, templateName: 'bad.json', genesisTime: 1 })).toThrow(/^bad\.json does not make a valid genesis, nothing was written: genesis\.chainId/);
    expect(existsSync(out)).toBe(false);
  });

  it('the sample file matches the built-in template, so init gives the same network without the repository', () => {
    expect(readNetworkTemplate(sample)).toEqual(BUILT_IN_TEMPLATE);
  });

  it('init picks the given file, else the sample when present, else the built-in values, then the options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certledger-template-'));
    const custom = join(dir, 'custom.json');
    writeFileSync(custom, JSON.stringify({ chainId: 'ministry-net', validators: 7, issuers: [{ issuerId: 'tax', displayName: 'Tax Office' }], certTypes: [] }));
    expect(chooseTemplate(custom, sample, {})).toMatchObject({ source: custom, template: { chainId: 'ministry-net', validators: 7, issuers: [{ issuerId: 'tax' }] } });
    expect(chooseTemplate(undefined, sample, {}).source).toBe(sample);
    expect(chooseTemplate(undefined, join(dir, 'absent.json'), {})).toEqual({ template: BUILT_IN_TEMPLATE });
    const overridden = chooseTemplate(custom, sample, { validators: 3, chainId: undefined, p2pBasePort: 40000 }).template;
    expect(overridden).toMatchObject({ chainId: 'ministry-net', validators: 3, p2pBasePort: 40000, apiBasePort: 8080 });
    expect(() => chooseTemplate(custom, sample, { host: 'localhost' })).toThrow(/custom\.json with the command-line options: host must be an IPv4 address/);
    expect(() => chooseTemplate(join(dir, 'missing.json'), sample, {})).toThrow(/cannot read the network template .*missing\.json/);
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 64 << 20);
    expect(() => chooseTemplate(huge, sample, {})).toThrow(/cannot read the network template .*huge\.json: it is 67108864 bytes; the network template is at most \d+/);
  });
});
