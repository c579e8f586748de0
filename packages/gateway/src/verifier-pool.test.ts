import { checkCertificateFile, type JsonObject } from '@certledger/certs';
import { afterEach, describe, expect, it } from 'vitest';
import { issueTestBatch } from './anchored-certificate.js';
import { VerifierPool, VerifierUnavailableError } from './verifier-pool.js';

const batch = issueTestBatch('pool-test-chain', [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }], null);
const NOW = Date.parse('2027-01-01T00:00:00Z');
const pools: VerifierPool[] = [];

function pool(threads: number, maxWaiting: number): VerifierPool {
  const created = new VerifierPool(threads, maxWaiting);
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('VerifierPool', () => {
  it('gives the verdicts checkCertificateFile gives in this thread, for every job of a burst', async () => {
    const tampered = structuredClone(batch.credentials[1]!);
    (tampered.credentialSubject as JsonObject).name = 'Alan Turin';
    const certificates: unknown[] = [...batch.credentials, tampered, JSON.stringify(batch.credentials[0]), '{ nope'];
    // Enough at once to fill several messages to each of the two threads.
    const burst = Array.from({ length: 40 }, (_, i) => certificates[i % certificates.length]);
    const verifiers = pool(2, 100);
    const verdicts = await Promise.all(burst.map((certificate) => verifiers.check(JSON.stringify({ certificate }), NOW)));
    expect(verdicts).toEqual(burst.map((certificate) => checkCertificateFile(certificate, NOW)));
    expect(verdicts.slice(0, 5).map((v) => v.checks.find((c) => c.outcome === 'fail')?.name)).toEqual([undefined, undefined, 'integrity', undefined, 'format']);
  });

  it('refuses a job beyond its limit at once, and takes jobs again once those waiting are done', async () => {
    const verifiers = pool(1, 1);
    const body = JSON.stringify({ certificate: batch.credentials[0] });
    const first = verifiers.check(body, NOW);
    await expect(verifiers.check(body, NOW)).rejects.toBeInstanceOf(VerifierUnavailableError);
    expect((await first).facts?.issuerId).toBe('transport');
    expect((await verifiers.check(body, NOW)).facts?.issuerId).toBe('transport');
  });

  it('fails the jobs still waiting when closed, and every job after', async () => {
    const verifiers = pool(1, 10);
    const body = JSON.stringify({ certificate: batch.credentials[0] });
    const waiting = expect(verifiers.check(body, NOW)).rejects.toBeInstanceOf(VerifierUnavailableError);
    await verifiers.close();
    await waiting;
    await expect(verifiers.check(body, NOW)).rejects.toThrow(/shutting down/);
  });

  it('answers a job whose body is not JSON with an error, not a verdict', async () => {
    await expect(pool(1, 10).check('{ not json', NOW)).rejects.toThrow(/JSON/);
  });
});
