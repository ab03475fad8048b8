// Statistics over trial lines: per variant (or configuration) and metric the mean with a 95%
// confidence interval (Student's t), the spread (min, quartiles, median, max); two variants
// compared by the difference of their means with a seeded percentile-bootstrap interval, in plain
// words; for a grid the best configuration by the objective; for two objectives the Pareto front.
// Pure functions over numbers: no clock, no Math.random (the bootstrap draws from a seeded PRNG),
// so a report is the same every time it is made from the same lines.
import type { Objective, PlanValue } from './plan';
import type { TrialLine } from './trial';

export interface Summary {
  /** Trials (seeds) counted. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  sd: number;
  /** The 95% confidence interval of the mean (t distribution, n − 1 degrees of freedom); [mean, mean] for n = 1. */
  ciLow: number;
  ciHigh: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** Resamples a bootstrap draws (each a mean of each group): the interval's precision, and a limit. */
export const BOOTSTRAP_RESAMPLES = 10_000;
/** The bootstrap's seed unless one is given: a report is the same every time. */
export const BOOTSTRAP_SEED = 0x5eed;

/** mean, sd, t-interval, quartiles of `values` (at least one). */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new RangeError('summarize needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / n;
  const sd = n > 1 ? Math.sqrt(sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? tQuantile(0.975, n - 1) * sd / Math.sqrt(n) : 0;
  return {
    n, mean, sd, ciLow: mean - half, ciHigh: mean + half,
    min: sorted[0], q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75), max: sorted[n - 1],
  };
}

/**
 * The p-quantile of sorted values by linear interpolation between closest ranks (Hyndman & Fan
 * type 7: what R's quantile() and numpy.percentile() do by default).
 */
export function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

// --- Student's t ------------------------------------------------------------------------------

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; relative error below 1e-15). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let f = 1, c = 1, d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    let numerator: number;
    if (i === 0) numerator = 1;
    else if (i % 2 === 0) numerator = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    const step = c * d;
    f *= step;
    if (Math.abs(1 - step) < 1e-15) break;
  }
  return front * (f - 1) / a;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (0 < p < 1), by bisection on tCdf. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`tQuantile needs 0 < p < 1 and df > 0, got p=${p}, df=${df}`);
  if (p < 0.5) return -tQuantile(1 - p, df);
  let low = 0, high = 1;
  while (tCdf(high, df) < p && high < 1e12) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * Math.max(1, high); i++) {
    const middle = (low + high) / 2;
    if (tCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

// --- Seeded resampling --------------------------------------------------------------------------

/**
 * A small seeded PRNG (mulberry32, by Tommy Ettinger: a 32-bit state, passes gjrand and
 * PractRand to 2^32 outputs), plenty for resampling indices; never Math.random.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Difference {
  /** mean(b) − mean(a). */
  difference: number;
  /** Its 95% percentile-bootstrap interval. */
  ciLow: number;
  ciHigh: number;
  /** (mean(b) − mean(a)) / |mean(a)|, and its interval; null when mean(a) is 0 (no relative change). */
  relative: number | null;
  relativeLow: number | null;
  relativeHigh: number | null;
  nA: number;
  nB: number;
  /** Each group's mean (for the words when nothing varies: every seed gave the same). */
  meanA: number;
  meanB: number;
  resamples: number;
}

/**
 * The difference of means b − a with a 95% percentile-bootstrap confidence interval: `resamples`
 * times, draw each group again with replacement (from a PRNG seeded with `seed`) and take the
 * difference (and the relative difference) of the means; the interval is their 2.5th and 97.5th
 * percentiles. The same inputs always give the same interval.
 */
export function bootstrapDifference(a: readonly number[], b: readonly number[], options: { resamples?: number; seed?: number } = {}): Difference {
  if (a.length === 0 || b.length === 0) throw new RangeError('bootstrapDifference needs values in both groups');
  const resamples = Math.min(Math.max(1, Math.floor(options.resamples ?? BOOTSTRAP_RESAMPLES)), 100_000);
  const random = seededRandom(options.seed ?? BOOTSTRAP_SEED);
  const meanOf = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const resampledMean = (values: readonly number[]) => {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)];
    return sum / values.length;
  };
  const meanA = meanOf(a), meanB = meanOf(b);
  const differences = new Float64Array(resamples);
  const relatives = new Float64Array(resamples);
  let relativeDefined = meanA !== 0;
  for (let i = 0; i < resamples; i++) {
    const ra = resampledMean(a), rb = resampledMean(b);
    differences[i] = rb - ra;
    if (ra === 0) relativeDefined = false;
    else relatives[i] = (rb - ra) / Math.abs(ra);
  }
  differences.sort();
  relatives.sort();
  const at = (sorted: Float64Array, p: number) => quantile(sorted as unknown as number[], p);
  return {
    difference: meanB - meanA,
    ciLow: at(differences, 0.025),
    ciHigh: at(differences, 0.975),
    relative: meanA === 0 ? null : (meanB - meanA) / Math.abs(meanA),
    relativeLow: relativeDefined ? at(relatives, 0.025) : null,
    relativeHigh: relativeDefined ? at(relatives, 0.975) : null,
    nA: a.length,
    meanA,
    meanB,
    nB: b.length,
    resamples,
  };
}

