import { findAnchorProof, withAnchorProof, splitProofs } from './anchor-proof.js';
import { compareBytes } from '@certledger/codec';
import { entryDigest, flattenEntries, type PathSegment } from './entries.js';
import { CertificateError } from './errors.js';
import { isJsonObject, type JsonObject } from './json.js';

/** `address.street` → ['address', 'street']; a leading `/` reads the rest as a JSON Pointer. */
export function parseFieldPath(text: string): string[] {
  const segments = text.startsWith('/')
    ? text.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    : text.split('.');
  if (segments.length === 0 || segments.some((s) => s.length === 0)) {
    throw new CertificateError('BAD_DISCLOSURE', `"${text}" is not a field path (use names joined by dots, e.g. address.street)`);
  }
  return segments;
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}

/** Removes the field at `path` from `subject`, then any object left empty by that, up to the subject. */
function removeField(subject: JsonObject, path: readonly string[]): void {
  const parents: JsonObject[] = [subject];
  for (const segment of path.slice(0, -1)) parents.push((parents.at(-1) as JsonObject)[segment] as JsonObject);
  delete (parents.at(-1) as JsonObject)[path.at(-1) as string];
  for (let depth = path.length - 1; depth > 0; depth--) {
    if (Object.keys(parents[depth] as JsonObject).length > 0) break;
    delete (parents[depth - 1] as JsonObject)[path[depth - 1] as string];
  }
}

function requireObjectField(subject: JsonObject, path: readonly string[], text: string): void {
  let node: unknown = subject;
  for (const segment of path) {
    if (!isJsonObject(node) || !Object.hasOwn(node, segment)) {
      throw new CertificateError('BAD_DISCLOSURE', `the certificate shows no field "${text}" (fields inside lists can only be hidden with their whole list)`);
    }
    node = node[segment];
  }
}

/**
 * The same certificate with some subject fields hidden: each hidden value is replaced by its
 * salted digest, so the certificate still verifies and the value cannot be guessed. Other
 * proofs that sign the whole credential (Data Integrity) no longer hold and are dropped.
 */
export function discloseCertificate(credential: JsonObject, hide: readonly string[]): JsonObject {
  const { proof } = findAnchorProof(credential);
  const { unsecured } = splitProofs(credential);
  const copy = structuredClone(unsecured);
  if (!isJsonObject(copy.credentialSubject)) throw new CertificateError('MALFORMED', 'credentialSubject must be an object');
  const subject = copy.credentialSubject;
  const salts = new Map(proof.salts);
  const hidden = [...proof.hiddenDigests];
  for (const text of hide) {
    const path = parseFieldPath(text);
    requireObjectField(subject, path, text);
    const prefix: PathSegment[] = ['credentialSubject', ...path];
    for (const entry of flattenEntries(copy).filter((e) => startsWith(e.path, prefix))) {
      const salt = salts.get(entry.pointer);
      if (!salt) throw new CertificateError('MALFORMED', `the field ${entry.pointer} has no salt in the proof`);
      hidden.push(entryDigest(entry, salt));
      salts.delete(entry.pointer);
    }
    removeField(subject, path);
  }
  return withAnchorProof(copy, { ...proof, salts, hiddenDigests: hidden.sort(compareBytes) });
}
