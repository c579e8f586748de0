import { fromHex, toHex } from '@certledger/codec';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import type { IssuerKeyStatus, LedgerView } from './ledger-view.js';

export type FetchFn = (url: string, init?: { headers?: Record<string, string> }) => Promise<{ status: number; json(): Promise<unknown> }>;

/** A gateway answered with something other than what its API documents. */
export class GatewayAnswerError extends Error {
  constructor(url: string, what: string) {
    super(`${url}: ${what}`);
    this.name = 'GatewayAnswerError';
  }
}

interface Reader {
  text(key: string): string;
  count(key: string): number;
  countOrNull(key: string): number | null;
  hash(key: string, bytes?: number): Uint8Array;
  object(key: string): Reader;
  list(key: string): Reader[];
  raw(key: string): Json | undefined;
}

function reader(url: string, value: unknown, path = '$'): Reader {
  if (!isJsonObject(value)) throw new GatewayAnswerError(url, `${path} is not an object`);
  const obj: JsonObject = value;
  const bad = (key: string, what: string): never => {
    throw new GatewayAnswerError(url, `${path}.${key} ${what}`);
  };
  const count = (key: string): number => {
    const v = obj[key];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(key, 'is not a whole number');
  };
  return {
    text: (key) => (typeof obj[key] === 'string' ? (obj[key] as string) : bad(key, 'is not a text')),
    count,
    countOrNull: (key) => (obj[key] === null ? null : count(key)),
    hash: (key, bytes = 32) => {
      const v = obj[key];
      return typeof v === 'string' && v.length === bytes * 2 && /^[0-9a-f]*$/.test(v) ? fromHex(v) : bad(key, `is not ${bytes * 2} hex digits`);
    },
    object: (key) => reader(url, obj[key], `${path}.${key}`),
    list: (key) => {
      const v = obj[key];
      return Array.isArray(v) ? v.map((item, i) => reader(url, item, `${path}.${key}[${i}]`)) : bad(key, 'is not a list');
    },
    raw: (key) => obj[key],
  };
}

/**
 * A ledger view over a certledger gateway's read API. Everything it says is checked for shape;
 * the gateway is trusted for the facts it reports (run your own node, or verify offline, to
 * trust nobody).
 */
export async function connectLedger(baseUrl: string, fetchFn: FetchFn = globalThis.fetch as unknown as FetchFn): Promise<LedgerView> {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (path: string): Promise<Reader | null> => {
    const url = `${base}${path}`;
    const response = await fetchFn(url, { headers: { accept: 'application/json' } });
    if (response.status === 404) return null;
    if (response.status !== 200) throw new GatewayAnswerError(url, `answered HTTP ${response.status}`);
    return reader(url, await response.json());
  };
  const status = await get('/v1/status');
  if (!status) throw new GatewayAnswerError(`${base}/v1/status`, 'not found: is this a certledger gateway?');
  const chainId = status.text('chainId');
  let typeNames: Map<string, string> | undefined;
  return {
    chainId,
    async anchor(root) {
      const a = await get(`/v1/anchors/${toHex(root)}`);
      return a && { issuerId: a.text('issuerId'), typeId: a.text('typeId'), typeVersion: a.count('typeVersion'), height: a.count('height'), txId: a.hash('txId'), blockHash: a.hash('blockHash') };
    },
    async issuer(issuerId) {
      const i = await get(`/v1/issuers/${encodeURIComponent(issuerId)}`);
      if (!i) return null;
      const keys: IssuerKeyStatus[] = i.list('keys').map((k) => ({
        publicKey: k.hash('publicKey'),
        addedAtHeight: k.count('addedAtHeight'),
        retiredAtHeight: k.countOrNull('retiredAtHeight'),
        compromisedFromHeight: k.countOrNull('compromisedFromHeight'),
      }));
      const suspension = i.raw('suspension') ? i.object('suspension') : null;
      return { issuerId, displayName: i.text('displayName'), keys, suspended: suspension && { atHeight: suspension.count('atHeight'), reason: suspension.text('reason') } };
    },
    async certTypeName(typeId, version) {
      if (!typeNames) {
        const list = await get('/v1/cert-types');
        typeNames = new Map((list?.list('certTypes') ?? []).map((t) => [`${t.text('typeId')}@${t.count('version')}`, t.text('displayName')]));
      }
      return typeNames.get(`${typeId}@${version}`) ?? null;
    },
    async revocation(root, leaf) {
      const r = await get(`/v1/revocations/${toHex(root)}?leaf=${toHex(leaf)}`);
      if (!r || r.raw('revoked') !== true) return null;
      return { reason: r.text('reason'), height: r.count('height'), wholeBatch: r.raw('scope') === 'batch' };
    },
  };
}
