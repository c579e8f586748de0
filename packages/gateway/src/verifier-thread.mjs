// A verifier worker's entry (see verifier-pool.ts): the workspace ships TypeScript, which tsx
// compiles on load, and a worker thread does not inherit the parent's loader.
import { register } from 'tsx/esm/api';

register();
await import('./verifier-thread.ts');
