import fc from 'fast-check';
import { applyEdits, byteEdits, mutatedBytes, mutatedStructure, replaceInJson } from './mutations.js';

const METHODS = ['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'] as const;
export type HttpMethod = (typeof METHODS)[number];

/** One request for `app.inject`; `label` groups outcomes by what was aimed at. */
export interface HttpInput {
  readonly label: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload?: string | Buffer;
}

/** What a live gateway offers to aim at: its routes and values that exist on its chain. */
export interface HttpSeeds {
  /** OpenAPI paths, parameters as `{name}`: `/v1/blocks/{height}`. */
  readonly routes: readonly { readonly method: HttpMethod; readonly path: string }[];
  readonly queryFields: readonly string[];
  /** Ids, roots, keys, heights and issuer ids that name something on the chain. */
  readonly knownValues: readonly string[];
  /** Signed transactions for the chain, some valid now and some not. */
  readonly txs: readonly Uint8Array[];
  readonly certificate: object;
  /** The token that lets a client issue for the department whose key the gateway holds. */
  readonly issueToken: string;
  readonly bodyLimitBytes: number;
}

const ODD_VALUES = ['', '0', '00', '01', '-1', '1e3', '1.5', ' 1', '9'.repeat(20), '..', '.', '%', '%00', '%zz', '%2e%2e', '%2F', '\u00e9', '\u{1f600}', 'null', 'true', '[]', '{}', 'a'.repeat(3000)];
const PATH_WORDS = ['v1', 'blocks', 'transactions', 'proof', 'accounts', 'issuers', 'anchors', 'revocations', 'cert-types', 'validators', 'status', 'docs', 'json', 'static', 'explorer', 'verifier', 'verify', 'health', 'ready', 'metrics', 'index.html', '..', '.', '', '%2e%2e', '%2F', '*', '~'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'text/json', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json;', 'application/*', '*/*', ';', 'json'];

const text = (maxLength: number) => fc.string({ maxLength, unit: 'grapheme' });
/** Header values as HTTP carries them: visible ASCII and spaces. */
const headerText = fc.string({ maxLength: 60, unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) });

/** A known value with a character changed, added or removed, or cased differently. */
function nearValue(known: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...known), fc.nat(), fc.constantFrom('drop', 'add', 'upper', 'swap'), fc.constantFrom('0', 'f', 'g', 'F', '/', '%', '.', ' ', '\u00e9')).map(([value, at, edit, char]) => {
    const i = value.length === 0 ? 0 : at % value.length;
    if (edit === 'drop') return value.slice(0, i) + value.slice(i + 1);
    if (edit === 'add') return value.slice(0, i) + char + value.slice(i);
    if (edit === 'upper') return value.toUpperCase();
    return value.slice(0, i) + char + value.slice(i + 1);
  });
}

function paramValue(seeds: HttpSeeds): fc.Arbitrary<string> {
  const hex = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('hex'));
  return fc.oneof(fc.constantFrom(...seeds.knownValues), nearValue(seeds.knownValues), fc.constantFrom(...ODD_VALUES), hex, fc.nat().map(String), text(20));
}

