// lab/evolve/: evolution on the experiment runner — the evolve plan, the two genomes, the seeded
// red/blue loop and its hall of fame (no UI, no node: imports). May import spec/, expr/, kernel/
// (spec checks), lab/ (plans, the trial runner) and yaml. See README.md.
export { readEvolvePlan, EVOLVE_FORMAT, EVOLVE_KEYS, BLUE_KEYS, RED_KEYS, RED_FAULT_KINDS, GENERATIONS_DEFAULT, type EvolvePlan, type Gene, type GeneDomain, type RedPlan, type BluePlan } from './plan';
export { loadEvolution, worstCaseTrials, type Evolution, type LoadEvolutionResult } from './load';
export { batchPlanText, localEvaluator, SCORE_METRIC, type Evaluator, type Pair } from './batch';
export { runEvolution, formatHall, EvolveCancelled, HALL_FORMAT, HALL_VERSION, type Hall, type HallEntry, type HallTest, type EvolveOptions, type EvolveProgress } from './loop';
export { describeRed, type BlueGenome, type RedTest, type RedFault } from './genome';
export * from './limits';
