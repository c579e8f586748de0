import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueBatch, type AnchorLocation, type JsonObject } from '@certledger/certs';
import { sha256, toHex } from '@certledger/codec';
import { testSigner } from '@certledger/ledger/testing';
import { Command } from 'commander';
import { afterEach, beforeEach, vi } from 'vitest';
import type { BatchInfo } from './batch-folder.js';
import { DRIVING_LICENCE_SCHEMA } from './sample-schemas.js';

/** Transport's driving licences for `count` made-up people, signed with sequence number `seq`. */
export function issueTestBatch(count: number, seq = 0) {
  const records = Array.from({ length: count }, (_, i) => ({ name: `Person ${seq}-${i}`, dateOfBirth: '1990-01-01', licenceNumber: `LIC${String(i).padStart(5, '0')}`, categories: ['B'] }));
  return issueBatch(records, {
    chainId: 'test-chain',
    issuerId: 'transport',
    issuerDisplayName: 'Department of Transport',
    signer: testSigner('issuer-transport'),
    seq,
    typeId: 'driving-licence',
    typeVersion: 1,
    typeDisplayName: 'Driving licence',
    schema: structuredClone(DRIVING_LICENCE_SCHEMA) as unknown as JsonObject,
    validFrom: '2026-01-01T00:00:00Z',
  });
}

export type TestBatch = ReturnType<typeof issueTestBatch>;

/** batch.json of a test batch, as `certledger issue` writes it before the anchor commits. */
export function testBatchInfo(batch: TestBatch): BatchInfo {
  return {
    format: 1,
    state: 'signed',
    chainId: 'test-chain',
    issuerId: 'transport',
    typeId: 'driving-licence',
    typeVersion: 1,
    count: batch.credentials.length,
    root: toHex(batch.root),
    anchorTxId: toHex(batch.anchorTxId),
    height: null,
    createdAt: '2026-01-01T00:00:00Z',
  };
}

/** A made-up anchor location: enough for files and commands that do not check it against a chain. */
export const TEST_LOCATION: AnchorLocation = { height: 5, blockHash: sha256(Uint8Array.of(5)), txIndex: 0, txCount: 1, txInclusionPath: [], header: Uint8Array.of(1), commit: Uint8Array.of(2) };

/** What a command asked of the node: method and URL. */
export interface NodeCall {
  readonly method: string;
  readonly url: string;
}

/** An answer of the stand-in node: status and JSON body; undefined leaves the node unreachable. */
export type NodeAnswer = (call: NodeCall) => { readonly status: number; readonly body: unknown } | undefined;

/**
 * Replaces `fetch` for each test of the file with a stand-in node that answers `answer` and
 * records every call, so a test sees whether a command asked or sent anything.
 */
export function stubNode(answer: NodeAnswer = () => undefined): NodeCall[] {
  const calls: NodeCall[] = [];
  beforeEach(() => {
    calls.length = 0;
    vi.stubGlobal('fetch', async (url: URL | string, init?: RequestInit) => {
      const call = { method: init?.method ?? 'GET', url: String(url) };
      calls.push(call);
      const answered = answer(call);
      if (!answered) throw new Error('no network in this test');
      return new Response(JSON.stringify(answered.body), { status: answered.status });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  return calls;
}

/** Runs `certledger <args>` in this process with the commands `register` adds. */
export async function runCommand(register: readonly ((program: Command) => void)[], args: readonly string[]): Promise<void> {
  const program = new Command().exitOverride();
  for (const add of register) add(program);
  await program.parseAsync(args, { from: 'user' });
}

/** Every file and folder under `dir` with its content, to show a refused command changed nothing. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    files[path] = entry.isFile() ? readFileSync(path, 'utf8') : entry.isDirectory() ? '<folder>' : '<other>';
  }
  return files;
}
