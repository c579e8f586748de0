import { parentPort } from 'node:worker_threads';
import { checkCertificateFile } from '@certledger/certs';
import { readVerifyBody } from './verify-body.js';
import type { VerifierAnswer, VerifierJob } from './verifier-pool.js';

function answer([id, text, now]: VerifierJob): VerifierAnswer {
  try {
    const reading = readVerifyBody(text);
    if (!reading.ok) return [id, { rejected: { code: reading.code, message: reading.message } }];
    const { certificate, at } = reading.body;
    return [id, checkCertificateFile(certificate, at === undefined ? now : Date.parse(at))];
  } catch (error) {
    return [id, { error: error instanceof Error ? error.message : String(error) }];
  }
}

parentPort?.on('message', (jobs: readonly VerifierJob[]) => parentPort?.postMessage(jobs.map(answer)));
