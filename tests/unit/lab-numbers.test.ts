// How the Experiments tab and the report write numbers (review of session 12): one formatter with
// thousands grouped (`70,352`, as the events column writes `18,948`) for cells, intervals, words
// and axes, never for the trial lines (data); round axis ticks (1-2-5 steps) inside the values'
// range; a metric the same in every trial drawn around its value, with no p = 1 test line; text
// columns left, numbers right; the ticks column with its unit.
import { describe, expect, it } from 'vitest';
import { bootstrapDifference, describeDifference, formatNumber, withUnit } from '../../src/lab/stats';
import { cellValue } from '../../src/lab/units';
import { niceTicks, valueAxis } from '../../src/lab/ticks';
import { axesOfLines, brushText } from '../../src/lab/parallel';
import { buildReport, reportHtml, reportMarkdown } from '../../src/lab/report';
import { economyMarkdown, type VariantEconomy } from '../../src/lab/economy';
import { describeRankTest, mannWhitney } from '../../src/lab/rank-test';
import { formatTrialLine, type TrialLine } from '../../src/lab/trial';
import { readPlan } from '../../src/lab/plan';
import { resultsOf, verdictOf } from '../../src/ui/lab/results';
import { groupByVariant } from '../../src/lab/stats';
import { latencyText, signed } from '../../src/ui/lab/ab';

const line = (trial: number, variant: string, seed: number, metrics: Record<string, number>, extra: Partial<TrialLine> = {}): TrialLine => ({
  trial, variant, params: {}, seed, events: 18948, ticks: 1951354, stateHash: '0123456789abcdef', metrics, link: `https://agentos.test/#s2=trial${trial}`, ...extra,
});

/** Two variants, three seeds, jobs in the tens of thousands and a failures count that is 1 in every trial. */
function bigLines(): TrialLine[] {
  const jobs = [[69203, 70352, 71410], [80120, 83741, 82003]];
  return jobs.flatMap((values, v) => values.map((value, s) => line(v * 3 + s, v === 0 ? 'fair' : 'eevdf', s + 1, { jobs: value, failures: 1 })));
}

/** The <text> labels of the report's strip plot for one metric (the axis ticks are the last ones, under the rows). */
function stripAxisLabels(page: string, heading: string): string[] {
  const at = page.indexOf(`<h3>${heading}</h3>`);
  const svg = page.slice(page.indexOf('<svg class="strip"', at), page.indexOf('</svg>', at));
  return [...svg.matchAll(/<text [^>]*text-anchor="middle">([^<]*)<\/text>/g)].map((match) => match[1]);
}

