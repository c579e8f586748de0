/** SHA-256 where Node's crypto is not there: web pages verifying certificates. */
export { sha256 } from '@noble/hashes/sha2.js';