// --- Over trial lines ---------------------------------------------------------------------------

/** A group of trials that differ only in seed: one variant at one grid point. */
export interface Group {
  variant: string;
  params: Record<string, PlanValue>;
  /** `eevdf` or `eevdf kernel.quantum=1ms`. */
  label: string;
  lines: TrialLine[];
}

const paramsText = (params: Record<string, PlanValue>) => Object.entries(params).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ');

/** Lines grouped by configuration (variant and grid point), in order of their first trial. */
export function groupByConfiguration(lines: readonly TrialLine[]): Group[] {
  const groups = new Map<string, Group>();
  for (const line of [...lines].sort((x, y) => x.trial - y.trial)) {
    const key = JSON.stringify([line.variant, line.params]);
    let group = groups.get(key);
    if (!group) {
      const params = paramsText(line.params);
      group = { variant: line.variant, params: line.params, label: params ? `${line.variant} ${params}` : line.variant, lines: [] };
      groups.set(key, group);
    }
    group.lines.push(line);
  }
  return [...groups.values()];
}

/** Lines grouped by variant (across grid points), in order of their first trial. */
export function groupByVariant(lines: readonly TrialLine[]): Group[] {
  const groups = new Map<string, Group>();
  for (const line of [...lines].sort((x, y) => x.trial - y.trial)) {
    let group = groups.get(line.variant);
    if (!group) groups.set(line.variant, group = { variant: line.variant, params: {}, label: line.variant, lines: [] });
    group.lines.push(line);
  }
  return [...groups.values()];
}

/** The metric names of the lines, in the order the first line has them. */
export function metricNames(lines: readonly TrialLine[]): string[] {
  return lines.length === 0 ? [] : Object.keys(lines[0].metrics);
}

