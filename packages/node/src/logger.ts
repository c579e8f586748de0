import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs, one object a line. Certificate field values never reach a node (only
 * hashes do), and key material is never passed to the logger; `redact` is a second guard.
 *
 * By default lines go to stdout synchronously: a validator logs a few lines a block, and pino's
 * asynchronous writer let an exit (or a crash) write queued lines ahead of one still in flight,
 * or lose it. In order and never lost is worth a write call per line.
 */
export function createLogger(name: string, level: string, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino(
    { name, level, base: { node: name }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: ['secretKey', '*.secretKey', 'seed', '*.seed'], censor: '[secret]' } },
    destination,
  );
}

export type { Logger };
