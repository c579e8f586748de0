import { buildAdversarialCorpus } from './equivalence-corpus.ts';
import { backend as nativeBackend } from './backend-native.ts';
import { backend as nobleBackend } from './backend-noble.ts';
import { ed25519 } from '@noble/curves/ed25519.js';
const c = buildAdversarialCorpus();
const counts = new Map<string, number[]>();
for (const x of c) {
  if (x.signature.length !== 64 || x.publicKey.length !== 32) continue;
  const raw = nativeBackend.verifyEquation(x.signature, x.message, x.publicKey);
  const rawNoble = nobleBackend.verifyEquation(x.signature, x.message, x.publicKey);
  let cof = false; try { cof = ed25519.verify(x.signature, x.message, x.publicKey); } catch {}
  const k = x.group; const v = counts.get(k) ?? [0,0,0,0,0];
  v[0]++; if (raw) v[1]++; if (rawNoble) v[2]++; if (cof) v[3]++; if (x.expected) v[4]++;
  counts.set(k, v);
  if (raw !== x.expected && x.group !== 'scalar') console.log('raw openssl differs:', x.label, raw);
}
console.log('group: [n, rawOpenSSL, rawNobleEq, nobleCofactored, expected]'); console.log(counts);
