import { fromHex, sha256, toHex } from '@certledger/codec';
import { blockHash, buildBlock, decodeHeader, decodeTransaction, type Block } from '@certledger/ledger';
import { ANY_OBJECT_SCHEMA_HASH, makeTx, testAnchorTx, testNetwork, testSigner } from '@certledger/ledger/testing';
import { leafHash, verifyInclusion } from '@certledger/merkle';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './gateway.js';
import { expectError, fakeCommit, fakeGateway, FakeNode, NO_SHEDDING, type FakeGateway } from './test-support/fake-node.js';

const network = testNetwork(2);
const chainId = network.genesis.chainId;
const [v0, v1] = network.validators as [(typeof network.validators)[0], (typeof network.validators)[0]];
const transport = testSigner('issuer-transport');
const newTransportKey = testSigner('issuer-transport-2');
const root = (n: number) => sha256(Uint8Array.of(n, 42));
const hex = (n: number) => toHex(root(n));
const revokedLeaf = sha256(Uint8Array.of(7, 7));
const idOf = (bytes: Uint8Array) => {
  const decoded = decodeTransaction(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return toHex(decoded.value.id);
};

/*
 * Block 1: transport anchors roots 0-2, health anchors root 10.
 * Block 2: transport anchors roots 3-4, revokes batch 0 whole and one certificate of batch 1.
 * Block 3: governance rotates transport's key (the old one compromised from height 2) and suspends health.
 * Block 4: empty.
 */
const blockTxs = [
  [...[0, 1, 2].map((seq) => testAnchorTx(chainId, seq, root(seq))), testAnchorTx(chainId, 0, root(10), 'health', 'nurse-licence')],
  [
    ...[3, 4].map((seq) => testAnchorTx(chainId, seq, root(seq))),
    makeTx(chainId, transport, 5, {
      kind: 'revoke',
      issuerId: 'transport',
      revocations: [
        { root: root(0), leaf: null, reason: 'printed in error' },
        { root: root(1), leaf: revokedLeaf, reason: 'licence withdrawn' },
      ],
    }),
  ],
  [
    makeTx(chainId, v0, 0, { kind: 'rotate-issuer-key', issuerId: 'transport', newPublicKey: newTransportKey.publicKey, compromisedFromHeight: 2 }, [v0, v1]),
    makeTx(chainId, v0, 1, { kind: 'suspend-issuer', issuerId: 'health', reason: 'audit' }, [v0, v1]),
  ],
  [],
];

let chain: FakeGateway;
let blocks: readonly Block[];
let app: FastifyInstance;
const get = (url: string) => app.inject(url);
const json = async (url: string) => {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Record<string, unknown>;
};

beforeAll(async () => {
  chain = await fakeGateway(network, blockTxs);
  ({ blocks, app } = chain);
});

afterAll(() => chain.close());

describe('issuers, certificate types and validators', () => {
  it('lists issuers with their keys, rotations, compromise heights and suspensions', async () => {
    const { issuers } = (await json('/v1/issuers')) as { issuers: { issuerId: string }[] };
    expect(issuers.map((i) => i.issuerId)).toEqual(['health', 'transport']);
    expect(await json('/v1/issuers/transport')).toEqual({
      issuerId: 'transport',
      displayName: 'Department of Transport',
      registeredAtHeight: 0,
      keys: [
        { publicKey: toHex(transport.publicKey), addedAtHeight: 0, retiredAtHeight: 3, compromisedFromHeight: 2 },
        { publicKey: toHex(newTransportKey.publicKey), addedAtHeight: 3, retiredAtHeight: null, compromisedFromHeight: null },
      ],
      suspension: null,
    });
    expect(await json('/v1/issuers/health')).toMatchObject({ suspension: { atHeight: 3, reason: 'audit' } });
    expect(issuers[1]).toEqual(await json('/v1/issuers/transport'));
  });

  it('answers 404 for an unknown issuer and 400 for what is not an issuer id', async () => {
    expectError(await get('/v1/issuers/nobody'), 404, 'NOT_FOUND');
    for (const id of ['Transport', 'a_b', '-x', 'x'.repeat(64)]) expectError(await get(`/v1/issuers/${id}`), 400, 'INVALID_REQUEST');
  });

  it('lists certificate types and the validator set', async () => {
    const { certTypes } = (await json('/v1/cert-types')) as { certTypes: unknown[] };
    expect(certTypes).toEqual([
      { typeId: 'driving-licence', version: 1, displayName: 'Driving licence', schemaHash: toHex(ANY_OBJECT_SCHEMA_HASH), issuers: ['transport'], registeredAtHeight: 0, updatedAtHeight: 0 },
      { typeId: 'nurse-licence', version: 1, displayName: 'Nursing licence', schemaHash: toHex(ANY_OBJECT_SCHEMA_HASH), issuers: ['health'], registeredAtHeight: 0, updatedAtHeight: 0 },
    ]);
    const validators = await json('/v1/validators');
    expect(validators).toEqual({
      height: 4,
      validators: network.genesis.validators.map((v) => ({ name: v.name, publicKey: toHex(v.publicKey), power: 10 })),
      pending: [],
    });
  });
});

describe("an issuer's anchors", () => {
  const page = async (url: string) => (await json(url)) as { issuerId: string; anchors: { root: string; height: number }[]; next: string | null };

  it('pages newest first without splitting a block, following next to the end', async () => {
    const first = await page('/v1/issuers/transport/anchors?limit=2');
    expect(first.anchors.map((a) => a.height)).toEqual([2, 2]);
    expect(first.next).toBe('/v1/issuers/transport/anchors?before=2&limit=2');
    // Block 1 holds three of transport's anchors: more than the page size, so it comes whole.
    const second = await page(first.next!);
    expect(second.anchors.map((a) => a.root).sort()).toEqual([0, 1, 2].map(hex).sort());
    expect(second.next).toBe('/v1/issuers/transport/anchors?before=1&limit=2');
    expect(await page(second.next!)).toEqual({ issuerId: 'transport', anchors: [], next: null });

    const wide = await page('/v1/issuers/transport/anchors?limit=4');
    expect(wide.anchors.map((a) => a.height)).toEqual([2, 2]);
    expect(wide.next).toBe('/v1/issuers/transport/anchors?before=2&limit=4');
    const rest = await page(wide.next!);
    expect(rest.anchors).toHaveLength(3);
    expect(rest.next).toBeNull();
    expect((await page('/v1/issuers/transport/anchors')).anchors).toHaveLength(5);
  });

  it('gives each anchor its record', async () => {
    const { anchors } = await page('/v1/issuers/health/anchors');
    expect(anchors).toEqual([
      { root: hex(10), issuerId: 'health', typeId: 'nurse-licence', typeVersion: 1, leafCount: 1, signerKey: toHex(network.issuers.get('health')!.publicKey), height: 1, txId: idOf(blockTxs[0]![3]!), logIndex: 3 },
    ]);
  });

  it('refuses bad paging parameters with 400 and an unknown issuer with 404', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'before=0', 'before=01', 'before=-1', 'after=3', 'limit=2&limit=3']) {
      expectError(await get(`/v1/issuers/transport/anchors?${q}`), 400, 'INVALID_REQUEST');
    }
    expectError(await get('/v1/issuers/nobody/anchors'), 404, 'NOT_FOUND');
  });
});

