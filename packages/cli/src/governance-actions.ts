import { schemaHash } from '@certledger/certs';
import { fromHex, toHex } from '@certledger/codec';
import { MAX_POWER, type GovernanceAction, type GovernanceKind } from '@certledger/ledger';
import { readJsonFile } from '@certledger/node/files';
import { readSchemaFile } from './issuing.js';
import { readAnyPublicKey } from './key-files.js';
import { parseHash, parseIdentifier, parseIdentifierList, parseInteger, parsePublicKey, parseText, parseTypeReference, type TypeReference } from './options.js';

/** The options `governance propose <kind>` may take to describe an action, parsed. */
export interface ActionOptions {
  name?: string;
  publicKey?: Uint8Array;
  validatorKey?: string;
  power?: number;
  issuer?: string;
  displayName?: string;
  issuerKey?: string;
  reason?: string;
  newPublicKey?: Uint8Array;
  newIssuerKey?: string;
  compromisedFrom?: number;
  type?: TypeReference;
  schemaHash?: string;
  schema?: string;
  issuers?: string[];
}

type OptionName = keyof ActionOptions;

/** Each option's flags and argument parser; what it means is said by each kind that takes it. */
export const ACTION_FLAGS: Record<OptionName, { readonly flags: string; readonly parse?: (text: string) => unknown }> = {
  name: { flags: '--name <text>', parse: parseText(100) },
  publicKey: { flags: '--public-key <hex>', parse: parsePublicKey },
  validatorKey: { flags: '--validator-key <file>' },
  power: { flags: '--power <n>', parse: parseInteger(1, MAX_POWER) },
  issuer: { flags: '--issuer <id>', parse: parseIdentifier },
  displayName: { flags: '--display-name <text>', parse: parseText(200) },
  issuerKey: { flags: '--issuer-key <file>' },
  reason: { flags: '--reason <text>', parse: parseText(500) },
  newPublicKey: { flags: '--new-public-key <hex>', parse: parsePublicKey },
  newIssuerKey: { flags: '--new-issuer-key <file>' },
  compromisedFrom: { flags: '--compromised-from <height>', parse: parseInteger(0, Number.MAX_SAFE_INTEGER) },
  type: { flags: '--type <id@version>', parse: parseTypeReference },
  schemaHash: { flags: '--schema-hash <hex>', parse: parseHash },
  schema: { flags: '--schema <file>' },
  issuers: { flags: '--issuers <ids>', parse: parseIdentifierList },
};

/** The options given for one kind, with the checks that say which one is missing. */
class GivenOptions {
  constructor(
    private readonly kind: GovernanceKind,
    private readonly values: ActionOptions,
  ) {}

  need<K extends OptionName>(key: K): NonNullable<ActionOptions[K]> {
    const value = this.values[key];
    if (value === undefined) throw new Error(`${this.kind} needs ${ACTION_FLAGS[key].flags}`);
    return value as NonNullable<ActionOptions[K]>;
  }

  /** Exactly one of a key option given directly or one naming a key file. */
  key(hexOption: 'publicKey' | 'newPublicKey', fileOption: 'validatorKey' | 'issuerKey' | 'newIssuerKey'): Uint8Array {
    const hex = this.values[hexOption];
    const file = this.values[fileOption];
    const [hexFlag, fileFlag] = [ACTION_FLAGS[hexOption].flags, ACTION_FLAGS[fileOption].flags];
    if (hex && file) throw new Error(`give ${hexFlag} or ${fileFlag}, not both`);
    if (file) return readAnyPublicKey(file).publicKey;
    if (hex) return hex;
    throw new Error(`${this.kind} needs ${hexFlag} or ${fileFlag}`);
  }

  /** A type with its version, which governance always names. */
  typeVersion(): { typeId: string; version: number } {
    const { typeId, version } = this.need('type');
    if (version === undefined) throw new Error(`${this.kind} needs the type's version too, such as --type ${typeId}@1`);
    return { typeId, version };
  }

  schemaHash(): Uint8Array {
    const { schemaHash: hex, schema: file } = this.values;
    if (hex && file) throw new Error('give --schema-hash <hex> or --schema <file>, not both');
    if (file) return schemaHash(readSchemaFile(file));
    if (hex) return fromHex(hex);
    throw new Error(`${this.kind} needs --schema <file> or --schema-hash <hex>`);
  }

