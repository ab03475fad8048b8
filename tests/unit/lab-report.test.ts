// Reports from trial lines: the same lines give the same bytes; text from the lines is escaped
// (a grid value may hold anything), only http(s) links become links; runs files are checked line
// by line and merged by trial.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeTrialLines, parseTrialLines } from '../../src/lab/lines';
import { buildReport, reportHtml, reportMarkdown } from '../../src/lab/report';
import type { TrialLine } from '../../src/lab/trial';

const line = (trial: number, variant: string, seed: number, jobs: number, extra: Partial<TrialLine> = {}): TrialLine => ({
  trial, variant, params: {}, seed, events: 100, ticks: 1000, stateHash: '0123456789abcdef', metrics: { jobs }, link: `https://agentos.test/#s2=trial${trial}`, ...extra,
});

describe('reports', () => {
  it('are the same bytes every time, compare variants in words and link the best and worst trials', () => {
    const lines = [line(0, 'fair', 1, 100), line(1, 'fair', 2, 104), line(2, 'fair', 3, 98), line(3, 'eevdf', 1, 120), line(4, 'eevdf', 2, 118), line(5, 'eevdf', 3, 125)];
    const report = buildReport(lines, { title: 'policies', objectives: [{ direction: 'maximize', metric: 'jobs' }] });
    expect(reportHtml(report, lines)).toBe(reportHtml(buildReport(lines, { title: 'policies', objectives: [{ direction: 'maximize', metric: 'jobs' }] }), lines));
    const markdown = reportMarkdown(report);
    expect(markdown).toMatch(/^- eevdf: jobs 20\.\d% higher than fair \(95% CI \d+(\.\d+)?% to \d+(\.\d+)?%, 3 seeds each\)$/m);
    expect(markdown).toContain('By the objective (maximize jobs): **eevdf**, mean 121.');
    expect(markdown).toContain('| eevdf | [trial 5 (seed 3): 125](https://agentos.test/#s2=trial5) | [trial 4 (seed 2): 118](https://agentos.test/#s2=trial4) |');
    expect(report.variants.map(({ group, summaries }) => [group.variant, summaries.jobs.mean, summaries.jobs.median])).toEqual([['fair', 100.66666666666667, 100], ['eevdf', 121, 120]]);
    // Under each comparison the Mann–Whitney test: 3 against 3, every eevdf trial higher, p = 2 / C(6, 3) = 0.1.
    expect(markdown).toContain('  - no clear difference between eevdf and fair on jobs: U=0, p=0.1 (Mann–Whitney, exact)');
    expect(reportHtml(report, lines)).toContain('<span class="note">no clear difference between eevdf and fair on jobs: U=0, p=0.1 (Mann–Whitney, exact)</span>');
  });

  it('draw a grid as parallel coordinates (a polyline per trial through its variant, grid value and metrics), without one', () => {
    const grid = [
      line(0, 'fair', 1, 100, { params: { 'kernel.quantum': '1ms' } }), line(1, 'fair', 1, 110, { params: { 'kernel.quantum': '2ms' } }),
      line(2, 'eevdf', 1, 120, { params: { 'kernel.quantum': '1ms' } }), line(3, 'eevdf', 1, 90, { params: { 'kernel.quantum': '2ms' } }),
    ];
    const page = reportHtml(buildReport(grid), grid);
    expect(page).toContain('<h3>Parallel coordinates</h3>');
    const polylines = [...page.matchAll(/<polyline points="([^"]+)"/g)].map((match) => match[1].split(' ').map((point) => point.split(',').map(Number)));
    expect(polylines).toHaveLength(4);
    // Three axes (variant, kernel.quantum, jobs): fair at the bottom, eevdf at the top; 1ms bottom, 2ms top; jobs 90 bottom, 120 top.
    const [bottom, topY] = [Math.max(...polylines.flat().map(([, y]) => y)), Math.min(...polylines.flat().map(([, y]) => y))];
    expect(polylines[0].map(([, y]) => y).slice(0, 2)).toEqual([bottom, bottom]);
    expect(polylines[0][2][1]).toBeCloseTo(bottom - (bottom - topY) / 3, 0); // 100 is a third of the way from 90 to 120
    expect(polylines[0].map(([x]) => x)).toEqual([...polylines[0].map(([x]) => x)].sort((a, b) => a - b)); // axes left to right
    expect(polylines[2].map(([, y]) => y).slice(0, 2)).toEqual([topY, bottom]);
    expect(polylines[2][2][1]).toBe(topY); // 120: the highest jobs
    expect(polylines[3][2][1]).toBe(bottom); // 90: the lowest
    // No grid: no parallel coordinates (the strips say it all).
    const plain = [line(0, 'fair', 1, 100), line(1, 'eevdf', 1, 120)];
    expect(reportHtml(buildReport(plain), plain)).not.toContain('<polyline');
  });

  it('say which variant beats which by the Mann–Whitney test, in the direction of the objective', () => {
    // 5 against 5, every fair trial waits less: exact p = 2 / C(10, 5) = 0.0079; the tie in rr (two 30s) makes it the normal approximation.
    const fair = [11, 12, 13, 14, 15], rr = [30, 31, 30, 33, 34];
    const lines = [...fair.map((wait, i) => line(i, 'rr', i + 1, 0, { metrics: { wait: rr[i] } })), ...fair.map((wait, i) => line(5 + i, 'fair', i + 1, 0, { metrics: { wait } }))];
    const report = buildReport(lines, { objectives: [{ direction: 'minimize', metric: 'wait' }] });
    expect(report.comparisons[0].rankTest).toMatchObject({ uA: 25, uB: 0, method: 'normal', ties: true, commonLanguage: 0 });
    expect(report.comparisons[0].rankSentence).toMatch(/^fair beats rr on wait: U=0, p=0\.01\d* \(Mann–Whitney, normal approximation, ties corrected; fair better in 100% of pairs of trials\)$/);
    const untied = [...fair.map((_, i) => line(i, 'rr', i + 1, 0, { metrics: { wait: 30 + i } })), ...fair.map((wait, i) => line(5 + i, 'fair', i + 1, 0, { metrics: { wait } }))];
    expect(buildReport(untied, { objectives: [{ direction: 'minimize', metric: 'wait' }] }).comparisons[0].rankSentence).toBe('fair beats rr on wait: U=0, p=0.008 (Mann–Whitney, exact; fair better in 100% of pairs of trials)');
  });

  it('escape whatever a line holds, and link only http(s) URLs', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (value, link) => {
      const lines = [line(0, 'a', 1, 1, { params: { 'agents.x.args.tag': `<script>${value}</script>|${value}` }, link: `javascript:${link}` }), line(1, 'b', 1, 2, { params: { 'agents.x.args.tag': value } })];
      const html = reportHtml(buildReport(lines), lines);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toContain('href="javascript:');
      const markdown = reportMarkdown(buildReport(lines));
      expect(markdown).not.toContain('](javascript:');
      // The configuration's row keeps its three cells (configuration, n, jobs), whatever the value holds.
      const rows = markdown.split('\n').filter((text) => text.startsWith('| a agents'));
      expect(rows).toHaveLength(1);
      expect(rows[0].split(/(?<!\\)\|/).length).toBe(5);
    }), { numRuns: 200 });
  });

  it('read runs files line by line, naming the file and line; merge shards by trial', () => {
    const text = lines3().map((l) => JSON.stringify(l)).join('\n') + '\n';
    expect(parseTrialLines(text, 'runs.jsonl').map((l) => l.trial)).toEqual([0, 1, 2]);
    expect(() => parseTrialLines(`${text}{"trial":3,`, 'runs.jsonl')).toThrow('runs.jsonl:4: not JSON');
    expect(() => parseTrialLines(JSON.stringify({ ...line(0, 'a', 1, 1), stateHash: 'xyz' }), 'r.jsonl')).toThrow('r.jsonl:1: stateHash: expected 16 hexadecimal digits');
    expect(() => parseTrialLines(JSON.stringify({ ...line(0, 'a', 1, 1), metrics: { jobs: 'many' } }), 'r.jsonl')).toThrow('r.jsonl:1: metrics.jobs: expected a number');
    const [a, b, c] = lines3();
    expect(mergeTrialLines([{ source: 's1', lines: [c, a] }, { source: 's0', lines: [b, a] }]).map((l) => l.trial)).toEqual([0, 1, 2]);
    expect(() => mergeTrialLines([{ source: 's1', lines: [a] }, { source: 's0', lines: [{ ...a, seed: 9 }] }])).toThrow('trial 0 is in s1 and in s0 with different results');
  });
});