describe('anchors and revocations by batch root', () => {
  it('gives an anchor with the hash of its block', async () => {
    expect(await json(`/v1/anchors/${hex(3)}`)).toMatchObject({ root: hex(3), issuerId: 'transport', height: 2, logIndex: 4, txId: idOf(blockTxs[1]![0]!), blockHash: toHex(blocks[1]!.hash) });
  });

  it('answers 404 for an unknown root and 400 for what is not one', async () => {
    expectError(await get(`/v1/anchors/${hex(99)}`), 404, 'NOT_FOUND');
    for (const bad of [hex(3).toUpperCase(), hex(3).slice(2), `${hex(3)}00`, 'xyz']) expectError(await get(`/v1/anchors/${bad}`), 400, 'INVALID_REQUEST');
  });

  it('reports a batch revocation for every leaf, and a certificate revocation for its leaf only', async () => {
    const revocationTx = idOf(blockTxs[1]![2]!);
    const otherLeaf = toHex(sha256(Uint8Array.of(1, 1)));
    const batch = { revoked: true, scope: 'batch', reason: 'printed in error', height: 2, txId: revocationTx };
    expect(await json(`/v1/revocations/${hex(0)}`)).toEqual({ root: hex(0), leaf: null, ...batch });
    expect(await json(`/v1/revocations/${hex(0)}?leaf=${otherLeaf}`)).toEqual({ root: hex(0), leaf: otherLeaf, ...batch });
    expect(await json(`/v1/revocations/${hex(1)}?leaf=${toHex(revokedLeaf)}`)).toEqual({
      root: hex(1),
      leaf: toHex(revokedLeaf),
      revoked: true,
      scope: 'certificate',
      reason: 'licence withdrawn',
      height: 2,
      txId: revocationTx,
    });
    const clean = { revoked: false, scope: null, reason: null, height: null, txId: null };
    expect(await json(`/v1/revocations/${hex(1)}`)).toEqual({ root: hex(1), leaf: null, ...clean });
    expect(await json(`/v1/revocations/${hex(1)}?leaf=${otherLeaf}`)).toEqual({ root: hex(1), leaf: otherLeaf, ...clean });
    expect(await json(`/v1/revocations/${hex(2)}?leaf=${toHex(revokedLeaf)}`)).toEqual({ root: hex(2), leaf: toHex(revokedLeaf), ...clean });
  });

  it('answers 404 for a root never anchored and 400 for bad roots or leaves', async () => {
    expectError(await get(`/v1/revocations/${hex(99)}`), 404, 'NOT_FOUND');
    for (const url of [`/v1/revocations/${hex(0)}?leaf=abc`, `/v1/revocations/${hex(0)}?leaf=${hex(1).toUpperCase()}`, `/v1/revocations/${hex(0)}?reason=x`, '/v1/revocations/00']) {
      expectError(await get(url), 400, 'INVALID_REQUEST');
    }
  });
});

