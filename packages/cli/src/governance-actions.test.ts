import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaHash } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import { writePublicKeyFile } from '@certledger/crypto/keyfile';
import { encodeTxBody, GOVERNANCE_KINDS, type GovernanceAction, type GovernanceKind } from '@certledger/ledger';
import { testSigner } from '@certledger/ledger/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { actionFromJson, actionFromOptions, actionToJson, describeAction, hasActionOptions, readActionJsonFile, type ActionOptions } from './governance-actions.js';
import { createProposal } from './governance-proposal.js';

const key = testSigner('governance-actions').publicKey;
const dir = mkdtempSync(join(tmpdir(), 'certledger-actions-'));
const publicKeyFile = join(dir, 'key.pub.json');
writePublicKeyFile(publicKeyFile, key);
const schemaFile = join(dir, 'schema.json');
writeFileSync(schemaFile, '{"type":"object"}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Options that describe one action of each kind. */
const EXAMPLES: Record<GovernanceKind, ActionOptions> = {
  'add-validator': { name: 'validator-4', validatorKey: publicKeyFile, power: 10 },
  'remove-validator': { publicKey: key },
  'set-validator-power': { publicKey: key, power: 5 },
  'register-issuer': { issuer: 'justice', displayName: 'Ministry of Justice', issuerKey: publicKeyFile },
  'suspend-issuer': { issuer: 'transport', reason: 'audit' },
  'reinstate-issuer': { issuer: 'transport' },
  'rotate-issuer-key': { issuer: 'transport', newPublicKey: key, compromisedFrom: 12 },
  'register-cert-type': { type: { typeId: 'fishing-licence', version: 1 }, displayName: 'Fishing licence', schema: schemaFile, issuers: ['health', 'transport'] },
  'set-type-issuers': { type: { typeId: 'driving-licence', version: 1 }, issuers: ['transport'] },
};

function encoded(action: GovernanceAction): string {
  return toHex(encodeTxBody({ chainId: 'c', sender: key, seq: 0, action }));
}

describe('governance actions from options', () => {
  it('builds every kind, reading keys and schemas from files, into an action the ledger codec takes', () => {
    for (const kind of GOVERNANCE_KINDS) {
      const action = actionFromOptions(kind, EXAMPLES[kind]);
      expect(action.kind).toBe(kind);
      expect(() => createProposal({ chainId: 'c', sender: key, seq: 0, action }), kind).not.toThrow();
    }
    expect(actionFromOptions('add-validator', EXAMPLES['add-validator'])).toEqual({ kind: 'add-validator', name: 'validator-4', publicKey: key, power: 10 });
    expect(actionFromOptions('register-cert-type', EXAMPLES['register-cert-type'])).toMatchObject({ schemaHash: schemaHash({ type: 'object' }) });
    expect(actionFromOptions('rotate-issuer-key', { issuer: 'transport', newPublicKey: key })).toMatchObject({ compromisedFromHeight: null });
  });

  it('says which option is missing or given twice over', () => {
    expect(() => actionFromOptions('add-validator', { name: 'x', publicKey: key })).toThrow('add-validator needs --power <n>');
    expect(() => actionFromOptions('remove-validator', {})).toThrow('remove-validator needs --public-key <hex> or --validator-key <file>');
    expect(() => actionFromOptions('remove-validator', { publicKey: key, validatorKey: publicKeyFile })).toThrow('give --public-key <hex> or --validator-key <file>, not both');
    expect(() => actionFromOptions('set-type-issuers', { type: { typeId: 'driving-licence' }, issuers: ['transport'] })).toThrow('set-type-issuers needs the type\'s version too, such as --type driving-licence@1');
    expect(() => actionFromOptions('register-cert-type', { ...EXAMPLES['register-cert-type'], schema: undefined })).toThrow('register-cert-type needs --schema <file> or --schema-hash <hex>');
    expect(() => actionFromOptions('add-validator', { name: 'x', power: 1, validatorKey: join(dir, 'missing.json') })).toThrow(/missing\.json: does not exist/);
    expect(hasActionOptions('add-validator', { power: 1 })).toBe(true);
    expect(hasActionOptions('add-validator', { issuer: 'transport' })).toBe(false);
  });
});

describe('governance actions as JSON', () => {
  it('round trip: the JSON form reads back as the same action', () => {
    for (const kind of GOVERNANCE_KINDS) {
      const action = actionFromOptions(kind, EXAMPLES[kind]);
      const json = JSON.parse(JSON.stringify(actionToJson(action))) as unknown;
      expect(encoded(actionFromJson(kind, json, 'a.json')), kind).toBe(encoded(action));
    }
  });

  it('refuses JSON that is not an object, of another kind or with bad hex', () => {
    expect(() => actionFromJson('remove-validator', [], 'a.json')).toThrow('a.json must hold a JSON object with the fields of the remove-validator action');
    expect(() => actionFromJson('remove-validator', { kind: 'add-validator', publicKey: toHex(key) }, 'a.json')).toThrow('a.json says kind "add-validator", but the action proposed is remove-validator');
    expect(() => actionFromJson('remove-validator', { publicKey: 'abcd' }, 'a.json')).toThrow('a.json: publicKey must be 64 hex digits');
    const file = join(dir, 'action.json');
    writeFileSync(file, `{"publicKey":"${toHex(key)}","__proto__":{"power":1}}`);
    const action = readActionJsonFile('remove-validator', file);
    expect(() => createProposal({ chainId: 'c', sender: key, seq: 0, action }), 'a field named __proto__ is refused, not dropped').toThrow(/the remove-validator action is not valid: .*"__proto__" is not allowed/);
    writeFileSync(file, '{"publicKey":');
    expect(() => readActionJsonFile('remove-validator', file)).toThrow(/action\.json is not JSON/);
  });
});

describe('action summaries', () => {
  it('say what the action does, with names quoted and invisible characters shown', () => {
    expect(describeAction({ kind: 'set-validator-power', publicKey: key, power: 7 })).toBe(`set the voting power of the validator with public key ${toHex(key)} to 7`);
    expect(describeAction({ kind: 'suspend-issuer', issuerId: 'transport', reason: 'fraud \u202Eedis' })).toBe('suspend issuing department "transport" for the reason "fraud \\u{202e}edis"');
    expect(describeAction({ kind: 'register-issuer', issuerId: 'x', displayName: 'A "B"', publicKey: key })).toContain('named "A \\"B\\""');
  });
});
