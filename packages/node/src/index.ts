export { startNode, CHANNEL, p2pProtocol } from './start-node.js';
export type { NodeHandle, NodeStatus, PeerStatus, SubmitResult } from './node-handle.js';
export { loadNodeConfig, parseNodeConfig, timingsFrom, ConfigError, DEFAULT_TIMINGS, DEFAULT_MAX_PROPOSAL_TXS, type NodeConfig, type ConsensusSettings, type ConsensusTimings } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { LedgerApp, type CommittedBlock } from './ledger-app.js';
export { Mempool, DEFAULT_MEMPOOL_LIMITS, type MempoolLimits, type MempoolRejection, type AddResult } from './mempool.js';
export { createNodeMetrics, type NodeMetrics } from './metrics.js';
