/**
 * Standard base64 with padding (RFC 4648 section 4), strictly: no whitespace, no URL-safe
 * alphabet, no missing padding, no stray bits in the last character. Undefined otherwise.
 * Node's decoder skips what it does not understand, so the text must re-encode to itself.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  // A copy: small Buffers are views into a shared pool, which code reading .buffer would misread.
  return Uint8Array.from(bytes);
}
