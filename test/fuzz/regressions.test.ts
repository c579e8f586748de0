import { verifyCertificate } from '@certledger/certs';
import { encode } from '@certledger/codec';
import { ConsensusError, decodeCommit, encodeCommit, voteBody, voteDigest } from '@certledger/consensus';
import { testNetwork } from '@certledger/ledger/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RECORDS, TestChain } from '../../packages/certs/src/test-support.js';
import { fakeGateway, type FakeGateway } from '../../packages/gateway/src/test-support/fake-node.js';
import { checkAnswer } from './http-target.js';

/** Crashes the fuzzers found, each kept as the smallest input that showed it. */
describe('found by decoders/commit', () => {
  const network = testNetwork(4);
  const blockHash = new Uint8Array(32).fill(7);
  const signatures = network.validators.slice(0, 3).map((validator) => ({ validator: validator.publicKey, signature: validator.sign(voteDigest(voteBody('test-chain', 'precommit', 1, 0, blockHash))) }));
  const sorted = encodeCommit({ height: 1, round: 0, blockHash, signatures });
  const inOrder = decodeCommit(sorted).signatures;
  const rawCommit = (order: readonly number[]) => encode([1, 0, blockHash, order.map((i) => [inOrder[i]!.validator, inOrder[i]!.signature])]);

  it('a commit whose signatures are not sorted by key is refused: one commit, one byte string', () => {
    expect(decodeCommit(rawCommit([0, 1, 2])).signatures).toHaveLength(3);
    for (const order of [[1, 0, 2], [0, 2, 1], [0, 1, 1]]) {
      expect(() => decodeCommit(rawCommit(order))).toThrow(expect.objectContaining({ constructor: ConsensusError, code: 'MALFORMED' }));
    }
  });
});

describe('found by http/api', () => {
  let gateway: FakeGateway;
  beforeAll(async () => {
    gateway = await fakeGateway(testNetwork(), []);
  });
  afterAll(() => gateway.close());

  it('a path part the router refuses is answered in the one error shape, not fastify\'s', async () => {
    for (const [url, status, code] of [
      [`/v1/issuers/${'a'.repeat(101)}`, 414, 'URL_TOO_LONG'],
      ['/v1/blocks/%zz', 400, 'BAD_URL'],
      ['/v1/anchors/%E0%A4%A', 400, 'BAD_URL'],
    ] as const) {
      const response = await gateway.app.inject(url);
      expect(response.statusCode, url).toBe(status);
      expect(checkAnswer('GET', response.statusCode, String(response.headers['content-type']), response.body)).toBe(code);
    }
  });
});

/**
 * A parsed value that JSON cannot hold (a hole in a list, undefined, a function) made
 * verifyCertificate throw CertificateError from its integrity check instead of answering with
 * the format check failed; certs' rework of its entry walk answers it.
 */
describe('found by certs/file', () => {
  it('verifyCertificate answers a credential holding a value JSON cannot hold, without throwing', async () => {
    const chain = new TestChain();
    const issued = chain.issue(SAMPLE_RECORDS).credentials[0]!;
    const holed = { ...issued, credentialSubject: { ...(issued.credentialSubject as object), categories: [undefined, 'B'] } };
    const result = await verifyCertificate(holed, { now: Date.parse('2027-06-01T00:00:00Z'), ledger: chain.view });
    expect(result).toMatchObject({ valid: false, reason: 'MALFORMED' });
  });
});
