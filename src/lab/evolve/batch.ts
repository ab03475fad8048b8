// Evaluations run as ordinary experiments: a batch of (blue genome × red test) pairs is one
// experiment plan (src/lab/plan.ts) whose variants are the pairs, each setting the blue genes and
// the red overrides on the evolve plan's spec (inline), with the evolve plan's seeds and stop and
// one metric, the score. So the trial runner, its checks, its lines and links are the sweep's,
// and anything that runs a plan's trials (this process, `--jobs` children, the browser's worker
// pool) runs an evolution. Trial k of a batch is pair k div seeds, seed k mod seeds.
import { stringify } from 'yaml';
import type { Core } from '../../core/core';
import { loadExperiment } from '../experiment';
import { formatPlanError, type PlanValue } from '../plan';
import { LINK_BASE_DEFAULT, TrialRunner, type TrialLine } from '../trial';
import { blueOverrides, redOverrides, type BlueGenome, type RedTest } from './genome';
import type { Evolution } from './load';

export const SCORE_METRIC = 'score';

export interface Pair {
  readonly blue: BlueGenome;
  readonly red: RedTest;
}

/** Runs every trial of an experiment plan's text; resolves with their lines in trial order. */
export interface Evaluator {
  run(planText: string, trialCount: number): Promise<TrialLine[]>;
}

/** The experiment plan that evaluates `pairs` (at most BATCH_PAIRS_MAX of them). */
export function batchPlanText(evolution: Evolution, pairs: readonly Pair[]): string {
  const { plan } = evolution;
  const variants = pairs.map((pair, index) => {
    const set: Record<string, PlanValue> = { ...blueOverrides(pair.blue), ...redOverrides(pair.red, evolution.baseFaults) };
    return Object.keys(set).length === 0 ? { name: `v${index}` } : { name: `v${index}`, set };
  });
  const stop: Record<string, number> = {};
  if (plan.stop.events !== undefined) stop.events = plan.stop.events;
  if (plan.stop.ticks !== undefined) stop.ticks = plan.stop.ticks;
  return stringify({
    'agentos-experiment': 1,
    name: `${plan.name} (evaluation)`.slice(0, 256),
    spec: evolution.specText,
    seeds: [...plan.seeds],
    stop,
    variants,
    metrics: { [SCORE_METRIC]: plan.score.expr },
  }, { lineWidth: 0, blockQuote: 'literal' });
}

/** Runs the trials in this process, on one core, one after another (the CLI's --jobs 1, tests). */
export function localEvaluator(core: Core, base = LINK_BASE_DEFAULT): Evaluator {
  return {
    async run(planText, trialCount) {
      const loaded = await loadExperiment(planText);
      if (!loaded.ok) throw new Error(`an evaluation could not be built: ${loaded.errors.slice(0, 3).map(formatPlanError).join('; ')}`);
      if (loaded.experiment.trialCount !== trialCount) throw new Error(`an evaluation has ${loaded.experiment.trialCount} trials, expected ${trialCount}`);
      const runner = new TrialRunner(loaded.experiment, core, { base });
      const lines: TrialLine[] = [];
      for (let k = 0; k < trialCount; k++) lines.push(await runner.run(k));
      return lines;
    },
  };
}
