import { addEddsaJcsProof, attachAnchorLocation, CertificateError, didKeyFromPublicKey, issueBatch, type JsonObject } from '@certledger/certs';
import { toHex } from '@certledger/codec';
import type { NodeHandle } from '@certledger/node';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import { checkIssuing, departmentForToken, holdDepartments, SequenceKeeper, type HeldDepartment, type IssuingOptions } from '../issuing.js';
import { issueSchema } from '../issue-schemas.js';
import { transactionProof } from '../tx-proof.js';

interface IssueRequest {
  readonly issuerId: string;
  readonly typeId: string;
  readonly typeVersion: number;
  readonly records: unknown[];
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly dataIntegrity?: boolean;
  readonly wait?: number;
}

/** A W3C proof signed with the department's key, named as its did:key verification method. */
function dataIntegrityProof(department: HeldDepartment) {
  const did = didKeyFromPublicKey(department.signer.publicKey);
  return (credential: JsonObject) => addEddsaJcsProof(credential, { secretKey: department.secretKey, verificationMethod: `${did}#${did.slice('did:key:'.length)}` }) as JsonObject;
}

/**
 * POST /v1/issue: a department whose key this gateway holds issues a batch from records. The
 * bearer token says which department is asking; it can only ever issue as itself. Answers 201
 * with anchored certificates once committed, 202 with unanchored ones and a status URL before.
 */
export function issueRoutes(app: FastifyInstance, node: NodeHandle, issuing: IssuingOptions, writeLimit: { max: number; timeWindow: number } | undefined): void {
  const departments = holdDepartments(issuing);
  const sequences = new SequenceKeeper();
  app.post('/v1/issue', { schema: issueSchema, config: writeLimit && { rateLimit: writeLimit } }, async (request, reply) => {
    const department = departmentForToken(departments, request.headers.authorization);
    const body = request.body as IssueRequest;
    if (body.issuerId !== department.issuerId) {
      throw new HttpError(403, 'FORBIDDEN', `this token acts for "${department.issuerId}" and cannot issue for "${body.issuerId}"`);
    }
    const { schema, issuerName, typeName } = checkIssuing(node.state, issuing.schemas, department, body.typeId, body.typeVersion);
    const batch = await sequences.run(department.issuerId, () => node.state.nonces.get(toHex(department.signer.publicKey)) ?? 0, async (seq) => {
      let issued;
      try {
        issued = issueBatch(body.records, {
          chainId: node.state.chainId,
          issuerId: department.issuerId,
          issuerDisplayName: issuerName,
          signer: department.signer,
          seq,
          typeId: body.typeId,
          typeVersion: body.typeVersion,
          typeDisplayName: typeName,
          schema,
          validFrom: body.validFrom,
          validUntil: body.validUntil ?? null,
          ...(body.dataIntegrity ? { addProof: dataIntegrityProof(department) } : {}),
        });
      } catch (err) {
        if (err instanceof CertificateError) throw new HttpError(422, err.code, err.message);
        throw err;
      }
      const submitted = node.submitTransaction(issued.anchorTransaction);
      if (!submitted.ok) throw new HttpError(422, submitted.error.code, submitted.error.message);
      return issued;
    });
    const txId = toHex(batch.anchorTxId);
    const committed = (body.wait ? await node.waitForCommit(txId, body.wait * 1000) : undefined) ?? (await node.store.getTx(txId));
    const location = committed && (await transactionProof(node.store, txId));
    const summary = { root: toHex(batch.root), txId, count: batch.credentials.length };
    if (!location) return reply.status(202).send({ ...summary, status: 'pending', statusUrl: `/v1/transactions/${txId}`, credentials: batch.credentials });
    return reply.status(201).send({ ...summary, status: 'committed', height: location.height, credentials: batch.credentials.map((c) => attachAnchorLocation(c, location)) });
  });
}
