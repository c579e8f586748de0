import { startCertsTarget } from './certs-target.js';
import { decoderFamily } from './decoder-targets.js';
import type { TargetFactory, TargetFamily } from './harness.js';
import { startSocketTarget } from './http-socket-target.js';
import { startHttpTarget } from './http-target.js';
import { startP2pTarget } from './p2p-target.js';

export const FAMILIES: readonly TargetFamily[] = [
  { name: 'http', targets: [{ name: 'http/api', start: startHttpTarget }, { name: 'http/socket', start: startSocketTarget }] },
  { name: 'p2p', targets: [{ name: 'p2p/peer', start: startP2pTarget }] },
  decoderFamily(),
  { name: 'certs', targets: [{ name: 'certs/file', start: startCertsTarget }] },
];

export interface SelectedTarget {
  readonly name: string;
  readonly start: TargetFactory;
  /** Share of the run's time: families share equally, targets share their family's. */
  readonly share: number;
}

/** `all`, a family (`decoders`) or one target (`decoders/commit`). */
export function selectTargets(selector: string): SelectedTarget[] {
  const families = selector === 'all' ? FAMILIES : FAMILIES.filter((family) => family.name === selector);
  const chosen = families.flatMap((family) => family.targets.map((target) => ({ ...target, share: 1 / families.length / family.targets.length })));
  if (chosen.length > 0) return chosen;
  const single = FAMILIES.flatMap((family) => family.targets).find((target) => target.name === selector);
  if (single) return [{ ...single, share: 1 }];
  const names = ['all', ...FAMILIES.flatMap((family) => [family.name, ...family.targets.map((target) => target.name)])];
  throw new Error(`unknown fuzz target "${selector}"; one of: ${names.join(', ')}`);
}
