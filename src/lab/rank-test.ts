// The Mann–Whitney U test (Wilcoxon rank-sum): do two groups of trials differ in where their
// values lie, without assuming a normal distribution? Exact for small groups without ties (the
// distribution of U counted, as R's wilcox.test does for n < 50), else the normal approximation
// with the tie correction and the continuity correction (R's `correct = TRUE`). Two-sided p-value;
// the effect size as the common-language effect (the chance a trial of b beats one of a, ties
// half) and the rank-biserial correlation. Pure functions over numbers, no clock, no randomness.
import { formatNumber, logGamma } from './stats';

/** Exact below this many values in each group and without ties (R's rule: both under 50). */
export const EXACT_N_MAX = 49;
/** Values per group at most (the ranking sorts them; a plan has at most 10,000 seeds). */
export const RANK_TEST_VALUES_MAX = 100_000;

export interface RankTest {
  /** U of group a: pairs (x from a, y from b) with x > y, ties counting half. R's `W` for wilcox.test(a, b). */
  uA: number;
  /** U of group b: n1·n2 − uA. */
  uB: number;
  /** Two-sided p-value. */
  p: number;
  /** 'exact' (the distribution of U counted) or 'normal' (with tie and continuity corrections). */
  method: 'exact' | 'normal';
  /** The common-language effect: P(a trial of b beats one of a) + ½ P(tie) = uB / (n1·n2). */
  commonLanguage: number;
  /** The rank-biserial correlation, (uB − uA) / (n1·n2), from −1 (a always higher) to 1 (b always higher). */
  rankBiserial: number;
  nA: number;
  nB: number;
  /** Whether some values were tied (across or within the groups). */
  ties: boolean;
}

/** The Mann–Whitney U test of a against b (each at least one finite value). */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest {
  const nA = a.length, nB = b.length;
  if (nA === 0 || nB === 0) throw new RangeError('mannWhitney needs values in both groups');
  if (nA > RANK_TEST_VALUES_MAX || nB > RANK_TEST_VALUES_MAX) throw new RangeError(`mannWhitney takes at most ${RANK_TEST_VALUES_MAX} values per group`);
  if ([...a, ...b].some((value) => !Number.isFinite(value))) throw new RangeError('mannWhitney needs finite values');
  // Ranks of the pooled values, tied values sharing their mid-rank; Σ(t³ − t) over tie groups.
  const pooled = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort((x, y) => x.value - y.value);
  let rankSumA = 0, tieTerm = 0;
  for (let start = 0; start < pooled.length;) {
    let end = start + 1;
    while (end < pooled.length && pooled[end].value === pooled[start].value) end++;
    const rank = (start + 1 + end) / 2; // ranks start+1 .. end, averaged
    for (let i = start; i < end; i++) if (pooled[i].fromA) rankSumA += rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  const pairs = nA * nB;
  const uA = rankSumA - (nA * (nA + 1)) / 2;
  const uB = pairs - uA;
  const ties = tieTerm > 0;
  let p: number, method: RankTest['method'];
  if (!ties && nA <= EXACT_N_MAX && nB <= EXACT_N_MAX) {
    method = 'exact';
    const counts = uDistribution(nA, nB);
    const total = counts.reduce((sum, count) => sum + count, 0);
    // As R: the tail on the side of the observed U, doubled.
    let tail = 0;
    if (uA > pairs / 2) for (let u = uA; u <= pairs; u++) tail += counts[u];
    else for (let u = 0; u <= uA; u++) tail += counts[u];
    p = Math.min(1, (2 * tail) / total);
  } else {
    method = 'normal';
    const n = nA + nB;
    const sigma = Math.sqrt((pairs / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z0 = uA - pairs / 2;
    if (sigma === 0) p = 1; // every value the same: nothing tells the groups apart
    else {
      const z = (z0 - Math.sign(z0) * 0.5) / sigma;
      p = Math.min(1, 2 * normalCdf(-Math.abs(z)));
    }
  }
  return { uA, uB, p, method, commonLanguage: uB / pairs, rankBiserial: (uB - uA) / pairs, nA, nB, ties };
}

/**
 * How many of the C(m + n, m) orderings of two groups without ties give each U = 0 .. m·n: the
 * coefficients of the Gaussian binomial [m + n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i),
 * multiplied in one factor at a time (each step is again a polynomial with whole coefficients).
 */
export function uDistribution(m: number, n: number): Float64Array {
  const size = m * n + 1;
  const counts = new Float64Array(size);
  counts[0] = 1;
  for (let i = 1; i <= m; i++) {
    const up = n + i;
    for (let k = size - 1; k >= up; k--) counts[k] -= counts[k - up]; // × (1 − q^{n+i})
    for (let k = i; k < size; k++) counts[k] += counts[k - i]; // ÷ (1 − q^i)
  }
  return counts;
}

/** P(Z ≤ z) for the standard normal, through the regularized incomplete gamma: erfc(x) = Q(½, x²). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const upper = 0.5 * gammaQ(0.5, x * x); // P(Z > |z|)
  return z >= 0 ? 1 - upper : upper;
}

/** The regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above: Numerical Recipes 6.2). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a, sum = term;
    for (let k = 1; k < 500; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * front;
  }
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return front * h;
}

/** A p-value as people read it: 0.003, 0.04, 0.41, "< 0.0001". */
export function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  if (p < 0.001) return p.toFixed(4);
  if (p < 0.01) return p.toFixed(3);
  return Number(p.toFixed(2)).toString();
}

/** Below this p-value a rank test's words say one variant beats the other. */
export const RANK_TEST_ALPHA = 0.05;

/**
 * The test in plain words, e.g. "fair beats round-robin on wait_p95: U=12, p=0.003 (exact; fair
 * better in 88% of pairs of trials)", or "no clear difference between eevdf and fair on jobs:
 * U=41, p=0.52 (...)". `direction` says which way is better; without it, "higher" / "lower".
 */
export function describeRankTest(metric: string, a: string, b: string, test: RankTest, direction?: 'maximize' | 'minimize'): string {
  const u = Math.min(test.uA, test.uB);
  const method = test.method === 'exact' ? 'exact' : `normal approximation${test.ties ? ', ties corrected' : ''}`;
  const pText = formatP(test.p);
  const stats = `U=${formatNumber(u)}, ${pText.startsWith('<') ? `p${pText.replace(' ', '')}` : `p=${pText}`}`;
  // b's share of pairs won (ties half): above ½ b tends higher.
  const bHigher = test.commonLanguage > 0.5;
  const share = bHigher ? test.commonLanguage : 1 - test.commonLanguage;
  const higher = bHigher ? b : a, lower = bHigher ? a : b;
  if (test.commonLanguage === 0.5 || test.p >= RANK_TEST_ALPHA) {
    return `no clear difference between ${b} and ${a} on ${metric}: ${stats} (Mann–Whitney, ${method})`;
  }
  const pct = `${formatNumber(Math.round(share * 1000) / 10)}%`;
  if (direction) {
    const winner = direction === 'maximize' ? higher : lower, loser = winner === higher ? lower : higher;
    return `${winner} beats ${loser} on ${metric}: ${stats} (Mann–Whitney, ${method}; ${winner} better in ${pct} of pairs of trials)`;
  }
  return `${higher} is higher than ${lower} on ${metric}: ${stats} (Mann–Whitney, ${method}; in ${pct} of pairs of trials)`;
}
