import { isUtf8 } from 'node:buffer';
import { MAX_NESTING, strictJsonFault } from '@certledger/certs';
import type { FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { HttpError } from './errors.js';

export type JsonReading = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: string; readonly message: string };

const REFUSE_PROTOTYPE_KEYS = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * The text of a JSON request body. Refused: a compressed body (this gateway does not inflate
 * one, and would otherwise call it "not JSON"), and bytes that are not UTF-8 (RFC 8259 section
 * 8.1), which decoding would quietly turn into U+FFFD: into the records of the certificates an
 * issue request makes, for one.
 */
export function jsonBodyText(request: FastifyRequest, body: Buffer): string {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `the request body must be sent without content-encoding, not as "${encoding}"`);
  }
  if (!isUtf8(body)) throw new HttpError(400, 'BAD_JSON', 'the request body is not UTF-8, which JSON must be');
  return body.toString('utf8');
}

/** A request body's JSON, with keys that could reach an object's prototype refused (as fastify's own parser would), keys written twice and deep nesting too. */
export function parseJsonText(text: string): JsonReading {
  if (text === '') return { ok: false, code: 'BAD_JSON', message: 'the request body is empty but its content-type says JSON' };
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, REFUSE_PROTOTYPE_KEYS);
  } catch {
    // secure-json-parse throws the same SyntaxError for text that is JSON but has such a key.
    try {
      JSON.parse(text);
    } catch {
      return { ok: false, code: 'BAD_JSON', message: 'the request body is not valid JSON' };
    }
    return { ok: false, code: 'BAD_JSON', message: 'the request body has a key "__proto__", or "constructor" holding "prototype", which this gateway refuses' };
  }
  // A key written twice would mean one thing here and another to a reader that keeps the first.
  const fault = strictJsonFault(text, value);
  if (fault?.kind === 'too-deep') return { ok: false, code: 'BAD_JSON', message: `the request body nests lists and objects ${fault.depth} levels deep; at most ${MAX_NESTING} are accepted` };
  if (fault) return { ok: false, code: 'BAD_JSON', message: `the request body has a ${fault.where}; each key may appear once in an object` };
  return { ok: true, value };
}
