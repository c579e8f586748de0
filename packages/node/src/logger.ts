import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs, one object a line. Certificate field values never reach a node (only
 * hashes do), and key material is never passed to the logger; `redact` is a second guard.
 */
export function createLogger(name: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { name, level, base: { node: name }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: ['secretKey', '*.secretKey', 'seed', '*.seed'], censor: '[secret]' } },
    destination,
  );
}

export type { Logger };
