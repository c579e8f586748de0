import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '@certledger/crypto';
import type { Json, JsonObject } from '../json.js';
import { canonicalJson } from './canonical-json.js';
import { addEddsaJcsProof, verifyEddsaJcsProof } from './eddsa-jcs-2022.js';
import { didKeyFromPublicKey, publicKeyFromDidKey } from './multikey.js';

type Path = (string | number)[];

const jsonValue = fc.jsonValue({ maxDepth: 4, stringUnit: 'grapheme' }) as fc.Arbitrary<Json>;
/** Random documents; `proof` is left out because a document's proof member has a meaning of its own. */
const documents = fc
  .dictionary(fc.string({ unit: 'grapheme' }), jsonValue, { maxKeys: 8 })
  .map((document) => Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'proof')) as JsonObject);
const seeds = fc.uint8Array({ minLength: 32, maxLength: 32 });

function verificationMethodOf(seed: Uint8Array): string {
  const did = didKeyFromPublicKey(keyPairFromSeed(seed).publicKey);
  return `${did}#${did.slice('did:key:'.length)}`;
}

/** Every place inside `value` that holds a value: object members and array elements, at any depth. */
function pathsIn(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsIn(item, [...prefix, key])]);
}

function valueAt(document: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, document);
}

function setAt(document: JsonObject, path: Path, value: Json): void {
  const parent = valueAt(document, path.slice(0, -1)) as object;
  // defineProperty, not assignment, so that a generated "__proto__" key is written as data.
  Object.defineProperty(parent, path[path.length - 1] as string | number, { value, enumerable: true, writable: true, configurable: true });
}

describe('eddsa-jcs-2022 on random JSON documents', () => {
  it('a proof that was added verifies, also after a JSON round trip', () => {
    fc.assert(
      fc.property(documents, seeds, (document, seed) => {
        const signed = addEddsaJcsProof(document, { secretKey: seed, verificationMethod: verificationMethodOf(seed) });
        expect(verifyEddsaJcsProof(signed, publicKeyFromDidKey)).toEqual({ verified: true });
        expect(verifyEddsaJcsProof(JSON.parse(JSON.stringify(signed)), publicKeyFromDidKey)).toEqual({ verified: true });
      }),
      { numRuns: 200 },
    );
  });

  it('changing any value of the signed document makes verification fail', () => {
    fc.assert(
      fc.property(documents, seeds, fc.nat(), jsonValue, (document, seed, pick, replacement) => {
        const signed = addEddsaJcsProof(document, { secretKey: seed, verificationMethod: verificationMethodOf(seed) });
        const paths = pathsIn(document);
        const path = paths.length === 0 ? ['added'] : (paths[pick % paths.length] as Path);
        const before = paths.length === 0 ? undefined : valueAt(document, path);
        fc.pre(before === undefined || canonicalJson(before) !== canonicalJson(replacement));
        const tampered = structuredClone(signed) as JsonObject;
        setAt(tampered, path, replacement);
        const result = verifyEddsaJcsProof(tampered, publicKeyFromDidKey);
        expect(result.verified).toBe(false);
        expect(result.verified ? '' : result.reason).toMatch(path[0] === '@context' ? /@context differs/ : /signature does not verify/);
      }),
      { numRuns: 200 },
    );
  });
});
