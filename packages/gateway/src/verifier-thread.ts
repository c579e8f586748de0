import { parentPort } from 'node:worker_threads';
import { checkCertificateFile } from '@certledger/certs';
import { judgedAt, readVerifyBody } from './verify-body.js';
import type { VerifierAnswer, VerifierJob } from './verifier-pool.js';

function answer([id, text, now]: VerifierJob): VerifierAnswer {
  try {
    const reading = readVerifyBody(text);
    if (!reading.ok) return [id, { rejected: { code: reading.code, message: reading.message } }];
    return [id, checkCertificateFile(reading.body.certificate, judgedAt(reading.body, now))];
  } catch (error) {
    return [id, { error: error instanceof Error ? error.message : String(error) }];
  }
}

parentPort?.on('message', (jobs: readonly VerifierJob[]) => parentPort?.postMessage(jobs.map(answer)));
