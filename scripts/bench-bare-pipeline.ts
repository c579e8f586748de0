/**
 * The bare pipeline: the devnet's path of a transaction stripped to what the throughput target
 * itself requires, to show the best share of the verification ceiling that a 4-validator
 * network of this design can reach on this machine, and so how much of the gap bench:devnet
 * shows is this implementation's and how much the design's.
 *
 *   pnpm bench:bare [-- --txs 20000 --warmup-txs 10000 --no-indexes --base-port 47100]
 *
 * Four validator processes link over the p2p package (libp2p, TCP, Noise, Yamux) as the node
 * does. A transaction is 227 bytes like an anchor: a key, a signature and a body. Each validator
 * verifies every transaction once with Node's native Ed25519 (the ceiling's own operation),
 * gossips the ones a client gave it, and in turn proposes blocks of up to 2,000 waiting ones;
 * the others vote (signed, not checked) and each commits a block on three votes with one synced
 * LevelDB batch: the block and, per transaction, the three index entries the node writes (by id,
 * anchor by root, anchor by issuer; `--no-indexes` leaves them out). The client is a raw TCP
 * socket, the cheapest there is.
 *
 * Left out, each a cost the real validator pays on top: decoding into objects, the state
 * transition and its roots, the rules on senders and sequences, checking votes and commit
 * certificates, rounds and locks, HTTP, logs and metrics, sync, and every check on input from
 * peers. A validator of this design can only be slower than the bare pipeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPeerNode, publicKeyFromSeed } from '@certledger/p2p';
import { Level } from 'level';
import { cpuMicrosOf } from './proc-cpu.js';
import { fasterOf, measureVerifySpeed, shareCpuAllows } from './verify-speed.js';

const VALIDATORS = 4;
const TX_BYTES = 227;
const BODY_OFFSET = 96;
const ROOT_OFFSET = 150;
const BLOCK_TXS = 2000;
const BLOCK_INTERVAL_MS = 50;
const CLIENT_BATCH_TXS = 200;
const CLIENT_BATCHES_IN_FLIGHT = 8;
const SENDERS = 100;
/** Client frames: a batch of transactions in, its acknowledgement and commit counts out. */
const enum ClientFrame {
  Batch = 1,
  Ack = 2,
  Committed = 3,
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { txs: { type: 'string', default: '20000' }, 'warmup-txs': { type: 'string', default: '10000' }, 'no-indexes': { type: 'boolean', default: false }, 'base-port': { type: 'string', default: '47100' }, validator: { type: 'string' } },
});
const basePort = Number(values['base-port']);
if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65000) throw new Error(`--base-port must be an integer from 1024 to 65000, got ${values['base-port']}`);
const clientPort = (i: number) => basePort + i;
const p2pPort = (i: number) => basePort + 10 + i;

function frame(type: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length + 1, 0);
  head[4] = type;
  return Buffer.concat([head, payload]);
}

/** Calls `onFrame` for each whole length-prefixed frame read from a socket. */
function readFrames(socket: Socket, onFrame: (type: number, payload: Buffer) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      onFrame(pending[4]!, pending.subarray(5, 4 + length));
      pending = pending.subarray(4 + length);
    }
  });
}

const txId = (tx: Uint8Array) => createHash('sha256').update(tx).digest('binary');
const publicKeys = new Map<string, KeyObject>();
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function isValidlySigned(tx: Buffer): boolean {
  const raw = tx.subarray(0, 32);
  let key = publicKeys.get(raw.toString('latin1'));
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
    publicKeys.set(raw.toString('latin1'), key);
  }
  return verify(null, tx.subarray(BODY_OFFSET), key, tx.subarray(32, BODY_OFFSET));
}

function* txsOf(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += TX_BYTES) yield bytes.subarray(offset, offset + TX_BYTES);
}

