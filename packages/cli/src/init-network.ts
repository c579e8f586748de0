import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { toHex } from '@certledger/codec';
import { schemaHash } from '@certledger/certs';
import { generateKeyPair, type KeyPair } from '@certledger/crypto';
import { writeKeyFile } from '@certledger/crypto/keyfile';
import { genesisToJson, parseGenesis, type Genesis } from '@certledger/ledger';
import { newDepartmentToken, schemaFileName, tokenSha256, type IssuingFile } from './issuing-config.js';
import type { NetworkTemplate } from './network-template.js';

export interface InitNetworkOptions {
  readonly out: string;
  /** The network's shape; node i listens on p2pBasePort + i and serves its API on apiBasePort + i. */
  readonly template: NetworkTemplate;
  /** Where the template came from, for error messages: its file, or the built-in template. */
  readonly templateName: string;
  readonly genesisTime: number;
  readonly random?: (length: number) => Uint8Array;
}

export interface NetworkNode {
  readonly name: string;
  readonly publicKey: string;
  readonly configFile: string;
  readonly p2p: string;
  readonly api: string;
}

/**
 * Writes a new network: fresh keys (files 0600), genesis.json, one node.json per validator,
 * and network.json listing the nodes. Refuses to write into a folder that is not empty, so
 * no key is ever overwritten, and checks the genesis before it creates anything.
 */
export function initNetwork(options: InitNetworkOptions): { genesis: Genesis; nodes: NetworkNode[] } {
  const { template } = options;
  if (existsSync(options.out) && readdirSync(options.out).length > 0) {
    throw new Error(`${options.out} is not empty; choose a new folder so no existing key is overwritten`);
  }
  const random = options.random;
  const newKey = (): KeyPair => (random ? generateKeyPair(random) : generateKeyPair());
  const validatorKeys = Array.from({ length: template.validators }, newKey);
  const issuerKeys = template.issuers.map(newKey);
  const names = validatorKeys.map((_, i) => `validator-${i}`);

  const genesisJson = {
    ...genesisToJson({
      chainId: template.chainId,
      genesisTime: options.genesisTime,
      params: template.params,
      validators: validatorKeys.map((k, i) => ({ publicKey: k.publicKey, power: 10, name: names[i] as string })),
      issuers: template.issuers.map((issuer, i) => ({ ...issuer, publicKey: (issuerKeys[i] as KeyPair).publicKey })),
      certTypes: template.certTypes.map(({ schema, ...t }) => ({ ...t, schemaHash: schemaHash(schema) })),
    }),
  };
  const parsed = parseGenesis(genesisJson);
  if (!parsed.ok) throw new Error(`${options.templateName} does not make a valid genesis, nothing was written: ${parsed.error.message}`);
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'genesis.json'), `${JSON.stringify(genesisJson, null, 2)}\n`);

  mkdirSync(join(options.out, 'schemas'));
  for (const type of template.certTypes) {
    writeFileSync(join(options.out, 'schemas', schemaFileName(type.typeId, type.version)), `${JSON.stringify(type.schema, null, 2)}\n`);
  }

  mkdirSync(join(options.out, 'issuers'));
  const issuing: IssuingFile = { departments: [], schemaDir: 'schemas', certTypes: template.certTypes.map(({ typeId, version }) => ({ typeId, version })) };
  template.issuers.forEach((issuer, i) => {
    const keyFile = join('issuers', `${issuer.issuerId}.key.json`);
    writeKeyFile(join(options.out, keyFile), issuerKeys[i] as KeyPair, { label: issuer.displayName });
    const token = newDepartmentToken(random ?? randomBytes);
    writeFileSync(join(options.out, 'issuers', `${issuer.issuerId}.token`), `${token}\n`, { mode: 0o600 });
    (issuing.departments as IssuingFile['departments'][number][]).push({ issuerId: issuer.issuerId, keyFile, tokenSha256: toHex(tokenSha256(token)) });
  });
  writeFileSync(join(options.out, 'issuing.json'), `${JSON.stringify(issuing, null, 2)}\n`);

  const p2pAddress = (i: number) => `/ip4/${template.host}/tcp/${template.p2pBasePort + i}`;
  const nodes: NetworkNode[] = names.map((name, i) => {
    const dir = join(options.out, name);
    mkdirSync(dir);
    writeKeyFile(join(dir, 'node.key.json'), validatorKeys[i] as KeyPair, { label: name });
    const config = {
      name,
      mode: 'validator',
      genesisFile: '../genesis.json',
      keyFile: 'node.key.json',
      dataDir: 'data',
      p2p: {
        listen: [p2pAddress(i)],
        peers: names.flatMap((peer, j) => (j === i ? [] : [{ name: peer, publicKey: toHex((validatorKeys[j] as KeyPair).publicKey), addresses: [p2pAddress(j)] }])),
      },
      api: { host: template.host, port: template.apiBasePort + i },
      consensus: template.consensus,
      logLevel: 'info',
    };
    const configFile = join(dir, 'node.json');
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    return { name, publicKey: toHex((validatorKeys[i] as KeyPair).publicKey), configFile: relative(options.out, configFile), p2p: p2pAddress(i), api: `http://${template.host}:${template.apiBasePort + i}` };
  });
  writeFileSync(join(options.out, 'network.json'), `${JSON.stringify({ chainId: template.chainId, nodes }, null, 2)}\n`);
  return { genesis: parsed.value, nodes };
}
