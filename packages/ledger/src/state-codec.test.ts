import { sha256, toHex } from '@certledger/codec';
import { describe, expect, it } from 'vitest';
import { buildBlock } from './chain.js';
import { decodeStateCore, encodeStateCore } from './state-codec.js';
import { stateRoot } from './state-root.js';
import { makeTx, testNetwork, testSigner } from './testing.js';

describe('stored state', () => {
  it('decodes to a state with the same root, so a restarted node continues where it stopped', () => {
    const net = testNetwork();
    const chainId = net.genesis.chainId;
    const transport = net.issuers.get('transport')!;
    const [v0, v1, v2] = net.validators;
    const root = sha256(new Uint8Array([1]));
    const fields = { issuerId: 'transport', typeId: 'driving-licence', typeVersion: 1, root, leafCount: 2 };
    const txs = [
      makeTx(chainId, transport, 0, { kind: 'anchor', ...fields }),
      makeTx(chainId, transport, 1, { kind: 'revoke', issuerId: 'transport', revocations: [{ root, leaf: null, reason: 'recalled' }] }),
      makeTx(chainId, v0!, 0, { kind: 'add-validator', publicKey: testSigner('v-new').publicKey, power: 3, name: 'new' }, [v0!, v1!, v2!]),
      makeTx(chainId, v0!, 1, { kind: 'suspend-issuer', issuerId: 'health', reason: 'audit' }, [v0!, v1!, v2!]),
    ];
    const { state } = buildBlock(net.state, txs, { time: net.state.lastBlockTime + 1, proposer: v0!.publicKey });
    expect(state.anchors.size).toBe(1);
    const restored = decodeStateCore(encodeStateCore(state), state.anchors.values(), state.revocations.values());
    expect(toHex(stateRoot(restored))).toBe(toHex(stateRoot(state)));
    expect(restored.issuerKeys.toJS()).toEqual(state.issuerKeys.toJS());
    expect(restored.pendingValidatorSets).toEqual(state.pendingValidatorSets);
  });
});
