import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256, toHex } from '@certledger/codec';
import { testAnchorTx, testNetwork, testSigner } from '@certledger/ledger/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './gateway.js';
import { expectError, FakeNode, NO_SHEDDING, storeChain, type StoredChain } from './test-support/fake-node.js';

const network = testNetwork(1);
const chainId = network.genesis.chainId;
const transport = toHex(testSigner('issuer-transport').publicKey);
const dir = mkdtempSync(join(tmpdir(), 'certledger-gateway-accounts-'));
let chain: StoredChain;
let app: FastifyInstance;

beforeAll(async () => {
  // transport sends seq 0, 1 and 2 in one block.
  const anchors = [0, 1, 2].map((seq) => testAnchorTx(chainId, seq, sha256(Uint8Array.of(seq))));
  chain = await storeChain(join(dir, 'store'), network, [anchors]);
  app = await createGateway(new FakeNode(chain.store, chain.state), { logger: false, ...NO_SHEDDING });
});

afterAll(async () => {
  await app.close();
  await chain.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /v1/accounts/:publicKey', () => {
  it("answers the sender's next sequence number after the committed blocks", async () => {
    const response = await app.inject(`/v1/accounts/${transport}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ publicKey: transport, nextSeq: 3 });
  });

  it('answers 0 for a key that never sent a transaction', async () => {
    const stranger = toHex(testSigner('stranger').publicKey);
    expect((await app.inject(`/v1/accounts/${stranger}`)).json()).toEqual({ publicKey: stranger, nextSeq: 0 });
  });

  it('refuses what is not 64 lowercase hex digits', async () => {
    for (const key of [transport.toUpperCase(), transport.slice(2), `${transport}00`, 'xyz']) {
      expectError(await app.inject(`/v1/accounts/${key}`), 400, 'INVALID_REQUEST');
    }
  });
});
