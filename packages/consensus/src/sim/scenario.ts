/** What a simulated faulty validator does. */
export type ByzantineBehaviour = 'silent' | 'equivocating-proposer' | 'double-voter' | 'invalid-block' | 'twins';

export const BYZANTINE_BEHAVIOURS: readonly ByzantineBehaviour[] = ['silent', 'equivocating-proposer', 'double-voter', 'invalid-block', 'twins'];

export interface NetworkFaults {
  /** Probability that one message to one recipient is lost. */
  readonly loss: number;
  /** Probability that a delivered message is delivered a second time. */
  readonly duplicate: number;
  readonly minDelayMs: number;
  /** Delays vary up to this, so messages overtake each other. */
  readonly maxDelayMs: number;
  /** Partitions that split the validators into two sides for a while, then heal. */
  readonly partitions: number;
  /**
   * Probability that a validator is cut off right after it decides, as an adversary would do to
   * keep the others from learning the decision while they run the next round.
   */
  readonly isolateDecider: number;
}

export interface SimulationOptions {
  readonly seed: number;
  readonly validators: number;
  /** Byzantine validators, each given a behaviour from `behaviours` in turn. */
  readonly byzantine: number;
  readonly behaviours: readonly ByzantineBehaviour[];
  readonly faults: NetworkFaults;
  /** Crashes of honest validators; each restarts with its sign record. */
  readonly crashes: number;
  /** Validators that crash and restart without their sign record; they count as faulty. */
  readonly amnesiac: number;
  /** Faults (loss, partitions, crashes) happen only before this virtual time. */
  readonly faultyPeriodMs: number;
  /** After the faulty period, every honest validator must decide this many more heights... */
  readonly heightsAfterFaults: number;
  /** ...within this much virtual time. */
  readonly livenessBoundMs: number;
  /** Show-the-checker-works switches: honest engines without the lock rule... */
  readonly brokenLock?: boolean;
  /** ...or honest validators whose crashes lose the sign record while still counted honest. */
  readonly forgetfulGuard?: boolean;
}

export type FaultMix =
  | 'none'
  | 'lossy'
  | 'partitions'
  | 'crash'
  | 'amnesia'
  | 'equivocating-proposer'
  | 'double-voter'
  | 'silent'
  | 'invalid-block'
  | 'twins'
  | 'mixed';

export const FAULT_MIXES: readonly FaultMix[] = [
  'none',
  'lossy',
  'partitions',
  'crash',
  'amnesia',
  'equivocating-proposer',
  'double-voter',
  'silent',
  'invalid-block',
  'twins',
  'mixed',
];

const CALM: NetworkFaults = { loss: 0, duplicate: 0, minDelayMs: 1, maxDelayMs: 40, partitions: 0, isolateDecider: 0 };
const LOSSY: NetworkFaults = { loss: 0.25, duplicate: 0.1, minDelayMs: 1, maxDelayMs: 300, partitions: 0, isolateDecider: 0 };

/** The most validators that may be faulty for n: f with n >= 3f + 1. */
export function maxFaulty(validators: number): number {
  return Math.floor((validators - 1) / 3);
}

/** Options for a named fault mix; `byzantine` defaults to the most the validator count tolerates. */
export function scenarioFor(mix: FaultMix, seed: number, validators: number, byzantine = maxFaulty(validators)): SimulationOptions {
  const base: SimulationOptions = {
    seed,
    validators,
    byzantine: 0,
    behaviours: [],
    faults: CALM,
    crashes: 0,
    amnesiac: 0,
    faultyPeriodMs: 8_000,
    heightsAfterFaults: 3,
    livenessBoundMs: 30_000,
  };
  switch (mix) {
    case 'none':
      return { ...base, faultyPeriodMs: 0, heightsAfterFaults: 10 };
    case 'lossy':
      return { ...base, faults: { ...LOSSY, partitions: 0 } };
    case 'partitions':
      return { ...base, faults: { ...CALM, loss: 0.05, partitions: 3 } };
    case 'crash':
      return { ...base, crashes: 2 * byzantine + 2, faults: { ...CALM, loss: 0.05 } };
    case 'amnesia':
      return { ...base, amnesiac: byzantine, faults: { ...CALM, loss: 0.05 } };
    case 'mixed':
      return {
        ...base,
        byzantine,
        behaviours: BYZANTINE_BEHAVIOURS,
        crashes: byzantine + 1,
        faults: { ...LOSSY, loss: 0.1, partitions: 2 },
      };
    default:
      return { ...base, byzantine, behaviours: [mix], faults: { ...CALM, loss: 0.02, duplicate: 0.05, maxDelayMs: 120 } };
  }
}