function lines3(): TrialLine[] {
  return [line(0, 'a', 1, 1), line(1, 'a', 2, 2), line(2, 'b', 1, 3)];
}

/** fair vs round-robin on priority-starvation, 2 seeds, with a per-mille share metric; `grid` goes before metrics, `metrics` after share. */
const sharePlan = (extra: { grid?: string; metrics?: string } = {}) => `agentos-experiment: 1
spec: priority-starvation.yaml
seeds: 2
stop: { events: 1000 }
variants:
  - { name: fair, set: { kernel.scheduler: fair } }
  - { name: rr, set: { kernel.scheduler: round-robin } }
${extra.grid ?? ''}metrics:
  share: agents.auditor.cpuTicks * 1000 / max(1, agents.pool.cpuTicks)
${extra.metrics ?? ''}`;

describe('the report the Experiments tab downloads', () => {
  it('writes each comparison in the metric’s unit, as the tab does (‰ for a per-mille share)', async () => {
    const { readPlan } = await import('../../src/lab/plan');
    const { reportText } = await import('../../src/ui/lab/report-download');
    const read = readPlan(sharePlan());
    if (!read.ok) throw new Error(JSON.stringify(read.errors));
    const shares = [97, 97, 250, 250];
    const lines = shares.map((share, k) => line(k, k < 2 ? 'fair' : 'rr', (k % 2) + 1, 0, { metrics: { share } }));
    const markdown = await reportText(lines, read.plan, 'md');
    expect(markdown).toContain('every seed gave 250‰ for rr and 97‰ for fair');
    expect(markdown).toContain('\n### share (‰)\n');
    const page = await reportText(lines, read.plan, 'html');
    expect(page).toContain('every seed gave 250‰ for rr and 97‰ for fair');
    expect(page).toContain('<h3>share (‰)</h3>');
  });

  it('writes the per-variant cells as the tab writes them: ‰ beside each number (one format, cellValue, for both)', async () => {
    const { readPlan } = await import('../../src/lab/plan');
    const { reportText } = await import('../../src/ui/lab/report-download');
    const { cellValue, metricUnits } = await import('../../src/lab/units');
    const read = readPlan(sharePlan({ grid: 'grid:\n  kernel.quantum: [1ms]\n', metrics: '  jobs: agents.pool.received\nobjective: { maximize: share }\n' }));
    if (!read.ok) throw new Error(JSON.stringify(read.errors));
    expect(metricUnits(read.plan.metrics)).toEqual({ share: '‰', jobs: 'messages' });
    const values = [[90, 10], [100, 12], [240, 30], [260, 34]];
    const lines = values.map(([share, jobs], k) => line(k, k < 2 ? 'fair' : 'rr', (k % 2) + 1, 0, { params: { 'kernel.quantum': '1ms' }, metrics: { share, jobs } }));
    const markdown = await reportText(lines, read.plan, 'md');
    // The tab's cell for a mean of 95 per mille is "95‰"; the report's is the same text.
    expect(cellValue(95, '‰')).toBe('95‰');
    expect(markdown).toMatch(/^\| fair \| 2 \| 95‰ \| -?[\d.]+‰ to [\d.]+‰ \| 7\.07‰ \| 90‰ \| 92\.5‰ \| 95‰ \| 97\.5‰ \| 100‰ \|$/m);
    expect(markdown).toMatch(/^\| rr \| 2 \| 250‰ \|/m);
    // jobs (messages): the unit is in the heading, the cells are plain numbers, as in the tab.
    expect(markdown).toMatch(/^\| fair \| 2 \| 11 \| [-\d.]+ to [\d.]+ \|/m);
    expect(markdown).toContain('\n### jobs (messages)\n');
    // The grid's configurations table, the best and worst trials, the same way.
    expect(markdown).toContain('| configuration | n | share (‰): mean (95% CI) | jobs (messages): mean (95% CI) |');
    expect(markdown).toMatch(/^\| rr kernel\.quantum=1ms \| 2 \| 250‰ \(/m);
    expect(markdown).toContain('[trial 3 (seed 2): 260‰]');
    const page = await reportText(lines, read.plan, 'html');
    expect(page).toContain('<tr><td class="t">fair</td><td>2</td><td>95‰</td>');
    expect(page).toContain('<td>90‰</td><td>92.5‰</td><td>95‰</td><td>97.5‰</td><td>100‰</td></tr>');
    expect(page).toContain('<th>share (‰)</th><th>jobs (messages)</th><th class="t">open</th>');
  });
});
