/**
 * Core benchmark: codec, hashing, Ed25519 (native vs noble, same run), Merkle roots and the
 * state transition. Prints one line a figure; ratios are against baselines measured here.
 */
import { decode, encode, sha256, taggedHash } from '@certledger/codec';
import { sign, signReference, verify, verifyReference, keyPairFromSeed } from '@certledger/crypto';
import { applyTransaction, buildBlock, type State } from '@certledger/ledger';
import { makeTx, testNetwork } from '@certledger/ledger/testing';
import { leafHash, merkleRoot, MerkleTree } from '@certledger/merkle';

function rate(label: string, runs: number, fn: (i: number) => void, unit = 'ops/s'): number {
  for (let i = 0; i < Math.min(runs, 200); i++) fn(i);
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn(i);
  const seconds = (performance.now() - start) / 1000;
  const perSecond = runs / seconds;
  console.log(`${label.padEnd(46)} ${Math.round(perSecond).toLocaleString('en').padStart(12)} ${unit}`);
  return perSecond;
}

function millis(label: string, fn: () => void): number {
  fn();
  const start = performance.now();
  fn();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(46)} ${ms.toFixed(1).padStart(12)} ms`);
  return ms;
}

const sample = { kind: 'anchor', issuerId: 'transport', root: sha256(new Uint8Array([1])), leafCount: 100_000, typeId: 'driving-licence', list: [1, 2, 3, 'x'] };
const sampleBytes = encode(sample);
console.log(`certledger core benchmark — node ${process.version}, ${new Date().toISOString()}`);
console.log('\n# codec');
const jsonRate = rate('JSON.stringify (baseline)', 100_000, () => JSON.stringify({ ...sample, root: 'ab'.repeat(32) }));
const encodeRate = rate('encode (canonical msgpack)', 100_000, () => encode(sample));
const decodeRate = rate('decode (canonical check included)', 100_000, () => decode(sampleBytes));
console.log(`  encode / JSON.stringify = ${(encodeRate / jsonRate).toFixed(2)}, decode / encode = ${(decodeRate / encodeRate).toFixed(2)}`);

console.log('\n# hashing (64-byte input)');
const input = new Uint8Array(64);
const plain = rate('sha256', 300_000, () => sha256(input), 'hashes/s');
const tagged = rate('taggedHash', 300_000, () => taggedHash('tx', input), 'hashes/s');
console.log(`  taggedHash / sha256 = ${(tagged / plain).toFixed(2)}`);

console.log('\n# Ed25519');
const key = keyPairFromSeed(sha256(new Uint8Array([42])));
const message = sha256(new Uint8Array([1, 2, 3]));
const signature = sign(message, key.secretKey);
const nobleVerify = rate('verify, @noble/curves (reference)', 1_000, () => verifyReference(signature, message, key.publicKey), 'verifies/s');
const nativeVerify = rate('verify, node:crypto (fast path)', 10_000, () => verify(signature, message, key.publicKey), 'verifies/s');
const nobleSign = rate('sign, @noble/curves (reference)', 1_000, () => signReference(message, key.secretKey), 'signs/s');
const nativeSign = rate('sign, node:crypto (fast path)', 10_000, () => sign(message, key.secretKey), 'signs/s');
console.log(`  native / noble: verify ${(nativeVerify / nobleVerify).toFixed(1)}x, sign ${(nativeSign / nobleSign).toFixed(1)}x`);

console.log('\n# Merkle (RFC 9162)');
const leaves = Array.from({ length: 100_000 }, (_, i) => leafHash(encode(i)));
const rootMs = millis('merkleRoot of 100k leaves', () => merkleRoot(leaves));
const hashesMs = millis('baseline: 100k sha256 of 65 bytes', () => leaves.forEach((l) => sha256(l)));
console.log(`  root / one hash per leaf = ${(rootMs / hashesMs).toFixed(2)} (a root costs ~n node hashes)`);
millis('MerkleTree of 100k + all 100k inclusion proofs', () => {
  const tree = new MerkleTree(leaves);
  for (let i = 0; i < leaves.length; i++) tree.inclusionProof(i);
});

console.log('\n# state transition');
const net = testNetwork();
const issuer = net.issuers.get('transport')!;
const txs = Array.from({ length: 2000 }, (_, seq) => {
  const fields = { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root: sha256(encode(['bench', seq])), leafCount: 1000 };
  return makeTx(net.genesis.chainId, issuer, seq, { kind: 'anchor', ...fields });
});
let state: State = net.state;
const applied = rate('anchor transactions applied (2 sig checks each)', txs.length, (i) => {
  const result = applyTransaction(state, txs[i % txs.length]!, { height: 1, time: 1 });
  if (result.ok) state = result.value.state;
}, 'txs/s');
console.log(`  applied / (native verifies/s ÷ 2) = ${(applied / (nativeVerify / 2)).toFixed(2)} (1.0 = signature-bound)`);
const blockMs = millis('buildBlock with 2000 anchors', () => buildBlock(net.state, txs, { time: net.state.lastBlockTime + 1, proposer: net.validators[0]!.publicKey }));
console.log(`  = ${Math.round(2000 / (blockMs / 1000)).toLocaleString('en')} txs/s through buildBlock`);