/** A metric's values over a group's trials (trials missing it are left out). */
export function valuesOf(group: Group, metric: string): number[] {
  return group.lines.map((line) => line.metrics[metric]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
}

/**
 * How every number a person reads in the Experiments tab, the report and the CLI's summaries is
 * written (not the trial lines: those are data): whole numbers as they are, else 3 significant
 * digits (whole from 1,000 up); thousands grouped with commas, as the events column writes
 * them (`70,352`, `1,234.5` never: `1,235`; `0.0123`; `-2,500`). Written by hand, not with
 * toLocaleString, so Node and every browser give the same bytes.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number.isInteger(value) || Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(3));
  const text = String(rounded);
  return text.includes('e') ? text : groupThousands(text); // 1e+21, 1.2e-7: as JavaScript writes them
}

/** `1234567.5` → `1,234,567.5`: commas in the whole part only. */
export function groupThousands(text: string): string {
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const percent = (value: number) => `${formatNumber(Math.abs(value * 100))}%`;
const signedPercent = (value: number) => `${value < 0 ? '−' : ''}${formatNumber(Math.abs(value * 100))}%`;

/** A value with its unit, as the words and tables write it: `158‰`, `12%`, `1,200 messages`, `35` (no unit). */
export function withUnit(value: number, unit = ''): string {
  const text = formatNumber(value);
  if (unit === '') return text;
  if (unit === '‰' || unit === '%') return `${text}${unit}`;
  // "1 failure", not "1 failures": the counted units (src/lab/units.ts) are plural nouns.
  return `${text} ${text === '1' || text === '-1' || text === '−1' ? unit.replace(/^(failure|restart|message|credit)s$/, '$1') : unit}`;
}

/**
 * The comparison of b with a in plain words, e.g.
 * "eevdf: jobs 18% higher than fair (95% CI 12% to 24%, 10 seeds each)". When nothing varied
 * (the interval is one point: every seed gave the same values), it says so instead of an
 * interval from a number to itself. `unit` is the metric's (src/lab/units.ts), for the absolute
 * difference and the values.
 */
export function describeDifference(metric: string, a: string, b: string, difference: Difference, unit = ''): string {
  const seeds = difference.nA === difference.nB ? `${difference.nA} seed${difference.nA === 1 ? '' : 's'} each` : `${difference.nB} and ${difference.nA} seeds`;
  const noSpread = formatNumber(difference.ciLow) === formatNumber(difference.ciHigh)
    && (difference.relativeLow === null || difference.relativeHigh === null || signedPercent(difference.relativeLow) === signedPercent(difference.relativeHigh));
  // Nothing varied at all: no interval, and no test to make (the report and the tab leave the rank test out: `nothingVaries`).
  const same = `${b}: ${metric} the same as ${a} in every trial: every seed gave ${withUnit(difference.meanA, unit)} (${seeds}), so there is nothing to compare`;
  const fixed = `no spread over ${seeds}: every seed gave ${withUnit(difference.meanB, unit)} for ${b} and ${withUnit(difference.meanA, unit)} for ${a}`;
  if (difference.relative !== null && difference.relativeLow !== null && difference.relativeHigh !== null) {
    if (difference.relative === 0 && difference.relativeLow === 0 && difference.relativeHigh === 0) return same;
    const direction = difference.relative >= 0 ? 'higher' : 'lower';
    if (noSpread) return `${b}: ${metric} ${percent(difference.relative)} ${direction} than ${a} (${fixed})`;
    const ci = `95% CI ${signedPercent(difference.relativeLow)} to ${signedPercent(difference.relativeHigh)}`;
    const clear = difference.relativeLow > 0 || difference.relativeHigh < 0;
    return `${b}: ${metric} ${percent(difference.relative)} ${direction} than ${a} (${ci}, ${seeds})${clear ? '' : ': no clear difference'}`;
  }
  const direction = difference.difference >= 0 ? 'more' : 'less';
  if (noSpread) return difference.difference === 0
    ? same
    : `${b}: ${metric} ${withUnit(Math.abs(difference.difference), unit)} ${direction} than ${a} (${fixed})`;
  const ci = `95% CI ${withUnit(difference.ciLow, unit)} to ${withUnit(difference.ciHigh, unit)}`;
  const clear = difference.ciLow > 0 || difference.ciHigh < 0;
  return `${b}: ${metric} ${withUnit(Math.abs(difference.difference), unit)} ${direction} than ${a} (${ci}, ${seeds})${clear ? '' : ': no clear difference'}`;
}

/** Every value of both groups is the same one: nothing to compare, and a rank test would only say p = 1. */
export function nothingVaries(a: readonly number[], b: readonly number[]): boolean {
  const first = a[0] ?? b[0];
  return a.every((value) => value === first) && b.every((value) => value === first);
}

export interface Ranked {
  group: Group;
  /** The objectives' means, in the objectives' order. */
  means: number[];
}

/** Configurations ordered by the (first) objective's mean, best first (ties: plan order). */
export function rankByObjective(groups: readonly Group[], objective: Objective): Ranked[] {
  const ranked = groups.map((group, index) => ({ group, index, means: [meanOf(valuesOf(group, objective.metric))] }));
  const sign = objective.direction === 'maximize' ? -1 : 1;
  ranked.sort((x, y) => sign * (x.means[0] - y.means[0]) || x.index - y.index);
  return ranked.map(({ group, means }) => ({ group, means }));
}

/**
 * The Pareto front of two objectives over the configurations' means: those no other
 * configuration beats on one objective without losing on the other. In plan order.
 */
export function paretoFront(groups: readonly Group[], objectives: readonly Objective[]): Ranked[] {
  const points = groups.map((group) => ({ group, means: objectives.map((objective) => meanOf(valuesOf(group, objective.metric))) }));
  const better = (x: number, y: number, objective: Objective) => (objective.direction === 'maximize' ? x > y : x < y);
  const atLeast = (x: number, y: number, objective: Objective) => x === y || better(x, y, objective);
  const dominates = (p: Ranked, q: Ranked) => objectives.every((objective, i) => atLeast(p.means[i], q.means[i], objective)) && objectives.some((objective, i) => better(p.means[i], q.means[i], objective));
  return points.filter((q) => !points.some((p) => p !== q && dominates(p, q)));
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
