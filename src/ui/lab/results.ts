// What the Experiments panel shows, from the trial lines and the plan: per variant each metric's
// mean with its 95% CI and the values over seeds; the comparison in plain words (src/lab/stats);
// for a grid the configurations ranked by the objective; for two objectives the Pareto front; the
// economy (src/lab/economy). Pure functions: no DOM, no worker, testable in Node.
import type { Plan } from '../../lab/plan';
import type { TrialLine } from '../../lab/trial';
import {
  bootstrapDifference, describeDifference, nothingVaries, withUnit, groupByConfiguration, groupByVariant, paretoFront, rankByObjective, summarize, valuesOf,
  type Group, type Ranked, type Summary,
} from '../../lab/stats';
import { economicEfficiency, type EconomyLine, type VariantEconomy } from '../../lab/economy';
import { describeRankTest, mannWhitney } from '../../lab/rank-test';
import { metricUnits } from '../../lab/units';

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
  /** The unit its expression implies ('‰', 'messages', ...; '' for none: src/lab/units.ts). */
  readonly unit: string;
  /** Which way is better when the variants are compared on it (an objective, or the key metric); undefined: not compared. */
  readonly direction: 'maximize' | 'minimize' | undefined;
  readonly rows: readonly VariantMetric[];
  /** The range every row's strip is drawn on. */
  readonly low: number;
  readonly high: number;
}

/** One objective's verdict: the best variant by it, and every other compared with it in words. */
export interface Verdict {
  readonly metric: string;
  readonly direction: 'maximize' | 'minimize';
  readonly winner: string;
  readonly comparisons: readonly string[];
  readonly rankTests: readonly string[];
  /** Set when every trial of every variant gave one value: that in words (no winner, nothing compared). */
  readonly same?: string;
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
  /** Each objective's verdict (the first is `winner`, `comparisons`, `rankTests`); with no objective, the first metric's. */
  readonly verdicts: readonly Verdict[];
  /** With two objectives, the Pareto front in words: who is on it, who is beaten on both, the trade-off. */
  readonly paretoWords: string;
  /** Each metric's unit, by name. */
  readonly units: Readonly<Record<string, string>>;
  readonly economy: readonly VariantEconomy[];
}

export function resultsOf(lines: readonly TrialLine[], plan: Plan, options: { compare: boolean }): Results {
  const variants = groupByVariant(lines);
  const names = plan.metrics.map((metric) => metric.name);
  const units = metricUnits(plan.metrics);
  const compared = objectivesCompared(plan);
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
    if (rows.length > 0) metrics.push({ name, unit: units[name], direction: compared.find((objective) => objective.metric === name)?.direction, rows, low, high });
  }

  const objective = plan.objectives[0];
  const key = keyOf(plan);
  const verdicts: Verdict[] = [];
  if (options.compare && variants.length > 1) {
    for (const objective of compared) verdicts.push(verdictOf(variants, objective, units[objective.metric]));
  }
  const configurations = plan.grid.length > 0 ? groupByConfiguration(lines) : [];
  const ranked = objective && configurations.length > 1 ? rankByObjective(configurations, objective).slice(0, RANKED_SHOWN_MAX) : [];
  const candidates = plan.grid.length > 0 ? configurations : variants;
  const pareto = plan.objectives.length === 2 ? paretoFront(candidates, plan.objectives) : [];
  const paretoWords = plan.objectives.length === 2 && candidates.length > 1 ? describePareto(candidates.map((group) => group.label), pareto, plan.objectives, units) : '';
  const economy = economicEfficiency(lines as unknown as readonly EconomyLine[], objective?.metric);
  const first = verdicts[0];
  return { metrics, key, winner: first?.winner, comparisons: first?.comparisons ?? [], rankTests: first?.rankTests ?? [], ranked, pareto, verdicts, paretoWords, units, economy };
}

/** The metric the comparison and the trial order use: the first objective, else the first metric (maximized). */
export function keyOf(plan: Plan): Results['key'] {
  const objective = plan.objectives[0];
  return objective ? { metric: objective.metric, direction: objective.direction } : plan.metrics.length > 0 ? { metric: plan.metrics[0].name, direction: 'maximize' } : undefined;
}

