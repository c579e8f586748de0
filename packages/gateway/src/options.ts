import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Logger } from 'pino';
import type { IssuingOptions } from './issuing.js';
import { MAX_WAIT_SECONDS } from './schemas.js';

/** Per-client request budgets; a client is its IP address (see `trustProxy`). */
export interface RateLimitOptions {
  /** Read requests (every GET under /v1, the docs and the explorer) per client per window. Default 1200. */
  readonly readsPerWindow?: number;
  /** Writes (POST /v1/transactions) per client per window, counted apart from reads. Default 60. */
  readonly writesPerWindow?: number;
  /** Default 60 000 ms. */
  readonly windowMs?: number;
  /**
   * Client addresses never limited. Default: loopback (127.0.0.1, ::1), so the operator, the
   * CLI and tests on the node's own machine are not throttled. Behind a reverse proxy on the
   * same machine set `trustProxy`, or every client would share the proxy's loopback address.
   */
  readonly exempt?: readonly string[];
}

/** Answers 503 with Retry-After while the process is over any of these (0 turns a check off). */
export interface LoadSheddingOptions {
  /** Mean event-loop delay over the last sample. Default 1000 ms. */
  readonly maxEventLoopDelayMs?: number;
  /** Default 90% of V8's heap limit. */
  readonly maxHeapUsedBytes?: number;
  /** Default 0 (off): the right figure depends on the machine. */
  readonly maxRssBytes?: number;
  /** How often the figures are sampled. Default 1000 ms. */
  readonly sampleIntervalMs?: number;
  /** Default 10 s. */
  readonly retryAfterSeconds?: number;
}

export interface GatewayOptions {
  readonly logger?: Logger | false;
  /** Largest request body accepted (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  /** Per-client rate limits on /v1, /docs and /explorer; `false` turns them off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Load shedding on /v1, /docs and /explorer; `false` turns it off. */
  readonly loadShedding?: LoadSheddingOptions | false;
  /**
   * A socket idle this long is closed. Default 70 s: longer than the longest wait a
   * POST /v1/transactions may ask for, during which the socket is idle.
   */
  readonly connectionTimeoutMs?: number;
  /** Time allowed to receive a whole request, headers and body (slow senders). Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this long. Default 72 s (fastify's). */
  readonly keepAliveTimeoutMs?: number;
  /** Departments this gateway issues for (POST /v1/issue); absent: the route is not offered. */
  readonly issuing?: IssuingOptions;
  /** fastify's `trustProxy`: whose X-Forwarded-For to believe for the client address. Default false. */
  readonly trustProxy?: boolean | string | readonly string[];
  /**
   * Worker threads that check certificate files for POST /v1/verify, keeping that work off the
   * event loop the node's consensus shares. Default: one per core but one, at least 1, at most
   * 4. 0 checks them on the event loop.
   */
  readonly verifierThreads?: number;
  /** Certificates waiting for a verifier thread, at most; more are answered 503 with Retry-After. Default 1024. */
  readonly verifyQueueLimit?: number;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1 << 20;

export interface ResolvedOptions {
  readonly bodyLimitBytes: number;
  readonly rateLimit: Required<RateLimitOptions> | false;
  readonly loadShedding: Required<LoadSheddingOptions> | false;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly verifierThreads: number;
  readonly verifyQueueLimit: number;
}

const MAX_DEFAULT_VERIFIER_THREADS = 4;

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < min) throw new RangeError(`gateway option ${name} must be a whole number of at least ${min}, got ${chosen}`);
  return chosen;
}

/** Options with their defaults filled in; a nonsensical figure is refused at start, not at the first request. */
export function resolveOptions(options: GatewayOptions): ResolvedOptions {
  const rate = options.rateLimit;
  const shed = options.loadShedding;
  return {
    bodyLimitBytes: count('bodyLimitBytes', options.bodyLimitBytes, DEFAULT_BODY_LIMIT_BYTES, 1),
    rateLimit:
      rate === false
        ? false
        : {
            readsPerWindow: count('rateLimit.readsPerWindow', rate?.readsPerWindow, 1200, 1),
            writesPerWindow: count('rateLimit.writesPerWindow', rate?.writesPerWindow, 60, 1),
            windowMs: count('rateLimit.windowMs', rate?.windowMs, 60_000, 1),
            exempt: rate?.exempt ?? ['127.0.0.1', '::1'],
          },
    loadShedding:
      shed === false
        ? false
        : {
            maxEventLoopDelayMs: count('loadShedding.maxEventLoopDelayMs', shed?.maxEventLoopDelayMs, 1000, 0),
            maxHeapUsedBytes: count('loadShedding.maxHeapUsedBytes', shed?.maxHeapUsedBytes, Math.floor(getHeapStatistics().heap_size_limit * 0.9), 0),
            maxRssBytes: count('loadShedding.maxRssBytes', shed?.maxRssBytes, 0, 0),
            sampleIntervalMs: count('loadShedding.sampleIntervalMs', shed?.sampleIntervalMs, 1000, 10),
            retryAfterSeconds: count('loadShedding.retryAfterSeconds', shed?.retryAfterSeconds, 10, 1),
          },
    connectionTimeoutMs: count('connectionTimeoutMs', options.connectionTimeoutMs, (MAX_WAIT_SECONDS + 10) * 1000, 0),
    requestTimeoutMs: count('requestTimeoutMs', options.requestTimeoutMs, 10_000, 0),
    keepAliveTimeoutMs: count('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 72_000, 1),
    verifierThreads: count('verifierThreads', options.verifierThreads, Math.min(MAX_DEFAULT_VERIFIER_THREADS, Math.max(1, availableParallelism() - 1)), 0),
    verifyQueueLimit: count('verifyQueueLimit', options.verifyQueueLimit, 1024, 1),
  };
}
