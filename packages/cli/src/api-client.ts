import { fromHex, toHex } from '@certledger/codec';
import type { AnchorLocation, FetchFn } from '@certledger/certs';
import { decodeBase64 } from './base64.js';

export const DEFAULT_API = 'http://127.0.0.1:8080';
const READ_TIMEOUT_MS = 15_000;

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export async function call(api: string, path: string, timeoutMs: number, init?: RequestInit): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(new URL(path, api), { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as Error).cause;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : cause instanceof Error ? cause.message : (error as Error).message;
    throw new Error(`cannot reach the node at ${api}: ${reason}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Error(`${api}${path} answered ${response.status} with something that is not JSON`);
  }
}

/** The API's `{ error: { code, message } }` as one line, or the raw body when it is not that. */
export function errorLine(answer: Answer): string {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string' ? `${error.code}: ${error.message}` : JSON.stringify(answer.body).slice(0, 300);
}

/** `fetch` with a timeout and this module's error sentences, for `connectLedger`. */
export const fetchWithTimeout: FetchFn = async (url, init) => {
  const { origin, pathname, search } = new URL(url);
  const answer = await call(origin, `${pathname}${search}`, READ_TIMEOUT_MS, init);
  return { status: answer.status, json: async () => answer.body };
};

type JsonRecord = Record<string, unknown>;

/** Reads fields of a gateway answer, naming the route and field when the shape is wrong. */
class AnswerReader {
  constructor(
    private readonly where: string,
    private readonly body: JsonRecord,
  ) {}

  static of(where: string, body: unknown): AnswerReader {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`${where} answered something that is not a JSON object`);
    return new AnswerReader(where, body as JsonRecord);
  }

  private bad(key: string, what: string): never {
    throw new Error(`${this.where} answered an unexpected shape: ${key} is not ${what}`);
  }

  text(key: string): string {
    const value = this.body[key];
    return typeof value === 'string' ? value : this.bad(key, 'a text');
  }

  count(key: string): number {
    const value = this.body[key];
    return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : this.bad(key, 'a whole number');
  }

  countOrNull(key: string): number | null {
    return this.body[key] === null ? null : this.count(key);
  }

  hex(key: string): string {
    const value = this.text(key);
    return /^[0-9a-f]{64}$/.test(value) ? value : this.bad(key, '64 lowercase hex digits');
  }

  hexList(key: string): Uint8Array[] {
    const value = this.body[key];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && /^[0-9a-f]{64}$/.test(item))) this.bad(key, 'a list of 64-hex-digit hashes');
    return (value as string[]).map((item) => fromHex(item));
  }

  bytes(key: string): Uint8Array {
    return decodeBase64(this.text(key)) ?? this.bad(key, 'standard base64');
  }

  list(key: string): AnswerReader[] {
    const value = this.body[key];
    if (!Array.isArray(value)) this.bad(key, 'a list');
    return (value as unknown[]).map((item, i) => AnswerReader.of(`${this.where} ${key}[${i}]`, item));
  }

  raw(key: string): unknown {
    return this.body[key];
  }
}

async function read(api: string, path: string, notFound?: string): Promise<AnswerReader> {
  const answer = await call(api, path, READ_TIMEOUT_MS);
  if (answer.status === 404 && notFound) throw new Error(notFound);
  if (answer.status !== 200) throw new Error(`${api}${path} answered ${answer.status}: ${errorLine(answer)}`);
  return AnswerReader.of(`${api}${path}`, answer.body);
}

export async function fetchChainId(api: string): Promise<string> {
  return (await read(api, '/v1/status')).text('chainId');
}

export interface IssuerAnswer {
  readonly displayName: string;
  readonly keys: readonly { readonly publicKey: string; readonly compromisedFromHeight: number | null }[];
  readonly suspended: boolean;
}

export async function fetchIssuer(api: string, issuerId: string): Promise<IssuerAnswer> {
  const issuer = await read(api, `/v1/issuers/${encodeURIComponent(issuerId)}`, `no issuing department "${issuerId}" is registered on the ledger at ${api}`);
  return {
    displayName: issuer.text('displayName'),
    keys: issuer.list('keys').map((key) => ({ publicKey: key.hex('publicKey'), compromisedFromHeight: key.countOrNull('compromisedFromHeight') })),
    suspended: issuer.raw('suspension') !== null && issuer.raw('suspension') !== undefined,
  };
}

export interface CertTypeAnswer {
  readonly typeId: string;
  readonly version: number;
  readonly displayName: string;
  readonly schemaHash: string;
  readonly issuers: readonly string[];
}

export async function fetchCertTypes(api: string): Promise<CertTypeAnswer[]> {
  return (await read(api, '/v1/cert-types')).list('certTypes').map((type) => {
    const issuers = type.raw('issuers');
    if (!Array.isArray(issuers) || !issuers.every((id) => typeof id === 'string')) throw new Error(`${api}/v1/cert-types answered an unexpected shape: issuers is not a list of ids`);
    return { typeId: type.text('typeId'), version: type.count('version'), displayName: type.text('displayName'), schemaHash: type.hex('schemaHash'), issuers };
  });
}

export interface ValidatorAnswer {
  readonly name: string;
  /** Hex. */
  readonly publicKey: string;
  readonly power: number;
}

/** The validators in force after the last committed block (changes still pending are left out). */
export async function fetchValidators(api: string): Promise<ValidatorAnswer[]> {
  return (await read(api, '/v1/validators')).list('validators').map((validator) => ({ name: validator.text('name'), publicKey: validator.hex('publicKey'), power: validator.count('power') }));
}

/** The sequence number the sender's next transaction must carry. */
export async function fetchNextSeq(api: string, publicKey: Uint8Array): Promise<number> {
  return (await read(api, `/v1/accounts/${toHex(publicKey)}`)).count('nextSeq');
}

/** The node refused a transaction; `code` is the API's error code, e.g. BAD_SEQUENCE. */
export class TransactionRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransactionRefusedError';
  }
}

export type Submission = { readonly id: string; readonly height: number } | { readonly id: string; readonly statusUrl: string };

/**
 * Submits a signed transaction and waits up to `waitSeconds` for its commit. A transaction
 * already on chain answers committed too, so resubmitting is safe. Refusals throw
 * TransactionRefusedError.
 */
export async function submitTransaction(api: string, tx: Uint8Array, waitSeconds: number): Promise<Submission> {
  const answer = await call(api, '/v1/transactions', (waitSeconds + 30) * 1000, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tx: Buffer.from(tx).toString('base64'), wait: waitSeconds }),
  });
  if (answer.status !== 201 && answer.status !== 202) {
    const code = (answer.body as { error?: { code?: unknown } } | null)?.error?.code;
    throw new TransactionRefusedError(typeof code === 'string' ? code : 'UNKNOWN', `the node refused the transaction (${answer.status}) ${errorLine(answer)}`);
  }
  const body = AnswerReader.of(`${api}/v1/transactions`, answer.body);
  return answer.status === 201 ? { id: body.hex('id'), height: body.count('height') } : { id: body.hex('id'), statusUrl: body.text('statusUrl') };
}

/** A submission's outcome as one line: the id, then the height it committed at or where to follow it. */
export function describeSubmission(submitted: Submission, api: string): string {
  return 'height' in submitted ? `${submitted.id}  committed at height ${submitted.height}` : `${submitted.id}  pending; follow it at ${api}${submitted.statusUrl}`;
}

/** Where a committed transaction sits, as a certificate carries it for offline checks. */
export async function fetchAnchorLocation(api: string, txId: string, expectedTx: Uint8Array): Promise<AnchorLocation> {
  const proof = await read(api, `/v1/transactions/${txId}/proof`, `transaction ${txId} is not in a committed block on ${api}`);
  if (toHex(proof.bytes('tx')) !== toHex(expectedTx)) throw new Error(`${api} answered the proof of transaction ${txId} with other transaction bytes`);
  return {
    height: proof.count('height'),
    blockHash: fromHex(proof.hex('blockHash')),
    txIndex: proof.count('txIndex'),
    txCount: proof.count('txCount'),
    txInclusionPath: proof.hexList('inclusionPath'),
    header: proof.bytes('header'),
    commit: proof.bytes('commit'),
  };
}