/** A value as a client might put it in a URL: encoded, raw, or encoded twice. */
function inUrl(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(value, fc.constantFrom('encoded', 'encoded', 'raw', 'twice')).map(([v, how]) =>
    how === 'raw' ? v.replace(/[\s#?]/g, (c) => encodeURIComponent(c)) : how === 'twice' ? encodeURIComponent(encodeURIComponent(v)) : encodeURIComponent(v),
  );
}

function queryString(seeds: HttpSeeds): fc.Arbitrary<string> {
  const field = fc.oneof(fc.constantFrom(...seeds.queryFields), fc.constantFrom('limit[]', '__proto__', 'constructor', 'a', ''), text(8).map(encodeURIComponent));
  const pair = fc.tuple(field, inUrl(paramValue(seeds))).map(([key, value]) => `${key}=${value}`);
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 3 },
    { arbitrary: fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.join('&')}`), weight: 5 },
    { arbitrary: fc.constantFrom('?', '?&&', '?=', '?a=b=c', '?limit', '?%', '?limit=1&limit=2', '?before=&limit='), weight: 2 },
  );
}

function routePath(seeds: HttpSeeds): fc.Arbitrary<{ label: string; method: HttpMethod; path: string }> {
  return fc.constantFrom(...seeds.routes).chain((route) => {
    const names = route.path.match(/\{[^}]+\}/g) ?? [];
    return fc.tuple(...names.map(() => inUrl(paramValue(seeds)))).map((values) => ({
      label: `${route.method} ${route.path}`,
      method: route.method,
      path: names.reduce((path, name, i) => path.replace(name, values[i] as string), route.path),
    }));
  });
}

const randomPath = fc.array(fc.oneof(fc.constantFrom(...PATH_WORDS), text(10).map(encodeURIComponent)), { maxLength: 6 }).map((segments) => ({ label: 'random path', path: `/${segments.join('/')}` }));

const headers = fc.record(
  {
    'accept-encoding': fc.oneof(fc.constantFrom('gzip', 'br', 'deflate', 'identity', '*', 'gzip;q=0, identity;q=0', 'zstd', 'gzip, br;q=1.5'), headerText),
    accept: fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', 'text/event-stream'), headerText),
    'x-forwarded-for': fc.oneof(fc.constantFrom('10.0.0.1', '1.2.3.4, 5.6.7.8', '::1', 'garbage'), headerText),
    'if-none-match': headerText,
    cookie: headerText,
    origin: fc.constantFrom('http://evil.example', 'null'),
  },
  { requiredKeys: [] },
);

function base64Variant(bytes: Uint8Array): fc.Arbitrary<string> {
  const standard = Buffer.from(bytes).toString('base64');
  return fc.oneof(
    { arbitrary: fc.constant(standard), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        Buffer.from(bytes).toString('base64url'),
        standard.replace(/=+$/, ''),
        `${standard}=`,
        standard.replace(/(.{20})/g, '$1\n'),
        ` ${standard}`,
        standard.toLowerCase(),
        '',
        '====',
      ),
      weight: 3,
    },
  );
}

/** A transaction body: the chain's own transactions, mutated ones, and broken encodings or fields. */
function transactionBody(seeds: HttpSeeds): fc.Arbitrary<unknown> {
  const txBytes = fc.oneof({ arbitrary: fc.constantFrom(...seeds.txs), weight: 2 }, { arbitrary: mutatedBytes(seeds.txs), weight: 3 }, { arbitrary: mutatedStructure(seeds.txs), weight: 3 }, { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 });
  const tx = txBytes.chain(base64Variant);
  const wellFormed = fc.record({ tx, wait: fc.constantFrom(0, 1) }, { requiredKeys: ['tx'] });
  const oddFields = fc.record(
    { tx: fc.oneof(tx, fc.jsonValue({ maxDepth: 2 })), wait: fc.constantFrom(-1, 61, 1.5, '1', null, 1e308), extra: fc.jsonValue({ maxDepth: 1 }) },
    { requiredKeys: [] },
  );
  return fc.oneof({ arbitrary: wellFormed, weight: 4 }, { arbitrary: oddFields, weight: 1 });
}

/** An issue body: records for the department's type with fields replaced, and odd types, versions and dates. */
function issueBody(): fc.Arbitrary<string> {
  const record = fc.oneof({ arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), weight: 8 }, { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 });
  const date = fc.oneof(
    { arbitrary: fc.constantFrom('2026-01-01T00:00:00Z', '2036-01-01T00:00:00Z', '2026-01-01T00:00:00+05:30'), weight: 6 },
    { arbitrary: fc.constantFrom('2026-01-01', '2035-13-01T00:00:00Z', '1969-12-31T23:59:59Z', '', 'tomorrow'), weight: 2 },
    { arbitrary: headerText, weight: 1 },
  );
  const wellFormed = fc.record(
    {
      issuerId: fc.oneof({ arbitrary: fc.constant('transport'), weight: 6 }, { arbitrary: fc.constantFrom('health', 'nobody', 'Transport', ''), weight: 1 }),
      typeId: fc.oneof({ arbitrary: fc.constant('driving-licence'), weight: 6 }, { arbitrary: fc.constantFrom('nurse-licence', 'boat-licence', 'x'), weight: 1 }),
      typeVersion: fc.oneof({ arbitrary: fc.constant(1), weight: 6 }, { arbitrary: fc.constantFrom(0, 2, -1, 1.5, 2 ** 53), weight: 1 }),
      records: fc.array(record, { minLength: 1, maxLength: 4 }),
      validFrom: date,
      validUntil: date,
      dataIntegrity: fc.boolean(),
      wait: fc.constantFrom(0, 1),
    },
    { requiredKeys: ['issuerId', 'typeId', 'typeVersion', 'records', 'validFrom'] },
  );
  return fc.oneof(
    { arbitrary: wellFormed.map((body) => JSON.stringify(body)), weight: 8 },
    { arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => JSON.stringify({ issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, validFrom: '2026-01-01T00:00:00Z', records: [] }).replace('[]', `[${deeplyNested(depth)}]`)), weight: 1 },
  );
}

/** JSON text nested `depth` objects deep, built as text: stringifying it would overflow the stack here. */
const deeplyNested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A verify body: the certificate with a field replaced or removed, its text edited, deeply nested or something else entirely. */
function verifyBody(seeds: HttpSeeds): fc.Arbitrary<string> {
  const fileText = JSON.stringify(seeds.certificate);
  const certificate = fc.oneof(
    { arbitrary: fc.tuple(fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })).map(([pick, value]) => replaceInJson(seeds.certificate, pick, value)), weight: 6 },
    { arbitrary: byteEdits.map((edits) => new TextDecoder().decode(applyEdits(new TextEncoder().encode(fileText), edits))), weight: 3 },
    { arbitrary: fc.constant(seeds.certificate), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  );
  const at = fc.oneof(fc.constantFrom('2027-01-01T00:00:00Z', '2031-06-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2027-02-30T00:00:00Z', 'now'), headerText);
  return fc.oneof(
    { arbitrary: fc.record({ certificate, at }, { requiredKeys: ['certificate'] }).map((body) => JSON.stringify(body)), weight: 12 },
    { arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => `{"certificate":${deeplyNested(depth)}}`), weight: 1 },
  );
}

/** Bodies for any route: JSON of any shape, random bytes, deep nesting and sizes around the limit. */
function anyBody(bodyLimitBytes: number): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
    fc.integer({ min: 1000, max: Math.floor(bodyLimitBytes / 2) - 10 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 1000, max: Math.floor(bodyLimitBytes / 6) - 10 }).map(deeplyNested),
    fc.constantFrom(bodyLimitBytes - 20, bodyLimitBytes + 1, bodyLimitBytes * 2).map((size) => JSON.stringify({ tx: 'A'.repeat(Math.max(0, size - 10)) })),
    fc.constantFrom('', '{', 'null', '"x"', '{"tx":', '\u0000', '{"__proto__":{"tx":"AA=="}}', '{"tx":"AA==","tx":"AA=="}'),
  );
}

/**
 * Requests at a gateway: its routes with mutated parameters and queries, random paths, odd
 * methods and headers, and for the write routes valid-looking bodies with mutated fields.
 */
export function httpRequests(seeds: HttpSeeds): fc.Arbitrary<HttpInput> {
  const contentType = fc.option(fc.oneof({ arbitrary: fc.constant('application/json'), weight: 16 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 3 }, { arbitrary: headerText, weight: 1 }), { nil: undefined, freq: 20 });
  const jsonBodyFor = (path: string): fc.Arbitrary<string | Buffer> => {
    if (path === '/v1/transactions') return fc.oneof({ arbitrary: transactionBody(seeds).map((body) => JSON.stringify(body)), weight: 4 }, { arbitrary: anyBody(seeds.bodyLimitBytes), weight: 1 });
    if (path === '/v1/verify') return fc.oneof({ arbitrary: verifyBody(seeds), weight: 4 }, { arbitrary: anyBody(seeds.bodyLimitBytes), weight: 1 });
    if (path === '/v1/issue') return fc.oneof({ arbitrary: issueBody(), weight: 4 }, { arbitrary: anyBody(seeds.bodyLimitBytes), weight: 1 });
    return anyBody(seeds.bodyLimitBytes);
  };
  const writes = seeds.routes.filter((route) => route.method === 'POST').map((route) => ({ label: `POST ${route.path}`, method: route.method, path: route.path }));
  const target = fc.oneof({ arbitrary: routePath(seeds), weight: 5 }, { arbitrary: fc.constantFrom(...writes), weight: 5 }, { arbitrary: randomPath.map((p) => ({ ...p, method: 'GET' as const })), weight: 2 });
  const method = fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: fc.constantFrom(...METHODS), weight: 2 });
  const authorization = fc.oneof(
    { arbitrary: fc.constant(`Bearer ${seeds.issueToken}`), weight: 6 },
    { arbitrary: fc.constantFrom(`Bearer ${seeds.issueToken}x`, `bearer ${seeds.issueToken}`, seeds.issueToken, 'Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer'), weight: 1 },
    { arbitrary: headerText, weight: 1 },
  );
  const requestHeaders = fc.tuple(headers, fc.option(authorization, { nil: undefined, freq: 8 })).map(([chosen, auth]) => (auth === undefined ? chosen : { ...chosen, authorization: auth }));
  return fc.tuple(target, method, queryString(seeds), requestHeaders, contentType).chain(([{ label, method: routeMethod, path }, otherMethod, query, chosenHeaders, type]) => {
    const chosenMethod = otherMethod ?? routeMethod;
    const routePathOnly = label.split(' ')[1] ?? '';
    const body = chosenMethod === 'POST' || chosenMethod === 'PUT' || chosenMethod === 'PATCH' ? jsonBodyFor(routePathOnly).map((payload) => payload as string | Buffer | undefined) : fc.constant(undefined);
    return body.map((payload) => ({
      label: otherMethod && otherMethod !== routeMethod ? `${otherMethod} on ${label}` : label,
      method: chosenMethod,
      url: `${path}${query}`,
      headers: { ...chosenHeaders, ...(payload !== undefined && type !== undefined ? { 'content-type': type } : {}) },
      ...(payload === undefined ? {} : { payload }),
    }));
  });
}
