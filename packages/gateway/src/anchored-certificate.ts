import { issueBatch, type AnchorLocation, type IssuedBatch, type JsonObject } from '@certledger/certs';
import { testSigner } from '@certledger/ledger/testing';
import type { NodeHandle } from '@certledger/node';
import { transactionProof } from './tx-proof.js';

/** Driving-licence certificates of the test network's "transport" department (its first anchor, sequence 0), issued but not anchored. */
export function issueTestBatch(chainId: string, records: readonly JsonObject[], validUntil: string | null): IssuedBatch {
  return issueBatch(records, {
    chainId,
    issuerId: 'transport',
    issuerDisplayName: 'Department of Transport',
    signer: testSigner('issuer-transport'),
    seq: 0,
    typeId: 'driving-licence',
    typeVersion: 1,
    typeDisplayName: 'Driving licence',
    schema: { type: 'object' },
    validFrom: '2026-01-01T00:00:00Z',
    validUntil,
  });
}

/**
 * {@link issueTestBatch}'s certificates anchored on `node` and committed, with where the anchor sits: what a
 * test or load run of the verify route needs. The credentials come as issued; attach the
 * location (attachAnchorLocation) for offline checks.
 */
export async function issueAnchoredTestBatch(node: NodeHandle, records: readonly JsonObject[], validUntil: string | null): Promise<{ credentials: JsonObject[]; location: AnchorLocation }> {
  const batch = issueTestBatch(node.state.chainId, records, validUntil);
  const submitted = node.submitTransaction(batch.anchorTransaction);
  if (!submitted.ok) throw new Error(`the test anchor was refused: ${submitted.error.code}: ${submitted.error.message}`);
  if (!(await node.waitForCommit(submitted.id, 30_000))) throw new Error('the test anchor was not committed within 30 s');
  const location = await transactionProof(node.store, submitted.id);
  if (!location) throw new Error('the committed test anchor has no proof');
  return { credentials: batch.credentials, location };
}
