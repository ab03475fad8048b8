// The Mann–Whitney U test against published values (R's wilcox.test examples: Hollander & Wolfe's
// permeability constants, exact; the airquality ozone of May and August, with ties) and against
// independent code written here: U by counting pairs, the exact p-value by enumerating every way
// to split the pooled values, the normal approximation from its textbook formula.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRankTest, formatP, mannWhitney, normalCdf, uDistribution } from '../../src/lab/rank-test';

// R: ?wilcox.test, "Hollander & Wolfe (1973), 69f. Permeability constants of the human chorioamnion".
const AT_TERM = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const EARLY = [1.15, 0.88, 0.90, 0.74, 1.21];
// R: datasets::airquality, Ozone in May (month 5) and August (month 8), the NAs left out.
const OZONE_MAY = [41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32, 23, 45, 115, 37];
const OZONE_AUG = [39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45, 168, 73, 76, 118, 84, 85];

/** U of a by counting pairs: a's value above b's counts 1, a tie ½. */
const pairU = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x) => sum + b.reduce((s, y) => s + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);

/** The exact two-sided p-value by enumerating every split of the pooled values into groups of |a| and |b| (R's rule: the observed side's tail, doubled). */
function enumeratedP(a: readonly number[], b: readonly number[]): number {
  const pooled = [...a, ...b];
  const m = a.length, pairs = a.length * b.length, observed = pairU(a, b);
  const us: number[] = [];
  const choose = (start: number, picked: number[]) => {
    if (picked.length === m) {
      const inA = new Set(picked);
      us.push(pairU(picked.map((i) => pooled[i]), pooled.filter((_, i) => !inA.has(i))));
      return;
    }
    for (let i = start; i <= pooled.length - (m - picked.length); i++) choose(i + 1, [...picked, i]);
  };
  choose(0, []);
  const tail = observed > pairs / 2 ? us.filter((u) => u >= observed).length : us.filter((u) => u <= observed).length;
  return Math.min(1, (2 * tail) / us.length);
}

const binomial = (n: number, k: number) => { let r = 1; for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i; return r; };

