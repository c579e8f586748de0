import { sha256, toHex } from '@certledger/codec';
import { decodeTransaction, type Block } from '@certledger/ledger';
import { testAnchorTx, testNetwork } from '@certledger/ledger/testing';
import type { SubmitResult } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, fakeCommit, fakeGateway, type FakeGateway, type FakeNode } from './test-support/fake-node.js';

const network = testNetwork(2);
const chainId = network.genesis.chainId;
let gateway: FakeGateway;
let block: Block;
let node: FakeNode;
let app: FastifyInstance;

const idOf = (bytes: Uint8Array) => {
  const decoded = decodeTransaction(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return toHex(decoded.value.id);
};
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const pendingTx = testAnchorTx(chainId, 2, sha256(Uint8Array.of(2)));
const accept = (bytes: Uint8Array): SubmitResult => ({ ok: true, id: idOf(bytes) });
const submit = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/transactions', payload: payload as object });

beforeAll(async () => {
  gateway = await fakeGateway(network, [[0, 1].map((seq) => testAnchorTx(chainId, seq, sha256(Uint8Array.of(seq))))], { bodyLimitBytes: 16 * 1024 });
  ({ node, app } = gateway);
  block = gateway.blocks[0]!;
});

afterAll(() => gateway.close());

beforeEach(() => {
  node.waits = [];
  node.submitted = [];
  node.commitAnswer = undefined;
  node.submitAnswer = accept;
});

describe('health, readiness, metrics and status', () => {
  it('health answers ok; metrics are Prometheus text', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const metrics = await app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/^# HELP certledger_height /m);
  });

  it('ready needs a connected peer or a lone validator, and no catching up', async () => {
    const base = node.currentStatus;
    try {
      expect((await app.inject('/ready')).json()).toEqual({ status: 'ready', height: 1 });
      node.currentStatus = { ...base, peers: [{ ...base.peers[0]!, connected: false }] };
      expectError(await app.inject('/ready'), 503, 'NOT_READY');
      node.currentStatus = { ...base, peers: [], validators: base.validators.slice(0, 1) };
      expect((await app.inject('/ready')).statusCode).toBe(200);
      node.currentStatus = { ...base, mode: 'follower', peers: [], validators: base.validators.slice(0, 1) };
      expectError(await app.inject('/ready'), 503, 'NOT_READY');
      node.currentStatus = { ...base, syncing: true };
      const syncing = await app.inject('/ready');
      expectError(syncing, 503, 'NOT_READY');
      expect(syncing.json()).toMatchObject({ error: { message: expect.stringContaining('catching up') } });
    } finally {
      node.currentStatus = base;
    }
  });

  it('status is the node status, with fields this gateway does not know passed on', async () => {
    expect((await app.inject('/v1/status')).json()).toEqual(node.currentStatus);
    const base = node.currentStatus;
    node.currentStatus = { ...base, ...{ uptimeSeconds: 12 } };
    expect((await app.inject('/v1/status')).json()).toMatchObject({ uptimeSeconds: 12, height: 1 });
    node.currentStatus = base;
  });
});

