import { parentPort } from 'node:worker_threads';
import { checkCertificateFile } from '@certledger/certs';
import type { VerifierAnswer, VerifierJob } from './verifier-pool.js';

/** A POST /v1/verify body; the gateway parsed and validated the same text against its schema before sending it here. */
interface VerifyBody {
  readonly certificate: unknown;
}

function answer([id, body, now]: VerifierJob): VerifierAnswer {
  try {
    return [id, checkCertificateFile((JSON.parse(body) as VerifyBody).certificate, now)];
  } catch (error) {
    return [id, { error: error instanceof Error ? error.message : String(error) }];
  }
}

parentPort?.on('message', (jobs: readonly VerifierJob[]) => parentPort?.postMessage(jobs.map(answer)));