describe('Mann–Whitney U', () => {
  it("matches R's wilcox.test on the permeability constants: W = 35, exact two-sided p = 0.2544 (one-sided 0.1272)", () => {
    const test = mannWhitney(AT_TERM, EARLY);
    expect(test.method).toBe('exact');
    expect(test.uA).toBe(35);
    expect(test.uB).toBe(15);
    expect(test.p).toBeCloseTo(0.2544, 4);
    expect(test.p).toBeCloseTo(enumeratedP(AT_TERM, EARLY), 12); // 3003 splits, counted one by one
    expect(test.commonLanguage).toBeCloseTo(15 / 50, 12);
    expect(test.rankBiserial).toBeCloseTo(-0.4, 12);
    // The same test the other way round: the same p, U swapped.
    const swapped = mannWhitney(EARLY, AT_TERM);
    expect(swapped.uA).toBe(15);
    expect(swapped.p).toBeCloseTo(test.p, 14);
  });

  it("matches R's wilcox.test(Ozone ~ Month, subset = Month %in% c(5, 8)): W = 127.5, p = 0.0001208 (ties: normal, corrected)", () => {
    const test = mannWhitney(OZONE_MAY, OZONE_AUG);
    expect(test.method).toBe('normal');
    expect(test.ties).toBe(true);
    expect(test.uA).toBe(127.5);
    expect(test.uA).toBe(pairU(OZONE_MAY, OZONE_AUG));
    expect(test.p).toBeCloseTo(0.0001208, 6);
    // The textbook formula, written out here: z = (U − n1n2/2 − ½·sign) / σ, σ² = n1n2/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))).
    const n1 = OZONE_MAY.length, n2 = OZONE_AUG.length, N = n1 + n2;
    const counts = new Map<number, number>();
    for (const x of [...OZONE_MAY, ...OZONE_AUG]) counts.set(x, (counts.get(x) ?? 0) + 1);
    const tieSum = [...counts.values()].reduce((s, t) => s + t ** 3 - t, 0);
    const sigma = Math.sqrt((n1 * n2) / 12 * (N + 1 - tieSum / (N * (N - 1))));
    const z = (127.5 - (n1 * n2) / 2 + 0.5) / sigma;
    expect(test.p).toBeCloseTo(2 * normalCdf(z), 14);
  });

  it('the normal distribution function matches its table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 14);
    expect(normalCdf(-6) / 9.865876450376946e-10).toBeCloseTo(1, 10);
  });

  it("the exact distribution of U has C(m + n, m) orderings and is symmetric", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), (m, n) => {
      const counts = uDistribution(m, n);
      expect(counts.length).toBe(m * n + 1);
      const total = counts.reduce((s, c) => s + c, 0);
      expect(total / binomial(m + n, m)).toBeCloseTo(1, 10);
      for (let u = 0; u <= m * n; u++) expect(counts[u]).toBeCloseTo(counts[m * n - u], 0);
    }));
  });

  it('exact p-values equal the enumeration of every split, on random groups without ties', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 11 }), fc.integer({ min: 1, max: 10 }), (values, cut) => {
      const at = Math.min(values.length - 1, cut);
      const a = values.slice(0, at), b = values.slice(at);
      const test = mannWhitney(a, b);
      expect(test.method).toBe('exact');
      expect(test.uA).toBe(pairU(a, b));
      expect(test.p).toBeCloseTo(enumeratedP(a, b), 12);
    }), { numRuns: 60 });
  });

  it('U of a and b add up to the pairs; p is in [0, 1] and the same both ways; ties go to the normal approximation', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 60 }), (a, b) => {
      const test = mannWhitney(a, b);
      expect(test.uA + test.uB).toBe(a.length * b.length);
      expect(test.uA).toBe(pairU(a, b));
      expect(test.p).toBeGreaterThanOrEqual(0);
      expect(test.p).toBeLessThanOrEqual(1);
      expect(mannWhitney(b, a).p).toBeCloseTo(test.p, 12);
      const tied = new Set([...a, ...b]).size < a.length + b.length;
      expect(test.method).toBe(tied ? 'normal' : 'exact');
    }));
    // Every value the same: nothing tells them apart.
    expect(mannWhitney([3, 3, 3], [3, 3])).toMatchObject({ p: 1, uA: 3, commonLanguage: 0.5 });
    expect(() => mannWhitney([], [1])).toThrow(/both groups/);
    expect(() => mannWhitney([NaN], [1])).toThrow(/finite/);
  });

  it('says it in words: who beats whom, U, p, and the share of pairs', () => {
    const fair = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const rr = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29];
    // Waiting: lower is better, so fair beats round-robin; every pair, p = 2 / C(20, 10).
    const test = mannWhitney(rr, fair);
    expect(test.p).toBeCloseTo(2 / binomial(20, 10), 15);
    expect(describeRankTest('wait_p95', 'round-robin', 'fair', test, 'minimize')).toBe('fair beats round-robin on wait_p95: U=0, p<0.0001 (Mann–Whitney, exact; fair better in 100% of pairs of trials)');
    expect(describeRankTest('wait_p95', 'round-robin', 'fair', test, 'maximize')).toMatch(/^round-robin beats fair on wait_p95/);
    expect(describeRankTest('wait_p95', 'round-robin', 'fair', test)).toMatch(/^round-robin is higher than fair on wait_p95/);
    expect(describeRankTest('x', 'a', 'b', mannWhitney(AT_TERM, EARLY))).toBe('no clear difference between b and a on x: U=15, p=0.25 (Mann–Whitney, exact)');
    expect(formatP(0.0031)).toBe('0.003');
    expect(formatP(0.0004)).toBe('0.0004');
    expect(formatP(0.412)).toBe('0.41');
  });
});
