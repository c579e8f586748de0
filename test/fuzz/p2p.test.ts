import { it } from 'vitest';
import { expectNoCrashes } from './bounded.js';
import { startP2pTarget } from './p2p-target.js';

/** Room for the whole-run check on a busy machine: up to a minute for the chain to grow again. */
const TIMEOUT_MS = 150_000;

it('three validators keep running, committing and agreeing while the fourth sends random and mutated frames', () => expectNoCrashes('p2p/peer', startP2pTarget, 300), TIMEOUT_MS);