describe('numbers are grouped by thousands, one formatter everywhere a person reads them', () => {
  it('formatNumber: commas in the whole part, 3 significant digits under 1,000, whole from 1,000', () => {
    expect(formatNumber(70352)).toBe('70,352');
    expect(formatNumber(18948)).toBe((18948).toLocaleString('en')); // the events column's own grouping
    expect(formatNumber(123456789)).toBe('123,456,789');
    expect(formatNumber(-2500.4)).toBe('-2,500');
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(999.7)).toBe('1,000'); // rounded to 3 digits, then grouped
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(0.0123456)).toBe('0.0123');
    expect(formatNumber(1.2e-7)).toBe('1.2e-7');
    expect(formatNumber(NaN)).toBe('NaN');
  });

  it('cells, values with units, intervals and sentences read well grouped', () => {
    expect(cellValue(70352, 'messages')).toBe('70,352');
    expect(cellValue(2500, '‰')).toBe('2,500‰');
    expect(withUnit(12000, 'messages')).toBe('12,000 messages');
    const words = describeDifference('jobs', 'fair', 'eevdf', bootstrapDifference([0, 0, 0], [11000, 12000, 13000]), 'messages');
    expect(words).toMatch(/^eevdf: jobs 12,000 messages more than fair \(95% CI 1[01],\d{3} messages to 1[23],\d{3} messages, 3 seeds each\)$/);
    const relative = describeDifference('jobs', 'fair', 'eevdf', bootstrapDifference([70000, 71000, 69000], [82000, 84000, 83000]), 'messages');
    expect(relative).toMatch(/^eevdf: jobs 18\.\d% higher than fair \(95% CI 1\d(\.\d+)?% to \d\d(\.\d+)?%, 3 seeds each\)$/);
    const u = describeRankTest('jobs', 'a', 'b', mannWhitney(Array.from({ length: 60 }, (_, i) => i), Array.from({ length: 60 }, (_, i) => i + 0.5)));
    expect(u).toMatch(/U=1,\d{3}, p=/);
    expect(brushText({ kind: 'number', name: 'jobs', low: 69203, high: 83741, ticks: [], valueOf: () => 0 }, { from: 0, to: 1 })).toBe('jobs 69,203–83,741');
    expect(signed(12500)).toBe('+12,500');
    expect(signed(-12500)).toBe('−12,500');
    expect(latencyText(1_234_567)).toBe('1,235 ms');
  });

  it('the report (HTML and Markdown) groups every metric value, count and event total; the trial lines do not change', () => {
    const lines = bigLines();
    const report = buildReport(lines, { title: 't', objectives: [{ direction: 'maximize', metric: 'jobs' }], units: { jobs: 'messages', failures: 'failures' } });
    const markdown = reportMarkdown(report);
    expect(markdown).toMatch(/^\| fair \| 3 \| 70,322 \| 6\d,\d{3} to 7\d,\d{3} \| 1,104 \| 69,203 \| 69,778 \| 70,352 \| 70,881 \| 71,410 \|$/m);
    expect(markdown).toContain('mean 81,955 messages.');
    expect(markdown).toContain('[trial 4 (seed 2): 83,741]');
    expect(markdown).not.toMatch(/\b\d{5}\b(?![^(]*\))/); // no five-digit run outside the links
    const page = reportHtml(report, lines);
    expect(page).toContain('<td>70,322</td>');
    expect(page).toContain('<td>18,948</td><td>1,951,354</td>'); // the trials table's events and ticks
    expect(page).not.toMatch(/>\d{4,}</); // no ungrouped number in any cell or label
    // The lines themselves are data: written as they were, no grouping.
    expect(formatTrialLine(lines[0])).toContain('"events":18948,"ticks":1951354');
    expect(formatTrialLine(lines[0])).toContain('"metrics":{"jobs":69203,"failures":1}');
  });

  it('the economy section groups its numbers as the tab does', () => {
    const row: VariantEconomy = { variant: 'first', trials: 1200, deniedTrials: 1100, bids: 50000, grants: 40000, paid: 2_400_000, denied: 10000, averageBidPrice: 60, denialRate: 0.2, scorePerCost: 0.000512, score: 1 };
    expect(economyMarkdown([row], 'jobs')).toContain('| first | 1,200 | 60 | 20% | 1,100 of 1,200 | 0.000512 | 2,000 |');
  });

  it('the tab\'s results (the panel) write their words with the same grouping', () => {
    const read = readPlan(`agentos-experiment: 1
spec: priority-starvation.yaml
seeds: 3
stop: { events: 1000 }
variants:
  - { name: fair, set: { kernel.scheduler: fair } }
  - { name: eevdf, set: { kernel.scheduler: eevdf } }
metrics:
  jobs: agents.pool.received
  failures: agents.pool.failed
objective: { maximize: jobs }
`);
    if (!read.ok) throw new Error(JSON.stringify(read.errors));
    // fair's jobs at 0: the difference is said in messages, not as a percentage.
    const lines = bigLines().map((l) => (l.variant === 'fair' ? { ...l, metrics: { ...l.metrics, jobs: 0 } } : l));
    const results = resultsOf(lines, read.plan, { compare: true });
    expect(results.comparisons[0]).toMatch(/^eevdf: jobs 81,955 messages more than fair \(95% CI 80,\d{3} messages to 8[34],\d{3} messages, 3 seeds each\)$/);
    expect(results.rankTests[0]).toMatch(/ eevdf and fair on jobs: U=0, p=/);
  });
});

