import { toHex } from '@certledger/codec';
import { ConsensusEngine, decodeLockRecord, decodeSignRecord } from '@certledger/consensus';
import { signerFromSeed } from '@certledger/crypto';
import { readKeyFile } from '@certledger/crypto/keyfile';
import { parseGenesis, type Genesis } from '@certledger/ledger';
import { createPeerNode, type P2pLogEvent } from '@certledger/p2p';
import { LedgerStore } from '@certledger/store';
import { BlockSync, answerSyncRequest } from './block-sync.js';
import { MAX_GENESIS_FILE_BYTES } from './bounded-file.js';
import { ConfigError, readConfigJson, type NodeConfig } from './config.js';
import { ConsensusDriver } from './consensus-driver.js';
import { LedgerApp } from './ledger-app.js';
import { createLogger, type Logger } from './logger.js';
import { Mempool } from './mempool.js';
import { createNodeMetrics } from './metrics.js';
import { NodeRuntime } from './node-runtime.js';
import type { NodeHandle } from './node-handle.js';

export const CHANNEL = { consensus: 'consensus', tx: 'tx', sync: 'sync' } as const;

/** The libp2p protocol of a chain's nodes: nodes of different chains never talk. */
export function p2pProtocol(chainId: string): string {
  return `/certledger/${chainId}/1`;
}
/** How often a re-broadcast of this node's own consensus messages recovers what was lost. */
const REBROADCAST_MS = 1000;

function loadGenesis(file: string): Genesis {
  const parsed = parseGenesis(readConfigJson(file, 'the genesis file', MAX_GENESIS_FILE_BYTES));
  if (!parsed.ok) throw new ConfigError(`${file}: ${parsed.error.message}`);
  return parsed.value;
}

function p2pLogger(log: Logger): (event: P2pLogEvent) => void {
  return (event) => {
    const level = event.event === 'protocol-violation' || event.event === 'connection-refused' || event.event === 'handler-failed' ? 'warn' : 'debug';
    log[level]({ p2p: event.event, peer: event.peer?.slice(0, 16), channel: event.channel, code: event.code, reason: event.reason }, `p2p ${event.event}`);
  };
}

/**
 * Starts a validator or follower from its configuration: opens the store, resumes the chain
 * and the consensus records, connects to the peers, and runs consensus and block sync.
 */
export async function startNode(config: NodeConfig, options: { logger?: Logger } = {}): Promise<NodeHandle> {
  const log = options.logger ?? createLogger(config.name, config.logLevel);
  const genesis = loadGenesis(config.genesisFile);
  const key = readKeyFile(config.keyFile);
  const store = await LedgerStore.open(config.dataDir, genesis);
  try {
    const state = await store.loadState(genesis);
    const [signBytes, lockBytes] = await Promise.all([store.readSignRecord(), store.readLockRecord()]);
    const maxBlockBytes = state.params.maxBlockBytes;
    const mempool = new Mempool({ maxTxs: config.mempool.maxTxs, maxBytes: config.mempool.maxBytes });
    const app = new LedgerApp(state, store, mempool, config.consensus.maxProposalTxs);
    const metrics = createNodeMetrics();
    const isValidator = config.mode === 'validator';
    const engine = new ConsensusEngine({
      chainId: state.chainId,
      signer: isValidator ? signerFromSeed(key.secretKey) : null,
      hashBlock: (bytes) => app.blockHash(bytes),
      maxBlockBytes,
      timeouts: {
        proposeMs: config.consensus.timeoutProposeMs,
        prevoteMs: config.consensus.timeoutPrevoteMs,
        precommitMs: config.consensus.timeoutPrecommitMs,
        roundIncreaseMs: config.consensus.timeoutDeltaMs,
        rebroadcastMs: REBROADCAST_MS,
      },
      signRecord: signBytes ? decodeSignRecord(signBytes) : null,
      lockRecord: lockBytes ? decodeLockRecord(lockBytes, maxBlockBytes) : null,
    });
    const maxMessageBytes = maxBlockBytes * 2 + 65_536;
    const peer = await createPeerNode({
      seed: key.secretKey,
      listen: [...config.p2p.listen],
      peers: config.p2p.peers.map((p) => ({ publicKey: p.publicKey, addresses: [...p.addresses] })),
      allowedKeys: () => app.state.validators.map((v) => v.publicKey),
      channels: Object.values(CHANNEL),
      maxMessageBytes,
      logger: p2pLogger(log),
      protocol: p2pProtocol(state.chainId),
    });
    const runtime = new NodeRuntime({ config, key, store, app, mempool, metrics, peer, log });
    const sync = new BlockSync(
      { request: (peerHex, payload, timeoutMs) => peer.request(Uint8Array.from(Buffer.from(peerHex, 'hex')), CHANNEL.sync, payload, timeoutMs) },
      () => app.state.height + 1,
      ({ block, commit }) => driver.applySyncedBlock(block, commit),
      maxMessageBytes,
      log,
      (syncing) => runtime.setSyncing(syncing),
    );
    const driver = new ConsensusDriver({
      engine,
      app,
      store,
      blockIntervalMs: config.consensus.blockIntervalMs,
      proposerKey: isValidator ? key.publicKey : null,
      log,
      network: {
        broadcast: (bytes) => peer.broadcast(CHANNEL.consensus, bytes),
        send: (peerHex, bytes) => runtime.sendTo(peerHex, CHANNEL.consensus, bytes),
        syncFrom: (peerHex) => sync.syncFrom(peerHex),
      },
      events: runtime.driverEvents(),
    });
    peer.onMessage(CHANNEL.consensus, (from, bytes) => driver.onMessage(toHex(from), bytes));
    peer.onMessage(CHANNEL.tx, (from, bytes) => runtime.receiveGossipedTxs(from, bytes));
    peer.onRequest(CHANNEL.sync, (_from, payload) => answerSyncRequest(store, payload, maxMessageBytes));
    await peer.start();
    runtime.attach(driver);
    driver.start();
    log.info({ height: state.height, chainId: state.chainId, mode: config.mode, publicKey: toHex(key.publicKey), listen: peer.listenAddresses() }, 'node started');
    return runtime;
  } catch (error) {
    await store.close();
    throw error;
  }
}