describe('POST /v1/transactions', () => {
  it('answers 202 pending with a status URL when the commit does not come, never 201', async () => {
    const id = idOf(pendingTx);
    const response = await submit({ tx: b64(pendingTx), wait: 3 });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ id, status: 'pending', statusUrl: `/v1/transactions/${id}` });
    expect(node.waits).toEqual([{ txId: id, timeoutMs: 3000 }]);
    expect(node.submitted[0]).toEqual(pendingTx);
  });

  it('answers 201 with the height once committed, and does not wait when wait is 0 or absent', async () => {
    node.commitAnswer = { height: 7 };
    const committed = await submit({ tx: b64(pendingTx), wait: 60 });
    expect(committed.statusCode).toBe(201);
    expect(committed.json()).toEqual({ id: idOf(pendingTx), status: 'committed', height: 7 });
    for (const payload of [{ tx: b64(pendingTx) }, { tx: b64(pendingTx), wait: 0 }]) {
      node.waits = [];
      expect((await submit(payload)).statusCode).toBe(202);
      expect(node.waits).toEqual([]);
    }
  });

  it('answers 201 without waiting for a resubmitted transaction already in a committed block', async () => {
    const stored = block.txs[0]!;
    node.submitAnswer = () => ({ ok: false, error: { code: 'BAD_SEQUENCE', message: 'sequence 0 was already used (replay); next is 2' } });
    const retried = await submit({ tx: b64(stored), wait: 5 });
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toEqual({ id: idOf(stored), status: 'committed', height: 1 });
    expect(node.waits).toEqual([]);
  });

  it('treats a transaction already waiting in the mempool as accepted', async () => {
    node.submitAnswer = () => ({ ok: false, error: { code: 'DUPLICATE_TX', message: 'already waiting' } });
    const response = await submit({ tx: b64(pendingTx), wait: 1 });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ id: idOf(pendingTx), status: 'pending' });
  });

  it('answers 422 with the ledger or mempool reason, without waiting', async () => {
    for (const code of ['BAD_SIGNATURE', 'BAD_SEQUENCE', 'MALFORMED_TX', 'MEMPOOL_FULL', 'UNAUTHORISED'] as const) {
      node.submitAnswer = () => ({ ok: false, error: { code, message: `refused because of ${code}` } as never });
      const response = await submit({ tx: b64(pendingTx), wait: 5 });
      expectError(response, 422, code);
      expect(response.json()).toMatchObject({ error: { message: `refused because of ${code}` } });
    }
    expect(node.waits).toEqual([]);
  });

  it('refuses text that is not strict base64 with 400 BAD_ENCODING, before the node sees it', async () => {
    const good = b64(pendingTx);
    const garbage = ['not base64!', 'QQ', 'QR==', `${good.slice(0, 8)} ${good.slice(8)}`, `${good}\n`, good.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), '====', 'Zm9v\u00e9'];
    for (const tx of garbage) expectError(await submit({ tx }), 400, 'BAD_ENCODING');
    expect(node.submitted).toEqual([]);
  });

  it('refuses bodies of the wrong shape with 400, naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /lacks the field "tx"/],
      [{ tx: '' }, /body\.tx must NOT have fewer than 1 characters/],
      [{ tx: 12 }, /body\.tx must be string/],
      [{ tx: 'QUJD', wait: '3' }, /body\.wait must be integer/],
      [{ tx: 'QUJD', wait: 1.5 }, /body\.wait must be integer/],
      [{ tx: 'QUJD', wait: -1 }, /body\.wait must be >= 0/],
      [{ tx: 'QUJD', wait: 61 }, /body\.wait must be <= 60/],
      [{ tx: 'QUJD', extra: true }, /unknown field "extra"/],
      [['QUJD'], /body must be object/],
    ];
    for (const [payload, message] of cases) {
      const response = await submit(payload);
      expectError(response, 400, 'INVALID_REQUEST');
      expect((response.json() as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(node.submitted).toEqual([]);
  });

  it('refuses query fields on the submit routes, which take none', async () => {
    for (const [url, payload] of [
      ['/v1/transactions?wait=5', { tx: 'QUJD' }],
      ['/v1/transactions/batch?unknown=1', { txs: ['QUJD'] }],
    ] as const) {
      const response = await app.inject({ method: 'POST', url, payload });
      expectError(response, 400, 'INVALID_REQUEST');
      expect((response.json() as { error: { message: string } }).error.message, url).toMatch(/^querystring has an unknown field "(wait|unknown)"$/);
    }
    expect(node.submitted).toEqual([]);
  });

  it('refuses bodies that are not JSON, too large, or of another media type', async () => {
    expectError(await app.inject({ method: 'POST', url: '/v1/transactions', headers: { 'content-type': 'application/json' }, payload: '{"tx": ' }), 400, 'BAD_JSON');
    expectError(await app.inject({ method: 'POST', url: '/v1/transactions', headers: { 'content-type': 'application/json' }, payload: '' }), 400, 'BAD_JSON');
    expectError(await app.inject({ method: 'POST', url: '/v1/transactions', headers: { 'content-type': 'text/plain' }, payload: 'QUJD' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await submit({ tx: 'QUJD'.repeat(5000) }), 413, 'BODY_TOO_LARGE');
    expect(node.submitted).toEqual([]);
  });

  it('hides internal failures behind 500 INTERNAL', async () => {
    node.submitAnswer = () => {
      throw new Error('disk on fire at /var/secret/path');
    };
    const response = await submit({ tx: b64(pendingTx) });
    expectError(response, 500, 'INTERNAL');
    expect(response.body).not.toContain('/var/secret');
  });
});

describe('GET /v1/transactions/:id', () => {
  it('finds committed transactions with height, index and bytes', async () => {
    const tx = block.txs[1]!;
    const id = idOf(tx);
    expect((await app.inject(`/v1/transactions/${id}`)).json()).toEqual({ id, status: 'committed', height: 1, index: 1, tx: b64(tx) });
  });

  it('answers 404 for unknown ids and 400 for what is not an id', async () => {
    expectError(await app.inject(`/v1/transactions/${idOf(pendingTx)}`), 404, 'NOT_FOUND');
    for (const id of ['xyz', 'AB'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33)]) expectError(await app.inject(`/v1/transactions/${id}`), 400, 'INVALID_REQUEST');
  });
});

describe('GET /v1/blocks/:height', () => {
  it('gives every header field, the transaction ids in order and the commit', async () => {
    const { header } = block;
    expect((await app.inject('/v1/blocks/1')).json()).toEqual({
      chainId,
      height: 1,
      hash: toHex(block.hash),
      time: header.time,
      previousHash: toHex(header.previousHash),
      txRoot: toHex(header.txRoot),
      txCount: 2,
      stateRoot: toHex(header.stateRoot),
      validatorSetHash: toHex(header.validatorSetHash),
      nextValidatorSetHash: toHex(header.nextValidatorSetHash),
      proposer: toHex(header.proposer),
      txs: block.txs.map(idOf),
      commit: b64(fakeCommit(1)),
    });
  });

  it('answers 404 above the head and 400 for heights that are not positive whole numbers', async () => {
    expectError(await app.inject('/v1/blocks/2'), 404, 'NOT_FOUND');
    for (const height of ['0', '-1', '01', '1.0', 'abc', '1e3', '9'.repeat(16)]) expectError(await app.inject(`/v1/blocks/${height}`), 400, 'INVALID_REQUEST');
  });
});

it('answers unknown routes with the error shape', async () => {
  expectError(await app.inject('/v1/nothing?x=1'), 404, 'NOT_FOUND');
  expectError(await app.inject({ method: 'DELETE', url: '/v1/status' }), 404, 'NOT_FOUND');
});