describe('round axis ticks', () => {
  it('niceTicks: multiples of 1, 2 or 5 × 10^k inside the range, at most 5, at least 2', () => {
    expect(niceTicks(69203, 83741, { whole: true })).toEqual([70000, 75000, 80000]);
    expect(niceTicks(0, 1)).toEqual([0, 0.5, 1]);
    expect(niceTicks(97, 250, { whole: true })).toEqual([100, 150, 200, 250]);
    expect(niceTicks(3, 5, { whole: true })).toEqual([3, 4, 5]); // counts: no 3.5
    expect(niceTicks(0.1, 0.35)).toEqual([0.1, 0.2, 0.3]); // not 0.30000000000000004
    expect(niceTicks(-12.5, 40)).toEqual([0, 20, 40]);
    for (const [low, high] of [[0, 1e-3], [1, 1.0001], [-5e6, 3e9], [7, 8], [123.4, 123.9], [0.3, 17]]) {
      const ticks = niceTicks(low, high);
      expect(ticks.length, `${low}..${high}: ${ticks}`).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(5);
      for (const tick of ticks) {
        expect(tick).toBeGreaterThanOrEqual(low);
        expect(tick).toBeLessThanOrEqual(high);
        const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        const mantissa = step / 10 ** Math.floor(Math.log10(step));
        expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `${low}..${high}: step ${step}`).toBe(true);
      }
    }
  });

  it('the report\'s strip plots and parallel coordinates label round values, grouped', () => {
    const lines = bigLines().map((l, k) => ({ ...l, params: { 'kernel.quantum': k % 2 ? '1ms' : '2ms' } }));
    const page = reportHtml(buildReport(lines, { units: { jobs: 'messages' } }), lines);
    // The axis spans the trials and the means' 95% intervals (67,5xx to 86,5xx here).
    expect(stripAxisLabels(page, 'jobs (messages)')).toEqual(['70,000', '75,000', '80,000', '85,000']);
    const parallel = page.slice(page.indexOf('<svg class="strip parallel"'), page.indexOf('</svg>', page.indexOf('<svg class="strip parallel"')));
    const labels = [...parallel.matchAll(/<text [^>]*text-anchor="end">([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(labels).toEqual(expect.arrayContaining(['70,000', '75,000', '80,000']));
    expect(labels).not.toContain('69,203'); // the ends are not labelled with whatever the data gave
    const jobs = axesOfLines(lines).find((axis) => axis.name === 'jobs')!;
    expect(jobs.kind === 'number' && [jobs.low, jobs.high, jobs.ticks]).toEqual([69203, 83741, [70000, 75000, 80000]]);
  });
});

describe('a metric that is the same in every trial', () => {
  it('gets an axis around its value, with that one tick', () => {
    expect(valueAxis(1, 1, { whole: true })).toEqual({ low: 0, high: 2, ticks: [1], constant: true });
    expect(valueAxis(70352, 70352, { whole: true })).toEqual({ low: 65352, high: 75352, ticks: [70352], constant: true });
    expect(valueAxis(0.25, 0.25).ticks).toEqual([0.25]);
    const lines = bigLines();
    const page = reportHtml(buildReport(lines, { units: { failures: 'failures' } }), lines);
    expect(stripAxisLabels(page, 'failures')).toEqual(['1']); // not -0.08 ... 2.08 (and not "failures (failures)")
    const failures = axesOfLines(lines).find((axis) => axis.name === 'failures')!;
    expect(failures.kind === 'number' && failures.ticks).toEqual([1]);
  });

  it('says there is nothing to compare, with no p = 1 test line, in the report and the tab', () => {
    const lines = bigLines();
    const report = buildReport(lines, { units: { failures: 'failures' } });
    const comparison = report.comparisons.find((c) => c.metric === 'failures')!;
    expect(comparison.sentence).toBe('eevdf: failures the same as fair in every trial: every seed gave 1 failure (3 seeds each), so there is nothing to compare');
    expect(comparison.rankTest).toBeNull();
    // Its table cells: "no spread" where the interval would be "1 to 1", as the tab says it.
    expect(reportMarkdown(report)).toMatch(/^\| fair \| 3 \| 1 \| no spread \| 0 \| 1 \| 1 \| 1 \| 1 \| 1 \|$/m);
    const markdown = reportMarkdown(report);
    expect(markdown).toContain(`- ${comparison.sentence}\n\n`); // no indented test line under it
    expect(markdown).not.toContain('on failures: U=');
    expect(reportHtml(report, lines)).toContain(`<li>${comparison.sentence}</li>`);
    // Where something varies the test line stays.
    expect(markdown).toMatch(/^ {2}- no clear difference between eevdf and fair on jobs: U=0, p=0\.1 /m);
    // The tab: no winner (nothing is best where all is the same), no comparison, no test: one line saying so.
    const verdict = verdictOf(groupByVariant(lines), { metric: 'failures', direction: 'minimize' }, 'failures');
    expect(verdict).toMatchObject({ winner: '', comparisons: [], rankTests: [], same: 'failures: every trial of every variant gave 1 failure, so there is nothing to compare.' });
    // A metric the same within each variant but not across them is compared, and its test is kept.
    const apart = lines.map((l) => ({ ...l, metrics: { ...l.metrics, failures: l.variant === 'fair' ? 1 : 3 } }));
    const split = verdictOf(groupByVariant(apart), { metric: 'failures', direction: 'minimize' }, 'failures');
    expect(split.same).toBeUndefined();
    expect(split.comparisons[0]).toBe('fair: failures 66.7% lower than eevdf (no spread over 3 seeds each: every seed gave 1 failure for fair and 3 failures for eevdf)');
    expect(split.rankTests[0]).toMatch(/ on failures: U=0, p=/);
  });
});

describe('the report\'s tables', () => {
  const lines = bigLines();
  const page = reportHtml(buildReport(lines, { objectives: [{ direction: 'maximize', metric: 'jobs' }], units: { jobs: 'messages' } }), lines);

  it('text columns (variant, params, stateHash) left, numbers right', () => {
    expect(page).toContain('th.t,td.t{text-align:left}');
    expect(page).not.toContain('th:first-child,td:first-child{text-align:left}'); // the trial number is a number, right
    expect(page).toContain('<tr><th>trial</th><th class="t">variant</th><th class="t">params</th><th>seed</th><th>events</th>');
    expect(page).toContain('<tr><td>0</td><td class="t">fair</td><td class="t"></td><td>1</td><td>18,948</td>');
    expect(page).toContain('<tr><th class="t">variant</th><th>n</th><th>mean</th>');
    expect(page).toContain('<tr><td class="t">eevdf</td><td>3</td>');
    expect(page).toContain('<tr><th class="t">variant</th><th class="t">best</th><th class="t">worst</th></tr>');
  });

  it('the ticks column says its unit, as the metric columns do', () => {
    expect(page).toMatch(/<th title="virtual time at the stop: 1 tick is 1 µs">ticks \(µs\)<\/th>/);
    expect(page).not.toContain('<th>ticks</th>');
  });
});
