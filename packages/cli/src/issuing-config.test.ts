import { mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenSha256 as gatewayTokenSha256 } from '@certledger/gateway';
import { describe, expect, it } from 'vitest';
import { initNetwork } from './init-network.js';
import { loadIssuingOptions, tokenSha256 } from './issuing-config.js';
import { BUILT_IN_TEMPLATE } from './network-template.js';

describe('issuing.json', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'certledger-issuing-')), 'net');
  initNetwork({ out, template: { ...BUILT_IN_TEMPLATE, p2pBasePort: 42000, apiBasePort: 42100 }, templateName: 'the built-in template', genesisTime: 1_800_000_000_000 });

  it('init writes each department a private token and issuing.json with only its hash', () => {
    const token = readFileSync(join(out, 'issuers', 'transport.token'), 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(out, 'issuers', 'transport.token')).mode & 0o077).toBe(0);
    const file = readFileSync(join(out, 'issuing.json'), 'utf8');
    expect(file).not.toContain(token);
    const options = loadIssuingOptions(join(out, 'issuing.json'));
    expect(options.departments.map((d) => d.issuerId)).toEqual(['transport', 'health']);
    expect(options.departments[0]!.tokenSha256).toEqual(tokenSha256(token));
    expect([...options.schemas.keys()]).toEqual(['driving-licence@1', 'nurse-licence@1']);
  });

  it('hashes tokens exactly as the gateway does', () => {
    for (const token of ['abc', 'ünïcödé-token', 'x'.repeat(300)]) expect(tokenSha256(token)).toEqual(new Uint8Array(gatewayTokenSha256(token)));
  });

  it('refuses a file that is not what it should be, naming the file and field', () => {
    const bad = join(out, 'bad.json');
    writeFileSync(bad, JSON.stringify({ departments: [{ issuerId: 'transport', keyFile: 'issuers/transport.key.json', tokenSha256: 'zz' }], schemaDir: 'schemas', certTypes: [] }));
    expect(() => loadIssuingOptions(bad)).toThrow(/bad\.json: departments\[0\] needs issuerId, keyFile and tokenSha256/);
    writeFileSync(bad, JSON.stringify({ departments: [], schemaDir: 'schemas', certTypes: [{ typeId: 'ghost', version: 1 }] }));
    expect(() => loadIssuingOptions(bad)).toThrow(/certTypes\[0\]: cannot read .*ghost-v1\.schema\.json/);
    expect(() => loadIssuingOptions(join(out, 'absent.json'))).toThrow(/cannot read the issuing configuration .*absent\.json: ENOENT/);
    const huge = join(out, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 64 << 20);
    expect(() => loadIssuingOptions(huge)).toThrow(/cannot read the issuing configuration .*huge\.json: it is 67108864 bytes; the issuing configuration is at most \d+/);
    writeFileSync(bad, JSON.stringify({ departments: [], schemaDir: '.', certTypes: [{ typeId: 'huge', version: 1 }] }));
    writeFileSync(join(out, 'huge-v1.schema.json'), '');
    truncateSync(join(out, 'huge-v1.schema.json'), 64 << 20);
    expect(() => loadIssuingOptions(bad)).toThrow(/bad\.json: certTypes\[0\]: cannot read the schema .*huge-v1\.schema\.json: it is 67108864 bytes/);
    for (const notObject of ['null', '[]', '"issuing"']) {
      writeFileSync(bad, notObject);
      expect(() => loadIssuingOptions(bad)).toThrow(/bad\.json: is not an issuing configuration: expected a JSON object with "departments", "schemaDir" and "certTypes"$/);
    }
    writeFileSync(bad, JSON.stringify({ departments: [], schemaDir: 'schemas', certTypes: [], schemadir: 'typo' }));
    expect(() => loadIssuingOptions(bad)).toThrow('bad.json: has an unknown field "schemadir" (known: departments, schemaDir, certTypes)');
  });
});
