import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one node; names are what operators alert on, see the README. */
export function createNodeMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'certledger_process_' });
  return {
    registry,
    height: new Gauge({ name: 'certledger_height', help: 'Height of the last committed block', registers: [registry] }),
    round: new Gauge({ name: 'certledger_consensus_round', help: 'Consensus round at the current height', registers: [registry] }),
    peers: new Gauge({ name: 'certledger_peers', help: 'Connected peers', registers: [registry] }),
    mempoolSize: new Gauge({ name: 'certledger_mempool_txs', help: 'Transactions waiting in the mempool', registers: [registry] }),
    mempoolBytes: new Gauge({ name: 'certledger_mempool_bytes', help: 'Bytes of transactions waiting in the mempool', registers: [registry] }),
    committedTxs: new Counter({ name: 'certledger_committed_txs_total', help: 'Transactions committed in blocks', registers: [registry] }),
    rejectedTxs: new Counter({ name: 'certledger_rejected_txs_total', help: 'Transactions refused on submission, by reason', labelNames: ['code'], registers: [registry] }),
    commitLatency: new Histogram({
      name: 'certledger_commit_latency_seconds',
      help: 'From a transaction entering this node to its block being committed',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    blockInterval: new Histogram({ name: 'certledger_block_interval_seconds', help: 'Time between committed blocks', buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10], registers: [registry] }),
    syncedBlocks: new Counter({ name: 'certledger_synced_blocks_total', help: 'Blocks fetched from peers by block sync', registers: [registry] }),
    peerErrors: new Counter({ name: 'certledger_peer_messages_refused_total', help: 'Messages from peers refused as invalid', labelNames: ['kind'], registers: [registry] }),
  };
}

export type NodeMetrics = ReturnType<typeof createNodeMetrics>;