  compromisedFrom(): number | null {
    return this.values.compromisedFrom ?? null;
  }
}

interface KindSpec {
  readonly description: string;
  /** The options this kind takes, each with what it means here. */
  readonly options: readonly (readonly [OptionName, string])[];
  readonly build: (given: GivenOptions) => GovernanceAction;
}

const VALIDATOR_KEY: readonly (readonly [OptionName, string])[] = [
  ['publicKey', "the validator's public key"],
  ['validatorKey', "or the validator's key file (secret or public) to read it from"],
];
const ISSUER_ID: readonly [OptionName, string] = ['issuer', 'the issuing department, such as transport'];
const TYPE_VERSION: readonly [OptionName, string] = ['type', 'the certificate type and version, such as driving-licence@1'];
const TYPE_ISSUERS: readonly [OptionName, string] = ['issuers', 'the departments that may issue it, separated by commas'];

export const KINDS: Record<GovernanceKind, KindSpec> = {
  'add-validator': {
    description: 'add a validator; in force two blocks after the one that commits it',
    options: [['name', "the new validator's name"], ...VALIDATOR_KEY, ['power', 'its voting power, from 1']],
    build: (o) => ({ kind: 'add-validator', name: o.need('name'), publicKey: o.key('publicKey', 'validatorKey'), power: o.need('power') }),
  },
  'remove-validator': {
    description: 'remove a validator; in force two blocks after the one that commits it',
    options: VALIDATOR_KEY,
    build: (o) => ({ kind: 'remove-validator', publicKey: o.key('publicKey', 'validatorKey') }),
  },
  'set-validator-power': {
    description: "change a validator's voting power; in force two blocks after the one that commits it",
    options: [...VALIDATOR_KEY, ['power', 'the new voting power, from 1']],
    build: (o) => ({ kind: 'set-validator-power', publicKey: o.key('publicKey', 'validatorKey'), power: o.need('power') }),
  },
  'register-issuer': {
    description: 'register an issuing department with its first key',
    options: [ISSUER_ID, ['displayName', 'its name as certificates show it'], ['publicKey', "the department's public key"], ['issuerKey', "or the department's key file (secret or public) to read it from"]],
    build: (o) => ({ kind: 'register-issuer', issuerId: o.need('issuer'), displayName: o.need('displayName'), publicKey: o.key('publicKey', 'issuerKey') }),
  },
  'suspend-issuer': {
    description: 'stop a department from anchoring until it is reinstated',
    options: [ISSUER_ID, ['reason', 'why, up to 500 characters; recorded on the ledger']],
    build: (o) => ({ kind: 'suspend-issuer', issuerId: o.need('issuer'), reason: o.need('reason') }),
  },
  'reinstate-issuer': {
    description: 'let a suspended department anchor again',
    options: [ISSUER_ID],
    build: (o) => ({ kind: 'reinstate-issuer', issuerId: o.need('issuer') }),
  },
  'rotate-issuer-key': {
    description: "replace a department's key",
    options: [
      ISSUER_ID,
      ['newPublicKey', 'the new public key'],
      ['newIssuerKey', 'or the new key file (secret or public) to read it from'],
      ['compromisedFrom', 'the old key leaked: anchors it signed from this height on stop being valid (default: it is retired, not compromised)'],
    ],
    build: (o) => ({ kind: 'rotate-issuer-key', issuerId: o.need('issuer'), newPublicKey: o.key('newPublicKey', 'newIssuerKey'), compromisedFromHeight: o.compromisedFrom() }),
  },
  'register-cert-type': {
    description: 'register a certificate type version with its JSON Schema hash and issuers',
    options: [
      TYPE_VERSION,
      ['displayName', 'its name as certificates show it'],
      ['schema', 'its JSON Schema file, hashed here'],
      ['schemaHash', "or the schema's hash (SHA-256 of its RFC 8785 form)"],
      TYPE_ISSUERS,
    ],
    build: (o) => ({ kind: 'register-cert-type', ...o.typeVersion(), displayName: o.need('displayName'), schemaHash: o.schemaHash(), issuers: o.need('issuers') }),
  },
  'set-type-issuers': {
    description: 'replace the list of departments that may issue a certificate type version',
    options: [TYPE_VERSION, TYPE_ISSUERS],
    build: (o) => ({ kind: 'set-type-issuers', ...o.typeVersion(), issuers: o.need('issuers') }),
  },
};

