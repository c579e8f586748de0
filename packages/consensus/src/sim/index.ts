export { runSimulation, SIM_TIMEOUTS, type SimulationResult } from './simulation.js';
export {
  BYZANTINE_BEHAVIOURS,
  FAULT_MIXES,
  maxFaulty,
  scenarioFor,
  type ByzantineBehaviour,
  type FaultMix,
  type NetworkFaults,
  type SimulationOptions,
} from './scenario.js';
export type { Violation, ViolationKind } from './checker.js';
