import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesEqual } from '@certledger/codec';
import { createLogger, loadNodeConfig, startNode, type NodeHandle } from '@certledger/node';
import { freePortBlock, testNetworkPortCount, writeTestNetwork, type ExtraPeer } from '@certledger/node/testing';

/**
 * What the nodes logged, as counts by message and code, and every error-level line in full:
 * an error line means a step of the node failed on input it should have refused cleanly.
 */
export class LogTally {
  readonly counts = new Map<string, number>();
  readonly errors: string[] = [];
  /** Key prefixes (16 hex digits, as the node logs them) of peers the nodes found breaking the protocol. */
  readonly violators = new Set<string>();

  stream(): { write(line: string): void } {
    return { write: (line) => this.#record(line) };
  }

  #record(line: string): void {
    const entry = JSON.parse(line) as { level: number; msg: string; code?: string; p2p?: string; peer?: string };
    if (entry.level >= 50) this.errors.push(line.trim().slice(0, 4000));
    if (entry.p2p === 'protocol-violation' && entry.peer) this.violators.add(entry.peer);
    const key = [entry.msg, entry.code].filter(Boolean).join(' ');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

export interface LiveNetwork {
  readonly chainId: string;
  readonly p2pPorts: readonly number[];
  readonly nodes: readonly NodeHandle[];
  readonly logs: LogTally;
  stop(): Promise<void>;
}

/**
 * The deterministic test network with `validators` members written to a temporary folder, of
 * which the first `running` are started in this process on 127.0.0.1 with quick timings.
 */
export async function startNetwork(options: { validators: number; running: number; logLevel: 'debug' | 'warn' | 'error'; extraPeers?: readonly ExtraPeer[] }): Promise<LiveNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'certledger-fuzz-'));
  const basePort = await freePortBlock(testNetworkPortCount(options.validators));
  const network = writeTestNetwork(dir, { validators: options.validators, basePort, extraPeers: options.extraPeers ?? [] });
  const logs = new LogTally();
  const nodes: NodeHandle[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const file of network.configFiles.slice(0, options.running)) {
      const config = loadNodeConfig(file);
      nodes.push(await startNode(config, { logger: createLogger(config.name, options.logLevel, logs.stream()) }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { chainId: network.chainId, p2pPorts: network.p2pPorts, nodes, logs, stop };
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until every node has committed `height`; throws naming the laggards after `timeoutMs`. */
export async function waitForHeight(nodes: readonly NodeHandle[], height: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (nodes.some((node) => node.state.height < height)) {
    if (Date.now() > deadline) {
      const heights = nodes.map((node) => `${node.name} at ${node.state.height}`).join(', ');
      throw new Error(`the chain stopped: after ${timeoutMs} ms not every node reached height ${height} (${heights})`);
    }
    await sleep(50);
  }
}

/** Every node holds the same block at every height up to `height`: no fork. */
export async function expectAgreement(nodes: readonly NodeHandle[], height: number): Promise<void> {
  const [first, ...others] = nodes;
  if (!first) return;
  for (let h = 1; h <= height; h++) {
    const block = await first.store.getBlock(h);
    for (const other of others) {
      const theirs = await other.store.getBlock(h);
      if (!block || !theirs || !bytesEqual(block, theirs)) throw new Error(`${first.name} and ${other.name} hold different blocks at height ${h}`);
    }
  }
}

/** The chain keeps growing: from the lowest node's height now, two more blocks on every node. */
export async function expectProgress(nodes: readonly NodeHandle[], timeoutMs: number): Promise<number> {
  const target = Math.min(...nodes.map((node) => node.state.height)) + 2;
  await waitForHeight(nodes, target, timeoutMs);
  return target;
}
