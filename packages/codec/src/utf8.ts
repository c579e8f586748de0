/** Strict: ill-formed bytes throw instead of becoming U+FFFD, and a leading U+FEFF is kept. */
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Up to this many bytes, ASCII is turned into a string faster in JavaScript than by the decoder. */
const SHORT_ASCII_BYTES = 12;

/** The text `bytes[start, end)` hold, or undefined when they are not well-formed UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start <= SHORT_ASCII_BYTES) {
    let text = '';
    for (let i = start; i < end; i++) {
      const byte = bytes[i] as number;
      if (byte >= 0x80) return decodeStrictly(bytes, start, end);
      text += String.fromCharCode(byte);
    }
    return text;
  }
  return decodeStrictly(bytes, start, end);
}

/**
 * Short strings repeat from one value to the next: map keys, and in transactions the chain id,
 * the kind, the issuer and type ids. Short ASCII ones are looked up here by their bytes, so
 * reading one costs a comparison instead of a new string, one that a node would keep for each
 * waiting transaction and that a key would make the engine look up again as a property name.
 */
const recentStrings: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);
const MAX_RECENT_STRING_BYTES = 24;

/** Like {@link decodeUtf8}, for short strings that recur (fixstr values and map keys). */
export function decodeShortText(bytes: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start;
  if (length === 0 || length > MAX_RECENT_STRING_BYTES) return decodeUtf8(bytes, start, end);
  const slot = ((length << 7) ^ ((bytes[start] as number) << 4) ^ ((bytes[start + (length >> 1)] as number) << 2) ^ (bytes[end - 1] as number)) & 4095;
  const recent = recentStrings[slot];
  if (recent !== undefined && recent.length === length) {
    let same = 0;
    while (same < length && recent.charCodeAt(same) === bytes[start + same]) same++;
    if (same === length) return recent;
  }
  const text = decodeUtf8(bytes, start, end);
  // As many UTF-16 units as bytes: ASCII, whose bytes are its char codes, as the lookup compares.
  if (text !== undefined && text.length === length) recentStrings[slot] = text;
  return text;
}

function decodeStrictly(bytes: Uint8Array, start: number, end: number): string | undefined {
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** ES2024's String.prototype.isWellFormed (Node 20+, current browsers), not yet in the lib this repo compiles against. */
type WellFormedCheck = { isWellFormed(): boolean };

/**
 * False for a string holding a lone surrogate: it has no UTF-8 form, so no canonical encoding
 * (the msgpackr encoder wrote bytes no decoder accepts for short ones and U+FFFD for long ones,
 * giving two strings one encoding). The codec refuses such strings.
 */
export function hasUtf8Form(text: string): boolean {
  return (text as unknown as WellFormedCheck).isWellFormed();
}

/**
 * Writes `text`, which {@link hasUtf8Form}, as UTF-8 at `offset` and returns the byte count;
 * `target` must hold three bytes per UTF-16 unit. Short strings go through a loop here, which
 * beats the platform encoder's call overhead.
 */
export function encodeUtf8(text: string, target: Uint8Array, offset: number): number {
  const length = text.length;
  if (length >= 64) return encoder.encodeInto(text, target.subarray(offset)).written;
  let at = offset;
  for (let i = 0; i < length; i++) {
    let unit = text.charCodeAt(i);
    if (unit < 0x80) {
      target[at++] = unit;
    } else if (unit < 0x800) {
      target[at++] = 0xc0 | (unit >> 6);
      target[at++] = 0x80 | (unit & 0x3f);
    } else if ((unit & 0xfc00) === 0xd800) {
      unit = 0x10000 + ((unit & 0x3ff) << 10) + (text.charCodeAt(++i) & 0x3ff);
      target[at++] = 0xf0 | (unit >> 18);
      target[at++] = 0x80 | ((unit >> 12) & 0x3f);
      target[at++] = 0x80 | ((unit >> 6) & 0x3f);
      target[at++] = 0x80 | (unit & 0x3f);
    } else {
      target[at++] = 0xe0 | (unit >> 12);
      target[at++] = 0x80 | ((unit >> 6) & 0x3f);
      target[at++] = 0x80 | (unit & 0x3f);
    }
  }
  return at - offset;
}
