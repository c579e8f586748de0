import { it } from 'vitest';
import { expectNoCrashes } from './bounded.js';
import { startCertsTarget } from './certs-target.js';

/** Few runs: packages/certs/src/certificate-fuzz.test.ts does the CI-sized certificate fuzzing; this keeps the script's target working. */
it('verifies edited and replaced certificate files in full, valid only when unchanged in meaning', () => expectNoCrashes('certs/file', startCertsTarget, 150));
