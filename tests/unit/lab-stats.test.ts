// The experiment statistics against known values: Student's t quantiles from the printed table,
// R's t.test and summary() on Student's own sleep data, a bootstrap that is the same every time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bootstrapDifference, describeDifference, groupByConfiguration, paretoFront, quantile, rankByObjective, seededRandom,
  summarize, tCdf, tQuantile,
} from '../../src/lab/stats';
import type { TrialLine } from '../../src/lab/trial';

// Cushny & Peebles' sleep data as Student (1908) used it: extra hours of sleep, drug 1 (R's sleep$extra[1:10]).
const SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];

describe('statistics', () => {
  it('t quantiles match the printed table (two-sided 95%: t(0.975, df))', () => {
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [9, 2.262], [10, 2.228], [19, 2.093], [29, 2.045], [60, 2.000], [120, 1.980]];
    for (const [df, t] of table) expect(tQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(tQuantile(0.995, 9)).toBeCloseTo(3.250, 3);
    expect(tQuantile(0.95, 4)).toBeCloseTo(2.132, 3);
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.95996, 4); // the normal's
    expect(tQuantile(0.025, 9)).toBeCloseTo(-2.262, 3);
    // The t distribution with 1 degree of freedom is Cauchy: P(T <= 1) = 3/4 exactly.
    expect(tCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
  });

  it("mean, 95% CI and quartiles of Student's sleep data match R's t.test() and summary()", () => {
    const summary = summarize(SLEEP_1);
    expect(summary.n).toBe(10);
    expect(summary.mean).toBeCloseTo(0.75, 12);
    expect(summary.sd).toBeCloseTo(1.789010, 6);
    expect(summary.ciLow).toBeCloseTo(-0.5297804, 6);
    expect(summary.ciHigh).toBeCloseTo(2.0297804, 6);
    expect([summary.min, summary.q1, summary.median, summary.q3, summary.max].map((x) => Number(x.toFixed(6)))).toEqual([-1.6, -0.175, 0.35, 1.7, 3.7]);
    // One value: no spread, the interval is the value.
    expect(summarize([42])).toMatchObject({ mean: 42, sd: 0, ciLow: 42, ciHigh: 42, q1: 42, q3: 42 });
    expect(() => summarize([])).toThrow();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('the bootstrap difference is seeded (same inputs, same interval), holds the observed difference, and says it in words', () => {
    const fair = [100, 102, 98, 101, 99, 100, 103, 97, 100, 100];
    const eevdf = [118, 121, 117, 119, 120, 118, 122, 116, 119, 120];
    const first = bootstrapDifference(fair, eevdf);
    expect(bootstrapDifference(fair, eevdf)).toEqual(first);
    expect(first.difference).toBe(19);
    expect(first.relative).toBeCloseTo(0.19, 12);
    expect(first.ciLow).toBeLessThan(19);
    expect(first.ciHigh).toBeGreaterThan(19);
    // The means' standard error is about 0.75 here, so the interval is about ±1.5 wide.
    expect(first.ciHigh - first.ciLow).toBeGreaterThan(2);
    expect(first.ciHigh - first.ciLow).toBeLessThan(4);
    expect(describeDifference('jobs', 'fair', 'eevdf', first)).toMatch(/^eevdf: jobs 19% higher than fair \(95% CI 1\d(\.\d)?% to 2\d(\.\d)?%, 10 seeds each\)$/);
    const different = bootstrapDifference(fair, eevdf, { seed: 2 });
    expect(different).not.toEqual(first); // the seed is what makes it repeatable, not a constant answer
    // Overlapping groups: no clear difference, said so.
    const unclear = bootstrapDifference([1, 5, 9, 3], [2, 6, 8, 4]);
    expect(describeDifference('x', 'a', 'b', unclear)).toMatch(/no clear difference$/);
    // A baseline of 0: an absolute difference.
    expect(describeDifference('failures', 'a', 'b', bootstrapDifference([0, 0, 0], [2, 3, 4]))).toMatch(/^b: failures 3 more than a \(95% CI 2\.\d+ to 3\.\d+|^b: failures 3 more than a \(95% CI [23](\.\d+)? to [34](\.\d+)?, 3 seeds each\)$/);
    expect(describeDifference('x', 'a', 'b', bootstrapDifference([5, 5], [5, 5]))).toBe('b: x the same as a in every trial: every seed gave 5 (2 seeds each), so there is nothing to compare');
  });

  it('the 95% bootstrap interval covers the true difference about 95% of the time (seeded simulation)', () => {
    const random = seededRandom(7);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    let covered = 0;
    const runs = 200;
    for (let run = 0; run < runs; run++) {
      const a = Array.from({ length: 30 }, () => 10 + normal());
      const b = Array.from({ length: 30 }, () => 12 + normal());
      const d = bootstrapDifference(a, b, { resamples: 1000, seed: run + 1 });
      if (d.ciLow <= 2 && 2 <= d.ciHigh) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.88);
    expect(covered / runs).toBeLessThan(0.99);
  });

  it('the t interval is exact for the mean: shifting and scaling the data moves it alike (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 30 }), fc.integer({ min: -100, max: 100 }), (values, shift) => {
      const a = summarize(values), b = summarize(values.map((x) => x + shift));
      expect(b.mean).toBeCloseTo(a.mean + shift, 6);
      expect(b.ciHigh - b.ciLow).toBeCloseTo(a.ciHigh - a.ciLow, 6);
      expect(a.ciLow).toBeLessThanOrEqual(a.mean);
      expect(a.min).toBeLessThanOrEqual(a.q1);
      expect(a.q1).toBeLessThanOrEqual(a.median);
      expect(a.median).toBeLessThanOrEqual(a.q3);
      expect(a.q3).toBeLessThanOrEqual(a.max);
    }));
  });

  it('ranks configurations by the objective and finds the Pareto front of two', () => {
    const line = (trial: number, variant: string, quantum: string, jobs: number, latency: number): TrialLine => ({
      trial, variant, params: { 'kernel.quantum': quantum }, seed: 1, events: 0, ticks: 0, stateHash: '', metrics: { jobs, latency }, link: '',
    });
    const lines = [
      line(0, 'fair', '1ms', 100, 50), line(1, 'fair', '1ms', 110, 50),   // 105, 50
      line(2, 'fair', '2ms', 120, 70),                                      // 120, 70
      line(3, 'eevdf', '1ms', 100, 40),                                     // 100, 40
      line(4, 'eevdf', '2ms', 90, 60),                                      // dominated by fair 1ms and eevdf 1ms
    ];
    const groups = groupByConfiguration(lines);
    expect(groups.map((group) => group.label)).toEqual(['fair kernel.quantum=1ms', 'fair kernel.quantum=2ms', 'eevdf kernel.quantum=1ms', 'eevdf kernel.quantum=2ms']);
    expect(rankByObjective(groups, { direction: 'maximize', metric: 'jobs' }).map((r) => r.group.label)[0]).toBe('fair kernel.quantum=2ms');
    expect(rankByObjective(groups, { direction: 'minimize', metric: 'latency' }).map((r) => r.group.label)[0]).toBe('eevdf kernel.quantum=1ms');
    const front = paretoFront(groups, [{ direction: 'maximize', metric: 'jobs' }, { direction: 'minimize', metric: 'latency' }]);
    expect(front.map((r) => r.group.label)).toEqual(['fair kernel.quantum=1ms', 'fair kernel.quantum=2ms', 'eevdf kernel.quantum=1ms']);
    expect(front[0].means).toEqual([105, 50]);
  });
});
