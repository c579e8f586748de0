import { describe, expect, it } from 'vitest';
import { connectLedger, GatewayAnswerError, type FetchFn } from './http-ledger-view.js';

const ROOT = new Uint8Array(32).fill(1);
const LEAF = new Uint8Array(32).fill(2);

function fakeGateway(routes: Record<string, [number, unknown]>): FetchFn & { asked: string[] } {
  const asked: string[] = [];
  const fetchFn = async (url: string) => {
    const path = url.replace('http://gw.test', '');
    asked.push(path);
    const [status, body] = routes[path] ?? [404, { error: { code: 'NOT_FOUND', message: 'no' } }];
    return { status, json: async () => body };
  };
  return Object.assign(fetchFn, { asked });
}

describe('connectLedger', () => {
  it('reads anchors, issuers, types and revocations from the gateway API, and null for 404', async () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const gateway = fakeGateway({
      '/v1/status': [200, { chainId: 'gov-chain' }],
      [`/v1/anchors/${hex(ROOT)}`]: [200, { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, height: 9, txId: 'ab'.repeat(32), blockHash: 'ef'.repeat(32) }],
      '/v1/issuers/transport': [200, { displayName: 'Department of Transport', keys: [{ publicKey: 'cd'.repeat(32), addedAtHeight: 0, retiredAtHeight: null, compromisedFromHeight: null }], suspension: null }],
      '/v1/cert-types': [200, { certTypes: [{ typeId: 'driving-licence', version: 1, displayName: 'Driving licence' }] }],
      [`/v1/revocations/${hex(ROOT)}?leaf=${hex(LEAF)}`]: [200, { revoked: true, scope: 'batch', reason: 'printed in error', height: 12 }],
    });
    const view = await connectLedger('http://gw.test/', gateway);
    expect(view.chainId).toBe('gov-chain');
    expect(await view.anchor(ROOT)).toMatchObject({ issuerId: 'transport', height: 9 });
    expect(await view.anchor(LEAF)).toBeNull();
    expect((await view.issuer('transport'))?.keys[0]?.retiredAtHeight).toBeNull();
    expect(await view.issuer('nobody')).toBeNull();
    expect(await view.certTypeName('driving-licence', 1)).toBe('Driving licence');
    expect(await view.certTypeName('driving-licence', 2)).toBeNull();
    expect(await view.revocation(ROOT, LEAF)).toEqual({ reason: 'printed in error', height: 12, wholeBatch: true });
  });

  it('refuses answers that are not what the API documents, saying where', async () => {
    const gateway = fakeGateway({
      '/v1/status': [200, { chainId: 'gov-chain' }],
      [`/v1/anchors/${'01'.repeat(32)}`]: [200, { issuerId: 'transport', typeId: 'x', typeVersion: -1, height: 9, txId: 'zz' }],
    });
    const view = await connectLedger('http://gw.test', gateway);
    await expect(view.anchor(ROOT)).rejects.toThrow(GatewayAnswerError);
    await expect(view.anchor(ROOT)).rejects.toThrow(/\$\.typeVersion is not a whole number/);
    await expect(connectLedger('http://gw.test', fakeGateway({ '/v1/status': [500, {}] }))).rejects.toThrow(/HTTP 500/);
  });
});
