/**
 * Codec benchmark: the one-pass canonical reader and writer against the msgpackr path they
 * replaced (pack/unpack plus normalizing, canonicalizing and re-encoding walks), and taggedHash
 * by Node's native SHA-256 against the @noble/hashes one it replaced; same run, same inputs.
 * Prints ops/s for each and the ratio new / old. Each figure is the best of several alternating
 * rounds, so that load from other processes weighs on both sides alike.
 */
import { decode, encode, taggedHash, type Value } from '@certledger/codec';
import { oldDecode, oldEncode } from '../packages/codec/src/msgpackr-reference.js';
import { sha256 as nobleSha256 } from '../packages/codec/src/sha256-noble.js';

const ROUNDS = 5;
const ROUND_SECONDS = 0.3;

/** Calls of `fn` per second over about `seconds`. */
function opsPerSecond(fn: () => unknown, seconds: number): number {
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 16; i++) fn();
    calls += 16;
  }
  return calls / ((performance.now() - start) / 1000);
}

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 17) & 0xff);
}

const transaction: Value = {
  kind: 'anchor',
  chainId: 'certledger-main',
  nonce: 184_467,
  fee: 2_500_000_000,
  issuer: bytesOf(32, 1),
  root: bytesOf(32, 2),
  signature: bytesOf(64, 3),
  batch: { leafCount: 100_000, typeId: 'driving-licence', schemaVersion: 3 },
};
const block: Value = Array.from({ length: 1000 }, (_, i) => bytesOf(190 + (i % 21), i));

function compare(label: string, current: () => unknown, previous: () => unknown, previousName: string): void {
  let now = 0;
  let before = 0;
  for (let round = 0; round < ROUNDS; round++) {
    now = Math.max(now, opsPerSecond(current, ROUND_SECONDS));
    before = Math.max(before, opsPerSecond(previous, ROUND_SECONDS));
  }
  const figure = (rate: number): string => `${Math.round(rate).toLocaleString('en').padStart(10)} ops/s`;
  console.log(`${label.padEnd(40)} new ${figure(now)}   ${previousName} ${figure(before)}   ${(now / before).toFixed(2).padStart(6)}x`);
}

function compareCodec(name: string, value: Value): void {
  const bytes = encode(value);
  compare(`encode ${name} (${bytes.length} bytes)`, () => encode(value), () => oldEncode(value), 'msgpackr');
  compare(`decode ${name} (${bytes.length} bytes)`, () => decode(bytes), () => oldDecode(bytes), 'msgpackr');
}

/** taggedHash as it was: a streaming @noble/hashes SHA-256 over the tag prefix and the parts. */
const txTag = new TextEncoder().encode('certledger/tx');
const txPrefix = Uint8Array.of(txTag.length, ...txTag);
function nobleTaggedHash(...parts: Uint8Array[]): Uint8Array {
  const hash = nobleSha256.create().update(txPrefix);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

console.log(`certledger codec benchmark — node ${process.version}, ${new Date().toISOString()}`);
compareCodec('transaction', transaction);
compareCodec('block of 1000 txs', block);
for (const size of [32, 64, 128, 300]) {
  const data = bytesOf(size, size);
  compare(`taggedHash('tx', ${size} bytes)`, () => taggedHash('tx', data), () => nobleTaggedHash(data), 'noble   ');
}
const [left, right] = [bytesOf(32, 1), bytesOf(32, 2)];
compare("taggedHash('tx', 32 + 32 bytes)", () => taggedHash('tx', left, right), () => nobleTaggedHash(left, right), 'noble   ');