/** The action the options describe; says which option is missing or extra. */
export function actionFromOptions(kind: GovernanceKind, values: ActionOptions): GovernanceAction {
  return KINDS[kind].build(new GivenOptions(kind, values));
}

/** Whether any of the kind's own options was given (they and --action-json exclude each other). */
export function hasActionOptions(kind: GovernanceKind, values: ActionOptions): boolean {
  return KINDS[kind].options.some(([key]) => values[key] !== undefined);
}

/** Fields that hold 32 bytes, written as 64 hex digits in JSON. */
const BYTE_FIELDS = new Set(['publicKey', 'newPublicKey', 'schemaHash']);

export type ActionJson = Record<string, unknown>;

/** An action's fields as JSON, bytes in hex; `kind` travels beside it. */
export function actionToJson(action: GovernanceAction): ActionJson {
  return Object.fromEntries(Object.entries(action).filter(([key]) => key !== 'kind').map(([key, value]) => [key, value instanceof Uint8Array ? toHex(value) : value]));
}

/**
 * An action from the JSON form `actionToJson` writes. Only the bytes are converted here; the
 * proposal checks every field by encoding the action and reading it back as the ledger does.
 */
export function actionFromJson(kind: GovernanceKind, json: unknown, where: string): GovernanceAction {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${where} must hold a JSON object with the fields of the ${kind} action`);
  const entries = Object.entries(json).filter(([key, value]) => {
    if (key !== 'kind') return true;
    if (value !== kind) throw new Error(`${where} says kind ${JSON.stringify(value)}, but the action proposed is ${kind}`);
    return false;
  });
  // fromEntries defines each field as its own, so a "__proto__" field is kept (and refused by the codec) rather than dropped.
  const fields: ActionJson = Object.fromEntries(
    entries.map(([key, value]) => {
      if (!BYTE_FIELDS.has(key)) return [key, value];
      if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value)) throw new Error(`${where}: ${key} must be 64 hex digits`);
      return [key, fromHex(value.toLowerCase())];
    }),
  );
  return { ...fields, kind } as unknown as GovernanceAction;
}

const MAX_ACTION_FILE_BYTES = 64 * 1024;

export function readActionJsonFile(kind: GovernanceKind, file: string): GovernanceAction {
  return actionFromJson(kind, readJsonFile(file, 'the action file', MAX_ACTION_FILE_BYTES), file);
}

/** Text from the ledger, quoted, with invisible and direction-changing characters shown as escapes so a summary cannot mislead its reader. */
function quoted(text: string): string {
  return `"${text.replace(/[\p{C}\p{Zl}\p{Zp}"\\]/gu, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u{${c.codePointAt(0)?.toString(16)}}`))}"`;
}

/** One sentence saying what the action does, for the people who approve it. */
export function describeAction(action: GovernanceAction): string {
  switch (action.kind) {
    case 'add-validator':
      return `add validator ${quoted(action.name)} with public key ${toHex(action.publicKey)} and voting power ${action.power}`;
    case 'remove-validator':
      return `remove the validator with public key ${toHex(action.publicKey)}`;
    case 'set-validator-power':
      return `set the voting power of the validator with public key ${toHex(action.publicKey)} to ${action.power}`;
    case 'register-issuer':
      return `register issuing department ${quoted(action.issuerId)} named ${quoted(action.displayName)} with public key ${toHex(action.publicKey)}`;
    case 'suspend-issuer':
      return `suspend issuing department ${quoted(action.issuerId)} for the reason ${quoted(action.reason)}`;
    case 'reinstate-issuer':
      return `reinstate issuing department ${quoted(action.issuerId)}`;
    case 'rotate-issuer-key': {
      const old = action.compromisedFromHeight === null
        ? 'its current key is retired; what it signed stays valid'
        : `its current key is declared compromised from height ${action.compromisedFromHeight}: anchors it signed from that height on stop being valid`;
      return `give issuing department ${quoted(action.issuerId)} the new public key ${toHex(action.newPublicKey)}; ${old}`;
    }
    case 'register-cert-type':
      return `register certificate type ${action.typeId}@${action.version} named ${quoted(action.displayName)} with schema hash ${toHex(action.schemaHash)}, issued by ${action.issuers.join(', ')}`;
    case 'set-type-issuers':
      return `let only ${action.issuers.join(', ')} issue certificate type ${action.typeId}@${action.version}`;
  }
}
