// What the Experiments panel shows, from the trial lines and the plan: per variant each metric's
// mean with its 95% CI and the values over seeds; the comparison in plain words (src/lab/stats);
// for a grid the configurations ranked by the objective; for two objectives the Pareto front; the
// economy (src/lab/economy). Pure functions: no DOM, no worker, testable in Node.
import type { Plan } from '../../lab/plan';
import type { TrialLine } from '../../lab/trial';
import {
  bootstrapDifference, describeDifference, groupByConfiguration, groupByVariant, paretoFront, rankByObjective, summarize, valuesOf,
  type Ranked, type Summary,
} from '../../lab/stats';
import { economicEfficiency, type EconomyLine, type VariantEconomy } from '../../lab/economy';
import { describeRankTest, mannWhitney } from '../../lab/rank-test';

/** Configurations listed in the ranking at most. */
export const RANKED_SHOWN_MAX = 10;
/** Resamples of the panel's bootstrap (the report's own uses more; the words are the same to 2 digits). */
export const PANEL_RESAMPLES = 2000;

export interface VariantMetric {
  readonly variant: string;
  readonly summary: Summary;
  /** The metric over the variant's trials, in trial order (for the strip plot). */
  readonly values: readonly number[];
}

export interface MetricResult {
  readonly name: string;
  readonly rows: readonly VariantMetric[];
  /** The range every row's strip is drawn on. */
  readonly low: number;
  readonly high: number;
}

export interface Results {
  readonly metrics: readonly MetricResult[];
  /** The metric the comparison and the trial order use: the first objective, else the first metric. */
  readonly key?: { readonly metric: string; readonly direction: 'maximize' | 'minimize' };
  /** The best variant by `key`, and each other compared with it in plain words. */
  readonly winner?: string;
  readonly comparisons: readonly string[];
  /** The Mann–Whitney U test of each comparison's trials in words, in the same order ("fair beats round-robin on jobs: U=3, p=0.003 ..."). */
  readonly rankTests: readonly string[];
  /** With a grid: configurations ranked by the objective (best first, at most RANKED_SHOWN_MAX). */
  readonly ranked: readonly Ranked[];
  /** With two objectives: the configurations no other beats on both. */
  readonly pareto: readonly Ranked[];
  readonly economy: readonly VariantEconomy[];
}

export function resultsOf(lines: readonly TrialLine[], plan: Plan, options: { compare: boolean }): Results {
  const variants = groupByVariant(lines);
  const names = plan.metrics.map((metric) => metric.name);
  const metrics: MetricResult[] = [];
  for (const name of names) {
    const rows: VariantMetric[] = [];
    let low = Infinity, high = -Infinity;
    for (const group of variants) {
      const values = valuesOf(group, name);
      if (values.length === 0) continue;
      for (const value of values) { if (value < low) low = value; if (value > high) high = value; }
      rows.push({ variant: group.variant, summary: summarize(values), values });
    }
    if (rows.length > 0) metrics.push({ name, rows, low, high });
  }

  const objective = plan.objectives[0];
  const key = objective ? { metric: objective.metric, direction: objective.direction } : names.length > 0 ? { metric: names[0], direction: 'maximize' as const } : undefined;
  let winner: string | undefined;
  const comparisons: string[] = [];
  const rankTests: string[] = [];
  if (key && options.compare && variants.length > 1) {
    const ranked = rankByObjective(variants, key);
    const best = ranked[0].group;
    winner = best.variant;
    const bestValues = valuesOf(best, key.metric);
    for (const { group } of ranked.slice(1)) {
      const values = valuesOf(group, key.metric);
      if (values.length === 0 || bestValues.length === 0) continue;
      comparisons.push(describeDifference(key.metric, group.variant, best.variant, bootstrapDifference(values, bestValues, { resamples: PANEL_RESAMPLES })));
      rankTests.push(describeRankTest(key.metric, group.variant, best.variant, mannWhitney(values, bestValues), key.direction));
    }
  }
  const configurations = plan.grid.length > 0 ? groupByConfiguration(lines) : [];
  const ranked = objective && configurations.length > 1 ? rankByObjective(configurations, objective).slice(0, RANKED_SHOWN_MAX) : [];
  const pareto = plan.objectives.length === 2 ? paretoFront(plan.grid.length > 0 ? configurations : variants, plan.objectives) : [];
  const economy = economicEfficiency(lines as unknown as readonly EconomyLine[], objective?.metric);
  return { metrics, key, winner, comparisons, rankTests, ranked, pareto, economy };
}

/** Trials ordered worst first by the key metric (ties: trial order); all of them without a key. */
export function trialsWorstFirst(lines: readonly TrialLine[], key: Results['key']): TrialLine[] {
  if (!key) return [...lines];
  const sign = key.direction === 'maximize' ? 1 : -1;
  const value = (line: TrialLine) => line.metrics[key.metric] ?? (key.direction === 'maximize' ? Infinity : -Infinity);
  return [...lines].sort((a, b) => sign * (value(a) - value(b)) || a.trial - b.trial);
}