/** The objectives the variants are compared on (one verdict each): the plan's, else the key metric. */
export function objectivesCompared(plan: Plan): readonly { metric: string; direction: 'maximize' | 'minimize' }[] {
  const key = keyOf(plan);
  return plan.objectives.length > 0 ? plan.objectives : key ? [key] : [];
}

/**
 * One objective's verdict over two or more variants: the best by it, and every other compared
 * with it (the bootstrap interval of the difference, and the Mann–Whitney test) in words. The
 * panel computes each in a task of its own once a sweep stops (the bootstrap is the costly part).
 */
export function verdictOf(variants: readonly Group[], objective: { metric: string; direction: 'maximize' | 'minimize' }, unit: string): Verdict {
  const { metric, direction } = objective;
  const all = variants.flatMap((group) => valuesOf(group, metric));
  if (all.length > 0 && nothingVaries(all, [])) {
    return { metric, direction, winner: '', comparisons: [], rankTests: [], same: `${metric}: every trial of every variant gave ${withUnit(all[0], unit)}, so there is nothing to compare.` };
  }
  const ranked = rankByObjective(variants, { metric, direction });
  const best = ranked[0].group;
  const bestValues = valuesOf(best, metric);
  const comparisons: string[] = [], rankTests: string[] = [];
  for (const { group } of ranked.slice(1)) {
    const values = valuesOf(group, metric);
    if (values.length === 0 || bestValues.length === 0) continue;
    comparisons.push(describeDifference(metric, group.variant, best.variant, bootstrapDifference(values, bestValues, { resamples: PANEL_RESAMPLES }), unit));
    // Nothing varied: the words say so, and a rank test would only add p = 1.
    rankTests.push(nothingVaries(values, bestValues) ? '' : describeRankTest(metric, group.variant, best.variant, mannWhitney(values, bestValues), direction));
  }
  return { metric, direction, winner: best.variant, comparisons, rankTests };
}

/**
 * Two objectives' Pareto front in words: "On auditor_share and jobs together (the Pareto front):
 * eevdf (auditor_share 98‰, jobs 500 messages) and fair (...) are each best in their own way; no
 * other beats them on one without losing on the other. round-robin and priority are outdone."
 */
export function describePareto(all: readonly string[], front: readonly Ranked[], objectives: readonly { metric: string; direction: 'maximize' | 'minimize' }[], units: Readonly<Record<string, string>>): string {
  const both = `${objectives[0].metric} (${objectives[0].direction === 'maximize' ? 'higher' : 'lower'} is better) and ${objectives[1].metric} (${objectives[1].direction === 'maximize' ? 'higher' : 'lower'} is better)`;
  const means = (ranked: Ranked) => objectives.map((o, i) => `${o.metric} ${withUnit(ranked.means[i], units[o.metric] ?? '')}`).join(', ');
  const onFront = front.map((ranked) => `${ranked.group.label} (${means(ranked)})`);
  const names = new Set(front.map((ranked) => ranked.group.label));
  const beaten = all.filter((label) => !names.has(label));
  const list = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
  const head = `On ${both} together (the Pareto front): `;
  const who = front.length === 1
    ? `${onFront[0]} is best on both.`
    : `${list(onFront)} trade one for the other: none is outdone by another, so the choice between them is which objective matters more.`;
  const rest = beaten.length === 0 ? '' : ` ${list(beaten)} ${beaten.length === 1 ? 'is' : 'are'} outdone: ${front.length === 1 ? front[0].group.label : 'one of those'} is at least as good on both and better on one.`;
  return head + who + rest;
}

/** Trials ordered worst first by the key metric (ties: trial order); all of them without a key. */
export function trialsWorstFirst(lines: readonly TrialLine[], key: Results['key']): TrialLine[] {
  if (!key) return [...lines];
  const sign = key.direction === 'maximize' ? 1 : -1;
  const value = (line: TrialLine) => line.metrics[key.metric] ?? (key.direction === 'maximize' ? Infinity : -Infinity);
  return [...lines].sort((a, b) => sign * (value(a) - value(b)) || a.trial - b.trial);
}