describe('blocks', () => {
  const list = async (url: string) => (await json(url)) as { blocks: { height: number }[]; next: string | null };

  it('lists the latest blocks first with their summary, paging backwards', async () => {
    const all = await list('/v1/blocks');
    expect(all.blocks.map((b) => b.height)).toEqual([4, 3, 2, 1]);
    expect(all.next).toBeNull();
    const block = blocks[1]!;
    expect(all.blocks[2]).toEqual({ height: 2, hash: toHex(block.hash), time: block.header.time, txCount: 3, proposer: toHex(block.header.proposer) });
    const first = await list('/v1/blocks?limit=2');
    expect(first.blocks.map((b) => b.height)).toEqual([4, 3]);
    expect(first.next).toBe('/v1/blocks?before=3&limit=2');
    const second = await list(first.next!);
    expect(second).toMatchObject({ blocks: [{ height: 2 }, { height: 1 }], next: null });
    expect((await list('/v1/blocks?before=1')).blocks).toEqual([]);
    expect((await list('/v1/blocks?before=999&limit=1')).blocks.map((b) => b.height)).toEqual([4]);
  });

  it('refuses bad list parameters with 400', async () => {
    for (const q of ['limit=0', 'limit=1000', 'before=0', 'before=x', 'height=1']) expectError(await get(`/v1/blocks?${q}`), 400, 'INVALID_REQUEST');
  });

  it("lists a block's transactions with kind, sender and id", async () => {
    expect(await json('/v1/blocks/3/transactions')).toEqual({
      height: 3,
      transactions: [
        { index: 0, id: idOf(blockTxs[2]![0]!), kind: 'rotate-issuer-key', sender: toHex(v0.publicKey), seq: 0 },
        { index: 1, id: idOf(blockTxs[2]![1]!), kind: 'suspend-issuer', sender: toHex(v0.publicKey), seq: 1 },
      ],
    });
    expect(await json('/v1/blocks/4/transactions')).toEqual({ height: 4, transactions: [] });
    expect(await json('/v1/blocks/4')).toMatchObject({ height: 4, txCount: 0, txs: [] });
    expectError(await get('/v1/blocks/5/transactions'), 404, 'NOT_FOUND');
    expectError(await get('/v1/blocks/0/transactions'), 400, 'INVALID_REQUEST');
  });
});

describe('GET /v1/transactions/:id/proof', () => {
  it("proves every transaction's inclusion in its block's txRoot, with the header and commit as stored", async () => {
    for (const [b, txs] of blockTxs.entries()) {
      for (const [index, tx] of txs.entries()) {
        const proof = (await json(`/v1/transactions/${idOf(tx)}/proof`)) as {
          height: number;
          blockHash: string;
          header: string;
          commit: string;
          txIndex: number;
          txCount: number;
          inclusionPath: string[];
          tx: string;
        };
        const headerBytes = Buffer.from(proof.header, 'base64');
        const header = decodeHeader(headerBytes);
        expect(proof).toMatchObject({ height: b + 1, txIndex: index, txCount: txs.length, blockHash: toHex(blocks[b]!.hash) });
        expect(toHex(blockHash(headerBytes))).toBe(proof.blockHash);
        expect(Buffer.from(proof.tx, 'base64')).toEqual(Buffer.from(tx));
        expect(Buffer.from(proof.commit, 'base64')).toEqual(Buffer.from(fakeCommit(b + 1)));
        const path = proof.inclusionPath.map((h) => fromHex(h));
        expect(verifyInclusion(leafHash(tx), proof.txIndex, proof.txCount, path, header.txRoot)).toBe(true);
        expect(verifyInclusion(leafHash(tx), proof.txIndex, proof.txCount, path, root(0))).toBe(false);
        if (path.length > 0) expect(verifyInclusion(leafHash(tx), proof.txIndex ^ 1, proof.txCount, path, header.txRoot)).toBe(false);
      }
    }
  });

  it('answers 404 for a transaction not committed and 400 for what is not an id', async () => {
    expectError(await get(`/v1/transactions/${hex(5)}/proof`), 404, 'NOT_FOUND');
    expectError(await get(`/v1/transactions/${hex(5).slice(1)}/proof`), 400, 'INVALID_REQUEST');
  });
});

it('answers 500 INTERNAL without internals when the store disagrees with the state', async () => {
  // The state of a block 5 the store never received: its anchor names a block that is not there.
  const anchor = makeTx(chainId, newTransportKey, 0, { kind: 'anchor', issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root: root(11), leafCount: 1 });
  const built = buildBlock(chain.state, [anchor], { time: chain.state.lastBlockTime + 1000, proposer: v0.publicKey });
  expect(built.rejected).toEqual([]);
  const broken = await createGateway(new FakeNode(chain.store, built.state), { logger: false, ...NO_SHEDDING });
  try {
    const response = await broken.inject(`/v1/anchors/${hex(11)}`);
    expectError(response, 500, 'INTERNAL');
    expect(response.body).not.toContain('not stored');
  } finally {
    await broken.close();
  }
});
