/**
 * Certificate benchmark (issue 5): one batch issued with certledger's issueBatch against the
 * same records wrapped by OpenAttestation v2's wrapDocuments in the same run, then
 * verification online and offline.
 *
 *   pnpm bench:certs [-- --records 100000 --oa-records 10000 --verify 5000]
 *
 * Verification runs in fresh worker threads: a node that applied the anchor block has already
 * checked its signature, so in this process every check would be remembered. A worker starts
 * with an empty signature memory, like a verifier's process. Each worker first verifies a
 * warm-up batch so the timings are of warm code, then a few small batches, each signed and
 * anchored in a block of its own: the first certificate of each pays for its root signature
 * (offline also for the block's commit signatures), the others for hashing and parsing only.
 * Throughput is then measured on a sample of the big batch.
 *
 * OpenAttestation is timed on a slice of the records (10,000 by default; --oa-records 100000
 * for the whole batch takes many minutes, as its time per document grows with the batch). The
 * target (issuance ≥ 10× the peer's rate) is judged on the same batch: OpenAttestation's rate
 * for all the records is estimated from its slice and a quarter of it. The ratio against the
 * slice alone is printed too, as a floor.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { v2, wrapDocuments } from '@govtechsg/open-attestation';
import { taggedHash, toHex } from '@certledger/codec';
import { keyPairFromSeed, sign, verify } from '@certledger/crypto';
import {
  attachAnchorLocation,
  issueBatch,
  verifyCertificate,
  type AnchorStatus,
  type IssuerStatus,
  type JsonObject,
  type LedgerView,
  type TrustedValidators,
} from '@certledger/certs';
import { LICENCE_BATCH, TestChain } from '../packages/certs/src/test-support.js';

const NOW = Date.parse('2027-06-01T00:00:00Z');
const WARM_UP_RECORDS = 2000;
const WARM_UP_VERIFICATIONS = 200;
/** Small batches, each anchored in its own block, whose first certificates time a fresh signature. */
const PROBE_BATCHES = 7;
const PROBE_RECORDS = 20;
const TARGET_RATIO = 10;

/** Like test-support's LICENCE_SCHEMA, with the dates and postcode a real licence carries. */
const BENCH_SCHEMA: JsonObject = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    licenceNumber: { type: 'string', pattern: '^[A-Z0-9]{6,12}$' },
    dateOfBirth: { type: 'string', format: 'date' },
    issuedOn: { type: 'string', format: 'date' },
    expiresOn: { type: 'string', format: 'date' },
    categories: { type: 'array', items: { type: 'string' } },
    organDonor: { type: 'boolean' },
    points: { type: 'integer', minimum: 0 },
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' }, postcode: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
  required: ['name', 'licenceNumber', 'dateOfBirth', 'issuedOn', 'expiresOn'],
  additionalProperties: false,
};

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Tony', 'Radia', 'Ken', 'Margaret', 'Niklaus'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Hoare', 'Perlman', 'Thompson', 'Hamilton', 'Wirth'];
const STREETS = ['High St', 'Station Rd', 'Church Lane', 'Mill Road', 'Park Avenue', 'Victoria St'];
const CITIES = ['London', 'Leeds', 'Bristol', 'Cardiff', 'Glasgow', 'Belfast', 'York'];
const CATEGORIES = ['AM', 'A1', 'A2', 'A', 'B', 'BE', 'C1', 'C', 'D1', 'D'];

/** A small seeded generator (mulberry32), so every run issues the same records. */
function seededInts(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % below) >>> 0;
  };
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function makeRecords(count: number): JsonObject[] {
  const next = seededInts(20260101);
  const pick = <T>(list: readonly T[]): T => list[next(list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const issuedYear = 2016 + next(10);
    return {
      name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
      licenceNumber: `DL${String(i).padStart(8, '0')}`,
      dateOfBirth: isoDate(1950 + next(55), 1 + next(12), 1 + next(28)),
      issuedOn: isoDate(issuedYear, 1 + next(12), 1 + next(28)),
      expiresOn: isoDate(issuedYear + 10, 1 + next(12), 1 + next(28)),
      categories: CATEGORIES.filter(() => next(3) === 0),
      organDonor: next(2) === 0,
      points: next(4) === 0 ? 3 * (1 + next(3)) : 0,
      address: { street: `${1 + next(200)} ${pick(STREETS)}`, city: pick(CITIES), postcode: `AB${1 + next(99)} ${next(10)}XY` },
    };
  });
}

