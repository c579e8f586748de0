import { parseDateTimeStamp } from '@certledger/certs';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { schemaFailure } from './errors.js';
import { parseJsonText } from './json-body.js';
import { verifySchema } from './verify-schemas.js';

/**
 * The validator options the gateway gives fastify: a body is checked as sent, never coerced or
 * trimmed. `date-time-stamp` is a moment written as certificates write their dates (XML Schema
 * dateTimeStamp on a real calendar day): JSON Schema's own date-time also takes a leap second
 * (23:59:60), which Date.parse reads as NaN, and NaN passes every comparison with a
 * certificate's dates.
 */
export const AJV_OPTIONS = {
  removeAdditional: false,
  coerceTypes: false,
  allErrors: false,
  formats: { 'date-time-stamp': (text: string) => parseDateTimeStamp(text) !== undefined },
} as const;

export interface VerifyBody {
  readonly certificate: unknown;
  readonly at?: string;
}

export type BodyReading = { readonly ok: true; readonly body: VerifyBody } | { readonly ok: false; readonly code: string; readonly message: string };

/** The moment a verify request asks its validity dates to be judged at: its `at`, or else `now`. */
export function judgedAt(body: VerifyBody, now: number): number {
  return body.at === undefined ? now : Date.parse(body.at);
}

/** The same validator fastify builds from the route's schema: same compiler, options and formats, so the same answers. */
const validateBody = AjvCompiler()({}, { customOptions: AJV_OPTIONS })({ schema: verifySchema.body, method: 'POST', url: '/v1/verify', httpPart: 'body' }) as {
  (value: unknown): boolean;
  errors?: readonly { keyword: string; instancePath: string; message?: string; params: Record<string, unknown> }[] | null;
};

/**
 * A POST /v1/verify body from its text (undefined when the request had none), parsed and
 * checked as the gateway's JSON parser and the route's schema would, with the same error codes
 * and sentences: for a verifier thread, so the event loop need not parse the body at all.
 */
export function readVerifyBody(text: string | undefined): BodyReading {
  // No body at all (no content-type either) is left for the schema to refuse, as fastify does.
  const json = text === undefined ? { ok: true as const, value: undefined } : parseJsonText(text);
  if (!json.ok) return json;
  if (validateBody(json.value)) return { ok: true, body: json.value as VerifyBody };
  const [violation] = validateBody.errors ?? [];
  return { ok: false, ...schemaFailure('body', violation ?? { keyword: '', instancePath: '', params: {} }) };
}