async function runValidator(me: number, writeIndexes: boolean): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certledger-bare-'));
  const db = new Level<string, Uint8Array>(dataDir, { valueEncoding: 'view' });
  await db.open();
  const voteKey = generateKeyPairSync('ed25519').privateKey;
  const seeds = Array.from({ length: VALIDATORS }, (_, i) => new Uint8Array(32).fill(i + 1));
  const keys = await Promise.all(seeds.map((seed) => publicKeyFromSeed(seed)));
  const peer = await createPeerNode({
    seed: seeds[me]!,
    listen: [`/ip4/127.0.0.1/tcp/${p2pPort(me)}`],
    peers: keys.flatMap((publicKey, i) => (i === me ? [] : [{ publicKey, addresses: [`/ip4/127.0.0.1/tcp/${p2pPort(i)}`] }])),
    channels: ['gossip', 'proposal', 'vote'],
    maxMessageBytes: 1 << 22,
  });
  const mempool = new Map<string, Buffer>();
  /** Ids committed: gossip that arrives after its block must not bring a transaction back. */
  const committedIds = new Set<string>();
  const proposals = new Map<number, Buffer>();
  const votes = new Map<number, Set<number>>();
  let height = 1;
  let lastCommitAt = 0;
  let proposeTimer: NodeJS.Timeout | undefined;
  let committing = false;
  let client: Socket | undefined;

  const admit = (bytes: Buffer) => {
    for (const tx of txsOf(bytes)) {
      const id = txId(tx);
      if (!mempool.has(id) && !committedIds.has(id) && isValidlySigned(tx)) mempool.set(id, tx);
    }
  };
  const propose = () => {
    proposeTimer = undefined;
    if (height % VALIDATORS !== me || proposals.has(height)) return;
    if (mempool.size === 0 || Date.now() - lastCommitAt < BLOCK_INTERVAL_MS) {
      proposeTimer = setTimeout(propose, 5);
      return;
    }
    const txs = [...mempool.values()].slice(0, BLOCK_TXS);
    const message = Buffer.concat([Buffer.alloc(4), ...txs]);
    message.writeUInt32BE(height, 0);
    peer.broadcast('proposal', message);
    onProposal(message);
  };
  const onProposal = (message: Buffer) => {
    const at = message.readUInt32BE(0);
    if (at < height) return;
    const block = message.subarray(4);
    for (const tx of txsOf(block)) if (!mempool.has(txId(tx)) && !isValidlySigned(tx)) return;
    proposals.set(at, block);
    const vote = Buffer.alloc(5 + 32);
    vote[0] = me;
    vote.writeUInt32BE(at, 1);
    createHash('sha256').update(block).digest().copy(vote, 5);
    const signed = Buffer.concat([vote, sign(null, vote, voteKey)]);
    peer.broadcast('vote', signed);
    onVote(signed);
  };
  const onVote = (vote: Buffer) => {
    const at = vote.readUInt32BE(1);
    if (at < height) return;
    const voters = votes.get(at) ?? new Set<number>();
    voters.add(vote[0]!);
    votes.set(at, voters);
    void commitIfDecided();
  };
  const commitIfDecided = async () => {
    const block = proposals.get(height);
    if (committing || !block || (votes.get(height)?.size ?? 0) < 3) return;
    committing = true;
    const heightKey = String(height).padStart(15, '0');
    const batch = db.batch();
    batch.put(`!block!${heightKey}`, block);
    let index = 0;
    for (const tx of txsOf(block)) {
      const id = txId(tx);
      if (writeIndexes) {
        const rootHex = tx.subarray(ROOT_OFFSET, ROOT_OFFSET + 32).toString('hex');
        batch.put(`!tx!${Buffer.from(id, 'binary').toString('hex')}`, Uint8Array.of(height >> 16, height >> 8, height, index >> 8, index));
        batch.put(`!anchor!${rootHex}`, tx.subarray(BODY_OFFSET));
        batch.put(`!anchor-by-issuer!dept/${heightKey}/${rootHex}`, new Uint8Array());
      }
      mempool.delete(id);
      committedIds.add(id);
      index++;
    }
    await batch.write({ sync: true } as never);
    proposals.delete(height);
    votes.delete(height);
    height++;
    lastCommitAt = Date.now();
    committing = false;
    if (me === 0) client?.write(frame(ClientFrame.Committed, Uint8Array.of(index >> 8, index & 255)));
    if (!proposeTimer) propose();
    void commitIfDecided();
  };

  peer.onMessage('gossip', (_from, payload) => admit(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)));
  peer.onMessage('proposal', (_from, payload) => onProposal(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)));
  peer.onMessage('vote', (_from, payload) => onVote(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)));
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    client = socket;
    readFrames(socket, (_type, batch) => {
      admit(batch);
      peer.broadcast('gossip', batch);
      socket.write(frame(ClientFrame.Ack, new Uint8Array()));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(clientPort(me), '127.0.0.1', resolve));
  await peer.start();
  for (let tries = 0; peer.connectedPeers().length < VALIDATORS - 1; tries++) {
    if (tries > 200) throw new Error(`validator ${me} could not reach its peers`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.send?.('ready');
  propose();
  process.on('disconnect', () => {
    void (async () => {
      clearTimeout(proposeTimer);
      server.close();
      await peer.stop();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
}

async function runLoad(totalTxs: number, warmupTxs: number, writeIndexes: boolean): Promise<void> {
  const verifyBefore = measureVerifySpeed(3, 1000);
  const senders = Array.from({ length: SENDERS }, () => {
    const pair = generateKeyPairSync('ed25519');
    return { privateKey: pair.privateKey, publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length) };
  });
  let made = 0;
  const makeTxs = (count: number) =>
    Array.from({ length: count }, () => {
      const sender = senders[made % SENDERS]!;
      const body = Buffer.alloc(TX_BYTES - BODY_OFFSET);
      body.writeUInt32BE(made++, 0);
      createHash('sha256').update(body.subarray(0, 4)).digest().copy(body, ROOT_OFFSET - BODY_OFFSET);
      return Buffer.concat([sender.publicKey, sign(null, body, sender.privateKey), body]);
    });
  const script = process.argv[1]!;
  const children: ChildProcess[] = Array.from({ length: VALIDATORS }, (_, i) =>
    spawn(process.execPath, ['--import', 'tsx', script, '--validator', String(i), '--base-port', String(basePort), ...(writeIndexes ? [] : ['--no-indexes'])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    await Promise.all(children.map((child, i) => new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`validator ${i} exited (${code}) before it was ready`)));
    })));
    const sockets = await Promise.all(children.map((_, i) => new Promise<Socket>((resolve, reject) => {
      const socket = connect(clientPort(i), '127.0.0.1', () => resolve(socket));
      socket.setNoDelay(true);
      socket.once('error', reject);
    })));
    let acked = 0;
    let committed = 0;
    let wake = () => {};
    for (const socket of sockets) {
      readFrames(socket, (type, payload) => {
        if (type === ClientFrame.Committed) committed += payload.readUInt16BE(0);
        else acked++;
        wake();
      });
    }
    const until = async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 300_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
        await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 100); });
      }
    };
    const offer = async (count: number) => {
      const txs = makeTxs(count);
      const committedBefore = committed;
      const cpuBefore = children.reduce((sum, child) => sum + cpuMicrosOf(`/proc/${child.pid}/stat`), 0);
      const clientCpuBefore = process.cpuUsage();
      const started = performance.now();
      for (let batch = 0; batch * CLIENT_BATCH_TXS < count; batch++) {
        await until(() => batch < acked + CLIENT_BATCHES_IN_FLIGHT, 'acknowledgements');
        sockets[batch % VALIDATORS]!.write(frame(ClientFrame.Batch, Buffer.concat(txs.slice(batch * CLIENT_BATCH_TXS, (batch + 1) * CLIENT_BATCH_TXS))));
      }
      await until(() => committed - committedBefore >= count, 'commits');
      const seconds = (performance.now() - started) / 1000;
      const cpuPerTx = (children.reduce((sum, child) => sum + cpuMicrosOf(`/proc/${child.pid}/stat`), 0) - cpuBefore) / count / VALIDATORS;
      const clientCpu = process.cpuUsage(clientCpuBefore);
      return { txsPerSecond: count / seconds, cpuPerTx, clientCpuPerTx: (clientCpu.user + clientCpu.system) / count };
    };
    if (warmupTxs > 0) await offer(warmupTxs);
    acked = 0;
    const measured = await offer(totalTxs);
    const verifyAfter = measureVerifySpeed(3, 1000);
    const verifySpeed = fasterOf(verifyBefore, verifyAfter);
    const ceiling = (verifySpeed.perSecond * availableParallelism()) / VALIDATORS;
    console.log(`verify: ${verifyBefore.perSecond.toFixed(0)}/s per core before the load, ${verifyAfter.perSecond.toFixed(0)}/s after; faster × ${availableParallelism()} cores ÷ ${VALIDATORS} validators -> ceiling ${ceiling.toFixed(0)} tx/s`);
    console.log(`bare pipeline (${writeIndexes ? 'with' : 'without'} per-transaction index writes): ${totalTxs} committed, ${measured.txsPerSecond.toFixed(0)} tx/s = ${((100 * measured.txsPerSecond) / ceiling).toFixed(1)}% of the verification ceiling`);
    const cpuAllows = shareCpuAllows(verifySpeed, VALIDATORS, VALIDATORS * measured.cpuPerTx + measured.clientCpuPerTx);
    console.log(`  CPU per committed tx: ${measured.cpuPerTx.toFixed(0)} µs per validator (${(measured.cpuPerTx / verifySpeed.cpuMicros).toFixed(1)} verifies of ${verifySpeed.cpuMicros.toFixed(0)} µs), client ${measured.clientCpuPerTx.toFixed(0)} µs`);
    console.log(`  that CPU cost allows at most ${(100 * cpuAllows).toFixed(1)}% of the ceiling with every core on it`);
    for (const socket of sockets) socket.destroy();
  } finally {
    for (const child of children) if (child.connected) child.disconnect();
  }
}

if (values.validator !== undefined) {
  await runValidator(Number(values.validator), !values['no-indexes']);
} else {
  const totalTxs = Number(values.txs);
  const warmupTxs = Number(values['warmup-txs']);
  if (!Number.isInteger(totalTxs) || totalTxs < CLIENT_BATCH_TXS) throw new Error(`--txs must be an integer of at least ${CLIENT_BATCH_TXS}, got ${values.txs}`);
  if (!Number.isInteger(warmupTxs) || warmupTxs < 0) throw new Error(`--warmup-txs must be a whole number, got ${values['warmup-txs']}`);
  await runLoad(totalTxs, warmupTxs, !values['no-indexes']);
}
