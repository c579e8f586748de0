import { visit } from 'jsonc-parser';
import { malformed } from './errors.js';
import { MAX_DEPTH, pointerOf } from './entries.js';
import { isJsonObject, type Json } from './json.js';

/**
 * Lists and objects nested deeper than this are refused before anything walks them by
 * recursion: twice the depth that field hashing accepts, so no certificate that could verify
 * comes near it.
 */
export const MAX_NESTING = 2 * MAX_DEPTH;

/** Where the string whose opening quote is at `start` ends: the index after its closing quote. */
function endOfString(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text[end - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return end + 1;
    end = text.indexOf('"', end + 1);
  }
}

/** What valid JSON text writes: its object members (one colon outside strings each) and its deepest nesting. */
function scanJsonText(text: string): { members: number; deepest: number } {
  let members = 0;
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; ) {
    const char = text[i];
    if (char === '"') {
      i = endOfString(text, i);
      continue;
    }
    if (char === ':') members++;
    else if (char === '{' || char === '[') deepest = Math.max(deepest, ++depth);
    else if (char === '}' || char === ']') depth--;
    i++;
  }
  return { members, deepest };
}

function keysInValue(value: Json): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + keysInValue(item), 0);
  if (!isJsonObject(value)) return 0;
  let keys = 0;
  for (const key of Object.keys(value)) keys += 1 + keysInValue(value[key] as Json);
  return keys;
}

/** Names the first key written twice in one object of valid JSON text, keys compared as JSON.parse reads them. */
function repeatedKey(text: string): string {
  const keysOfOpenObjects: Set<string>[] = [];
  let first: string | undefined;
  visit(text, {
    onObjectBegin: () => void keysOfOpenObjects.push(new Set()),
    onObjectEnd: () => void keysOfOpenObjects.pop(),
    onObjectProperty: (key, _offset, _length, _line, _column, pathSupplier) => {
      const keys = keysOfOpenObjects.at(-1) as Set<string>;
      if (keys.has(key)) first ??= `duplicate key "${key}" at ${pointerOf([...pathSupplier(), key])}`;
      keys.add(key);
    },
  });
  return first ?? 'a key written twice in one object';
}

/** What {@link strictJsonFault} finds: too deep a nesting, or a key written twice (`where` names it). */
export type StrictJsonFault = { readonly kind: 'too-deep'; readonly depth: number } | { readonly kind: 'repeated-key'; readonly where: string };

/**
 * What is wrong with valid JSON `text`, parsed by JSON.parse as `value`, that JSON.parse lets
 * through: nesting deeper than {@link MAX_NESTING}, or a key written twice in one object (RFC
 * 7493 I-JSON forbids it; JSON.parse keeps the last, other readers the first, so the text means
 * different things to different readers). The parsed objects hold one key per member the text
 * writes unless a key repeats, so comparing the two counts finds a repeat for a fraction of what
 * parsing costs; only then does jsonc-parser read the text again, to name the key.
 */
export function strictJsonFault(text: string, value: unknown): StrictJsonFault | undefined {
  const { members, deepest } = scanJsonText(text);
  if (deepest > MAX_NESTING) return { kind: 'too-deep', depth: deepest };
  return keysInValue(value as Json) === members ? undefined : { kind: 'repeated-key', where: repeatedKey(text) };
}

/** A certificate file's text as JSON, refused if {@link strictJsonFault} finds a fault. */
export function parseStrictJson(text: string): Json {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (err) {
    malformed(`the file is not JSON: ${(err as Error).message}`);
  }
  const fault = strictJsonFault(text, value);
  if (fault?.kind === 'too-deep') malformed(`the file nests lists and objects ${fault.depth} levels deep; a certificate nests at most ${MAX_NESTING}`);
  if (fault) malformed(`${fault.where}: a certificate names each field once`);
  return value;
}

/** A certificate file's bytes as text; bytes that are not UTF-8 are refused, never replaced by U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    malformed('the file is not valid UTF-8 text');
  }
}