/** The same record as an OpenAttestation v2 document: its fields beside issuers and $template. */
function openAttestationDocument(record: JsonObject): v2.OpenAttestationDocument {
  return {
    $template: { name: 'DRIVING_LICENCE', type: v2.TemplateType.EmbeddedRenderer, url: 'https://renderer.transport.example.gov' },
    issuers: [
      {
        name: LICENCE_BATCH.issuerDisplayName,
        documentStore: '0x9178F546D3FF57D7A6352bD61B80cCCD46199C2d',
        identityProof: { type: v2.IdentityProofType.DNSTxt, location: 'transport.example.gov' },
      },
    ],
    ...record,
  };
}

interface Timing {
  readonly wall: number;
  /** This process's CPU seconds, garbage collector threads included: steadier than wall time on a busy machine. */
  readonly cpu: number;
}

function timed(fn: () => void): Timing {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  fn();
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function rawVerifiesPerSecond(): number {
  const key = keyPairFromSeed(new Uint8Array(32).fill(7));
  const messages = Array.from({ length: 256 }, (_, i) => taggedHash('tx-signing', Uint8Array.of(i)));
  const signatures = messages.map((m) => sign(m, key.secretKey));
  const runs = 4000;
  const { wall } = timed(() => {
    for (let i = 0; i < runs; i++) if (!verify(signatures[i % 256]!, messages[i % 256]!, key.publicKey)) throw new Error('a raw signature did not verify');
  });
  return runs / wall;
}

// ---- verification worker ----

/** What a gateway would answer about the two batches, captured from the chain's state. */
interface LedgerAnswers {
  readonly chainId: string;
  readonly anchors: readonly (readonly [string, AnchorStatus])[];
  readonly issuer: IssuerStatus;
  readonly typeName: string;
}

interface VerifyJob {
  readonly mode: 'online' | 'offline';
  readonly warmUp: readonly string[];
  readonly probes: readonly (readonly string[])[];
  readonly sample: readonly string[];
  readonly ledger: LedgerAnswers;
  readonly trust: TrustedValidators;
}

interface VerifyTimings {
  readonly totalSeconds: number;
  readonly cpuSeconds: number;
  readonly firstMs: number;
  readonly restMedianMs: number;
}

/** Answers only what the captured state knows; nothing is revoked on the bench chain. */
function answeringView(answers: LedgerAnswers): LedgerView {
  const anchors = new Map(answers.anchors);
  return {
    chainId: answers.chainId,
    anchor: async (root) => anchors.get(toHex(root)) ?? null,
    issuer: async (issuerId) => (issuerId === answers.issuer.issuerId ? answers.issuer : null),
    certTypeName: async (typeId, version) => (typeId === LICENCE_BATCH.typeId && version === LICENCE_BATCH.typeVersion ? answers.typeName : null),
    revocation: async () => null,
  };
}

async function runVerifyJob(job: VerifyJob): Promise<VerifyTimings> {
  const options = job.mode === 'online' ? { now: NOW, ledger: answeringView(job.ledger) } : { now: NOW, trust: job.trust };
  const check = async (file: string): Promise<number> => {
    const started = performance.now();
    const result = await verifyCertificate(file, options);
    const ms = performance.now() - started;
    if (!result.valid) throw new Error(`${job.mode} verification failed: ${result.reason} ${result.checks.find((c) => c.outcome === 'fail')?.message}`);
    return ms;
  };
  for (const file of job.warmUp) await check(file);
  const firsts: number[] = [];
  const rests: number[] = [];
  for (const probe of job.probes) {
    const [first, ...rest] = probe;
    firsts.push(await check(first!));
    for (const file of rest) rests.push(await check(file));
  }
  let totalMs = 0;
  const cpuBefore = process.cpuUsage();
  for (const file of job.sample) totalMs += await check(file);
  const cpu = process.cpuUsage(cpuBefore);
  return { totalSeconds: totalMs / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, firstMs: median(firsts), restMedianMs: median(rests) };
}

function inFreshWorker(job: VerifyJob): Promise<VerifyTimings> {
  // tsx's loader does not follow into workers on Node 20, so the worker registers it first.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: job });
    worker.once('message', (message: { timings?: VerifyTimings; error?: string }) => {
      if (message.timings) resolve(message.timings);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
  });
}

// ---- main ----

function readCount(text: string, name: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${text}"`);
  return value;
}

function formatRate(perSecond: number, unit: string): string {
  return `${Math.round(perSecond).toLocaleString('en')} ${unit}`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20).toLocaleString('en')} MiB`;
}

function printTable(rows: readonly (readonly [string, string, string?])[]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  for (const [label, value, note] of rows) console.log(`${label.padEnd(width)}  ${value.padStart(valueWidth)}${note ? `  ${note}` : ''}`);
}

interface Options {
  readonly recordCount: number;
  readonly oaCount: number;
  readonly sampleSize: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { records: { type: 'string', default: '100000' }, 'oa-records': { type: 'string' }, verify: { type: 'string', default: '5000' } },
  });
  const recordCount = readCount(values.records, 'records', 8);
  const oaCount = Math.min(recordCount, readCount(values['oa-records'] ?? String(Math.min(recordCount, 10_000)), 'oa-records', 8));
  const sampleSize = Math.min(recordCount, readCount(values.verify, 'verify', 2));
  return { recordCount, oaCount, sampleSize };
}

interface Rate {
  readonly wall: number;
  readonly cpu: number;
  readonly time: Timing;
}

function rateOf(count: number, time: Timing): Rate {
  return { wall: count / time.wall, cpu: count / time.cpu, time };
}

/**
 * OpenAttestation on the first `count` records, and on a quarter of them: its wrapDocuments
 * looks each document's proof up by scanning the whole batch (MerkleTree.getProof), so its
 * time per document grows with the batch. The two sizes give that growth, a + b·n per
 * document, to estimate what it would take for the full batch without waiting for it.
 */
function measureOpenAttestation(records: readonly JsonObject[], count: number, fullCount: number): { slice: Rate; quarter: Rate; estimatedFull: number } {
  const documents = records.slice(0, count).map(openAttestationDocument);
  wrapDocuments(documents.slice(0, 200));
  const quarterCount = Math.floor(count / 4);
  const quarter = rateOf(quarterCount, timed(() => wrapDocuments(documents.slice(0, quarterCount))));
  const slice = rateOf(count, timed(() => wrapDocuments(documents)));
  const growthPerDocument = Math.max(0, (1 / slice.cpu - 1 / quarter.cpu) / (count - quarterCount));
  const estimatedFull = 1 / (1 / slice.cpu + growthPerDocument * (fullCount - count));
  return { slice, quarter, estimatedFull };
}

async function main(): Promise<void> {
  const { recordCount, oaCount, sampleSize } = readOptions();
  console.log(`certledger certificate benchmark — node ${process.version}, ${new Date().toISOString()}`);

  const records = makeRecords(recordCount);
  const chain = new TestChain();
  const signer = chain.net.issuers.get('transport')!;
  const batchOptions = { ...LICENCE_BATCH, schema: BENCH_SCHEMA, chainId: chain.state.chainId, signer };

  const warmUpBatch = issueBatch(makeRecords(WARM_UP_RECORDS), { ...batchOptions, seq: 0 });
  const rssBefore = process.memoryUsage.rss();
  let peakHeap = 0;
  const sampleHeap = (): void => {
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  };
  let batch!: ReturnType<typeof issueBatch>;
  const ours = rateOf(recordCount, timed(() => (batch = issueBatch(records, { ...batchOptions, seq: 1, onProgress: sampleHeap }))));
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const peer = measureOpenAttestation(records, oaCount, recordCount);

  const probeBatches = Array.from({ length: PROBE_BATCHES }, (_, i) => issueBatch(makeRecords(PROBE_RECORDS), { ...batchOptions, seq: 2 + i }));
  const files = (issued: ReturnType<typeof issueBatch>, count: number) => {
    const [location] = chain.commit([issued.anchorTransaction]);
    return issued.credentials.slice(0, count).map((c) => JSON.stringify(attachAnchorLocation(c, location!)));
  };
  const warmUp = files(warmUpBatch, WARM_UP_VERIFICATIONS);
  const sample = files(batch, sampleSize);
  const probes = probeBatches.map((probe) => files(probe, PROBE_RECORDS));
  const ledger: LedgerAnswers = {
    chainId: chain.state.chainId,
    anchors: await Promise.all([warmUpBatch, batch, ...probeBatches].map(async ({ root }) => [toHex(root), (await chain.view.anchor(root))!] as const)),
    issuer: (await chain.view.issuer(LICENCE_BATCH.issuerId))!,
    typeName: (await chain.view.certTypeName(LICENCE_BATCH.typeId, LICENCE_BATCH.typeVersion))!,
  };
  const job = { warmUp, probes, sample, ledger, trust: chain.trust };
  const online = await inFreshWorker({ ...job, mode: 'online' });
  const offline = await inFreshWorker({ ...job, mode: 'offline' });
  const rawRate = rawVerifiesPerSecond();
  const rawMs = 1000 / rawRate;

  const n = recordCount.toLocaleString('en');
  const m = oaCount.toLocaleString('en');
  const ratio = { wall: ours.wall / peer.slice.wall, cpu: ours.cpu / peer.slice.cpu };
  // The target compares the same batch; OpenAttestation's time per document grows with it.
  const sameBatchRatio = ours.cpu / peer.estimatedFull;
  const verdict = (value: number) => `${value >= TARGET_RATIO ? 'meets' : 'DOES NOT meet'} the target ≥ ${TARGET_RATIO}×`;
  const rates = (rate: Rate, unit: string) => [formatRate(rate.wall, unit), `${rate.time.wall.toFixed(2)} s; ${formatRate(rate.cpu, 'per CPU-second')}`] as const;
  const verifyRate = (t: VerifyTimings) => [formatRate(sampleSize / t.totalSeconds, 'certificates/s'), formatRate(sampleSize / t.cpuSeconds, 'per CPU-second')] as const;
  const verifyRows = (t: VerifyTimings, signatures: string) =>
    [
      ['  first certificate of a batch', `${t.firstMs.toFixed(3)} ms`, `checks ${signatures} (median over ${PROBE_BATCHES} batches)`],
      ['  the other certificates of those batches', `${t.restMedianMs.toFixed(3)} ms`, `median; = ${(t.restMedianMs / rawMs).toFixed(2)} raw Ed25519 verifies: no signature, hashing and parsing only`],
      ['  first − median', `${(t.firstMs - t.restMedianMs).toFixed(3)} ms`, `≈ ${((t.firstMs - t.restMedianMs) / rawMs).toFixed(1)} raw verifies`],
    ] as const;
  console.log('');
  printTable([
    [`issuance, certledger issueBatch (${n} records)`, ...rates(ours, 'certificates/s')],
    [`issuance, OpenAttestation v2 wrapDocuments (first ${m})`, ...rates(peer.slice, 'documents/s')],
    [`  the same on the first ${Math.floor(oaCount / 4).toLocaleString('en')}`, ...rates(peer.quarter, 'documents/s')],
    [`  estimated for all ${n}`, formatRate(peer.estimatedFull, 'per CPU-second'), 'its time per document grows with the batch (proof lookup scans it)'],
    [`issuance ratio on the same ${n} records, CPU time`, `${sameBatchRatio.toFixed(1)}×`, `${verdict(sameBatchRatio)}${oaCount < recordCount ? ` (OpenAttestation's rate estimated for ${n} from its growth)` : ''}`],
    ...(oaCount < recordCount
      ? [[`  a floor: against OpenAttestation on only the first ${m}`, `${ratio.wall.toFixed(1)}×`, `wall time; ${ratio.cpu.toFixed(1)}× CPU time, where its cost per document is lower than on the whole batch`] as const]
      : []),
    [`memory, issuing ${n}: peak RSS`, mib(peakRss), `${mib(rssBefore)} before issuing`],
    [`memory, issuing ${n}: peak heap used`, mib(peakHeap), 'sampled every 1,000 certificates'],
    [`verification online (${sampleSize.toLocaleString('en')} certificates, asking the ledger)`, ...verifyRate(online)],
    ...verifyRows(online, 'the root signature'),
    [`verification offline (${sampleSize.toLocaleString('en')} certificates, trusted validators)`, ...verifyRate(offline)],
    ...verifyRows(offline, 'the root signature and 3 commit signatures'),
    ['raw Ed25519 verify (node:crypto), same run', formatRate(rawRate, 'verifies/s'), `${rawMs.toFixed(3)} ms each`],
  ]);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
} else {
  runVerifyJob(workerData as VerifyJob).then(
    (timings) => parentPort!.postMessage({ timings }),
    (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
}
