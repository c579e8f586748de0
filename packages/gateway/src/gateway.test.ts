import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, sha256, toHex } from '@certledger/codec';
import { decodeHeader } from '@certledger/ledger';
import { testAnchorTx } from '@certledger/ledger/testing';
import { leafHash, verifyInclusion } from '@certledger/merkle';
import { createLogger, loadNodeConfig, startNode, type NodeHandle } from '@certledger/node';
import { freePortBlock, testNetworkPortCount, writeTestNetwork } from '@certledger/node/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './gateway.js';
import { NO_SHEDDING } from './test-support/fake-node.js';

const dir = mkdtempSync(join(tmpdir(), 'certledger-gateway-'));
let node: NodeHandle;
let app: FastifyInstance;
let chainId: string;

beforeAll(async () => {
  const network = writeTestNetwork(dir, { validators: 1, basePort: await freePortBlock(testNetworkPortCount(1)) });
  chainId = network.chainId;
  node = await startNode(loadNodeConfig(network.configFiles[0]!), { logger: createLogger('gateway-test', 'error') });
  app = await createGateway(node, { bodyLimitBytes: 64 * 1024, ...NO_SHEDDING });
});

afterAll(async () => {
  await app.close();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

function submit(payload: unknown) {
  return app.inject({ method: 'POST', url: '/v1/transactions', payload: payload as Record<string, unknown> });
}

const anchor = (seq: number) => Buffer.from(testAnchorTx(chainId, seq, sha256(Uint8Array.of(seq, 7)))).toString('base64');

describe('gateway on a running single-validator node', () => {
  it('answers health, readiness of a lone validator, status and metrics', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).statusCode).toBe(200);
    expect((await app.inject('/v1/status')).json()).toMatchObject({ chainId, mode: 'validator', validators: [{ power: 10 }] });
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain('certledger_height');
  });

  it('answers 201 with the height once a transaction is committed, 202 with a status URL before', async () => {
    const committed = await submit({ tx: anchor(0), wait: 20 });
    expect(committed.statusCode).toBe(201);
    const { id, height } = committed.json() as { id: string; height: number };
    expect(height).toBeGreaterThan(0);
    const pending = await submit({ tx: anchor(1) });
    expect([201, 202]).toContain(pending.statusCode);
    if (pending.statusCode === 202) expect(pending.json()).toMatchObject({ status: 'pending', statusUrl: expect.stringMatching(/^\/v1\/transactions\/[0-9a-f]{64}$/) });
    const retried = await submit({ tx: anchor(0), wait: 1 });
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toEqual({ id, status: 'committed', height });
    const replay = Buffer.from(testAnchorTx(chainId, 0, sha256(Uint8Array.of(99)))).toString('base64');
    const refused = await submit({ tx: replay, wait: 1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: { code: 'BAD_SEQUENCE' } });

    const lookup = await app.inject(`/v1/transactions/${id}`);
    expect(lookup.json()).toMatchObject({ id, status: 'committed', height });
    const block = await app.inject(`/v1/blocks/${height}`);
    expect(block.json()).toMatchObject({ height, hash: expect.stringMatching(/^[0-9a-f]{64}$/), txs: expect.arrayContaining([id]) });
  });

  it('proves a committed anchor and finds it by root, by issuer and in its block', async () => {
    const root = sha256(Uint8Array.of(42));
    const tx = testAnchorTx(chainId, 2, root);
    const committed = await submit({ tx: Buffer.from(tx).toString('base64'), wait: 20 });
    expect(committed.statusCode).toBe(201);
    const { id, height } = committed.json() as { id: string; height: number };
    const proof = (await app.inject(`/v1/transactions/${id}/proof`)).json() as { header: string; blockHash: string; txIndex: number; txCount: number; inclusionPath: string[] };
    const header = decodeHeader(Buffer.from(proof.header, 'base64'));
    expect(header.height).toBe(height);
    expect(verifyInclusion(leafHash(tx), proof.txIndex, proof.txCount, proof.inclusionPath.map((h) => fromHex(h)), header.txRoot)).toBe(true);
    expect((await app.inject(`/v1/blocks/${height}`)).json()).toMatchObject({ hash: proof.blockHash, txRoot: toHex(header.txRoot) });
    expect((await app.inject(`/v1/anchors/${toHex(root)}`)).json()).toMatchObject({ txId: id, height, blockHash: proof.blockHash });
    const { anchors } = (await app.inject('/v1/issuers/transport/anchors?limit=100')).json() as { anchors: { txId: string }[] };
    expect(anchors.map((a) => a.txId)).toContain(id);
    const { transactions } = (await app.inject(`/v1/blocks/${height}/transactions`)).json() as { transactions: { id: string; kind: string }[] };
    expect(transactions).toContainEqual(expect.objectContaining({ id, kind: 'anchor' }));
  });

  it('takes a batch transaction by transaction and answers each outcome in order', async () => {
    const batch = (txs: unknown) => app.inject({ method: 'POST', url: '/v1/transactions/batch', payload: { txs } });
    const replay = Buffer.from(testAnchorTx(chainId, 0, sha256(Uint8Array.of(98)))).toString('base64');
    const mixed = await batch([anchor(3), 'not base64!', anchor(4), replay, anchor(0)]);
    expect(mixed.statusCode).toBe(202);
    const { results } = mixed.json() as { results: { status: string; id?: string; height?: number; statusUrl?: string; error?: { code: string } }[] };
    expect(results.map((r) => r.status)).toEqual(['pending', 'refused', 'pending', 'refused', 'committed']);
    expect(results[0]!.statusUrl).toBe(`/v1/transactions/${results[0]!.id}`);
    expect(results[1]!.error).toMatchObject({ code: 'BAD_ENCODING', message: expect.any(String) });
    expect(results[3]!.error).toMatchObject({ code: 'BAD_SEQUENCE' });
    expect(results[4]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{64}$/), height: expect.any(Number) });

    const waited = await submit({ tx: anchor(4), wait: 20 });
    expect(waited.json()).toMatchObject({ status: 'committed', id: results[2]!.id });
    expect((await batch([anchor(3), anchor(4)])).statusCode).toBe(201);
    const refused = await batch([replay, 'x']);
    expect(refused.statusCode).toBe(422);
    expect((refused.json() as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['refused', 'refused']);
    for (const txs of [[], Array.from({ length: 1001 }, () => 'AAAA'), [1], 'x']) {
      expect((await batch(txs)).json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    }
  });

  it('refuses malformed requests with one error shape and changes nothing', async () => {
    const before = node.status().mempool.txs;
    const cases: [unknown, number, string][] = [
      [{ tx: 'not base64!' }, 400, 'BAD_ENCODING'],
      [{ tx: anchor(5), extra: 1 }, 400, 'INVALID_REQUEST'],
      [{ tx: anchor(5), wait: 61 }, 400, 'INVALID_REQUEST'],
      [{ tx: anchor(5), wait: '3' }, 400, 'INVALID_REQUEST'],
      [{}, 400, 'INVALID_REQUEST'],
      [{ tx: Buffer.from('garbage bytes').toString('base64') }, 422, 'MALFORMED_TX'],
      [{ tx: 'A'.repeat(100_000) }, 413, 'BODY_TOO_LARGE'],
    ];
    for (const [payload, status, code] of cases) {
      const response = await submit(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(status);
      expect(response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
      expect(response.body).not.toContain('    at ');
    }
    expect(node.status().mempool.txs).toBe(before);
    expect((await app.inject('/v1/transactions/xyz')).statusCode).toBe(400);
    expect((await app.inject(`/v1/transactions/${'0'.repeat(64)}`)).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await app.inject('/v1/blocks/0')).statusCode).toBe(400);
    expect((await app.inject('/v1/blocks/99999999')).statusCode).toBe(404);
    expect((await app.inject('/v1/nothing')).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
