import { base64 } from '@scure/base';

/** Standard base64 with padding, strictly (RFC 4648 §4: no whitespace, no URL-safe letters); undefined for anything else. */
export function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return base64.decode(text);
  } catch {
    return undefined;
  }
}
