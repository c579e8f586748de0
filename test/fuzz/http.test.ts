import { describe, it } from 'vitest';
import { expectNoCrashes } from './bounded.js';
import { startSocketTarget } from './http-socket-target.js';
import { startHttpTarget } from './http-target.js';

/** Room for the whole-run check on a busy machine: up to half a minute for the chain to grow again. */
const TIMEOUT_MS = 120_000;

describe('the HTTP API of a live node under random and mutated requests', () => {
  it('answers every request in the one error shape, never 5xx, and takes no refused write', () => expectNoCrashes('http/api', startHttpTarget, 400), TIMEOUT_MS);
  it('answers or closes on malformed HTTP over a real socket, and stays up', () => expectNoCrashes('http/socket', startSocketTarget, 30), TIMEOUT_MS);
});
