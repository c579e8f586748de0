import { toHex } from '@certledger/codec';
import { revocationKey, type AnchorRecord, type State } from '@certledger/ledger';
import type { NodeHandle } from '@certledger/node';
import type { LedgerStore } from '@certledger/store';
import type { FastifyInstance } from 'fastify';
import { committedBlock } from '../block-reader.js';
import { HttpError } from '../errors.js';
import { anchorSchema, certTypesSchema, issuerAnchorsSchema, issuerListSchema, issuerSchema, revocationSchema, validatorsSchema } from '../read-schemas.js';
import { DEFAULT_PAGE_SIZE } from '../schemas.js';
import { anchorView, certTypeView, issuerView, validatorView } from '../views.js';

/** Issuers, certificate types, validators, anchors and revocations, from the state after the last block. */
export function registryRoutes(app: FastifyInstance, node: NodeHandle): void {
  const requireIssuer = (issuerId: string) => {
    const issuer = node.state.issuers.get(issuerId);
    if (!issuer) throw new HttpError(404, 'NOT_FOUND', `no issuing department "${issuerId}" is registered`);
    return issuer;
  };
  const requireAnchor = (state: State, root: string) => {
    const anchor = state.anchors.get(root);
    if (!anchor) throw new HttpError(404, 'NOT_FOUND', `no batch with root ${root} is anchored`);
    return anchor;
  };

  app.get('/v1/issuers', { schema: issuerListSchema }, async () => ({
    issuers: [...node.state.issuers.values()].sort((a, b) => (a.issuerId < b.issuerId ? -1 : 1)).map(issuerView),
  }));

  app.get('/v1/issuers/:issuerId', { schema: issuerSchema }, async (request) => issuerView(requireIssuer((request.params as { issuerId: string }).issuerId)));

  app.get('/v1/issuers/:issuerId/anchors', { schema: issuerAnchorsSchema }, async (request) => {
    const { issuerId } = requireIssuer((request.params as { issuerId: string }).issuerId);
    const { before, limit } = request.query as { before?: string; limit?: string };
    const size = Number(limit ?? DEFAULT_PAGE_SIZE);
    const page = await anchorPage(node.store, issuerId, size, before === undefined ? undefined : Number(before), node.state.params.maxBlockTxs);
    const next = page.nextBefore === null ? null : `/v1/issuers/${issuerId}/anchors?before=${page.nextBefore}&limit=${size}`;
    return { issuerId, anchors: page.anchors.map(anchorView), next };
  });

  app.get('/v1/anchors/:root', { schema: anchorSchema }, async (request) => {
    const anchor = requireAnchor(node.state, (request.params as { root: string }).root);
    const found = await committedBlock(node.store, anchor.height);
    if (!found) throw new Error(`anchor ${toHex(anchor.root)} names block ${anchor.height}, which is not stored`);
    return { ...anchorView(anchor), blockHash: toHex(found.block.hash) };
  });

  app.get('/v1/revocations/:root', { schema: revocationSchema }, async (request) => {
    const state = node.state;
    const { root } = request.params as { root: string };
    const { leaf = null } = request.query as { leaf?: string };
    requireAnchor(state, root);
    // A batch revocation covers every leaf, so it is the answer whichever leaf is asked about.
    const batch = state.revocations.get(revocationKey(root, null));
    const revocation = batch ?? (leaf === null ? undefined : state.revocations.get(revocationKey(root, leaf)));
    if (!revocation) return { root, leaf, revoked: false, scope: null, reason: null, height: null, txId: null };
    return { root, leaf, revoked: true, scope: batch ? 'batch' : 'certificate', reason: revocation.reason, height: revocation.height, txId: toHex(revocation.txId) };
  });

  app.get('/v1/cert-types', { schema: certTypesSchema }, async () => ({
    certTypes: [...node.state.certTypes.values()].sort((a, b) => (a.typeId === b.typeId ? a.version - b.version : a.typeId < b.typeId ? -1 : 1)).map(certTypeView),
  }));

  app.get('/v1/validators', { schema: validatorsSchema }, async () => {
    const { height, validators, pendingValidatorSets } = node.state;
    return {
      height,
      validators: validators.map(validatorView),
      pending: pendingValidatorSets.map((set) => ({ effectiveHeight: set.effectiveHeight, validators: set.validators.map(validatorView) })),
    };
  });
}

/**
 * A page of an issuer's anchors, newest first, that never splits a block, so `before` (a
 * height) can resume exactly: a full page ending inside a block leaves that block to the next
 * page, and a block holding more than `limit` of the issuer's anchors comes whole.
 */
async function anchorPage(store: LedgerStore, issuerId: string, limit: number, before: number | undefined, maxBlockTxs: number): Promise<{ anchors: AnchorRecord[]; nextBefore: number | null }> {
  const page = await store.anchorsByIssuer(issuerId, limit, before);
  const last = page.at(-1);
  if (!last || page.length < limit) return { anchors: page, nextBefore: null };
  const wholeBlocks = page.filter((anchor) => anchor.height !== last.height);
  if (wholeBlocks.length > 0) return { anchors: wholeBlocks, nextBefore: last.height + 1 };
  const block = await store.anchorsByIssuer(issuerId, maxBlockTxs, last.height + 1);
  return { anchors: block.filter((anchor) => anchor.height === last.height), nextBefore: last.height };
}
