// What the Experiments tab and the report say in words: both objectives' verdicts and the Pareto
// front, an interval with no spread said as such (not "158% to 158%"), and the units a metric's
// expression implies beside its numbers.
import { describe, expect, it } from 'vitest';
import { readPlan } from '../../src/lab/plan';
import type { TrialLine } from '../../src/lab/trial';
import { bootstrapDifference, describeDifference, withUnit } from '../../src/lab/stats';
import { metricUnit } from '../../src/lab/units';
import { resultsOf } from '../../src/ui/lab/results';

const PLAN = `agentos-experiment: 1
spec: priority-starvation.yaml
seeds: 3
stop: { events: 1000 }
variants:
  - { name: priority, set: { kernel.scheduler: priority } }
  - { name: fair, set: { kernel.scheduler: fair } }
  - { name: eevdf, set: { kernel.scheduler: eevdf } }
metrics:
  jobs: agents.pool.received
  auditor_share: agents.auditor.cpuTicks * 1000 / max(1, agents.auditor.cpuTicks + agents.pool.cpuTicks)
objective: { maximize: [auditor_share, jobs] }
`;

function lines(values: Record<string, { jobs: number[]; auditor_share: number[] }>): TrialLine[] {
  const out: TrialLine[] = [];
  for (const [variant, metrics] of Object.entries(values)) {
    metrics.jobs.forEach((jobs, i) => out.push({
      trial: out.length, variant, params: {}, seed: i + 1, events: 1000, ticks: 1000, stateHash: '0'.repeat(16),
      metrics: { jobs, auditor_share: metrics.auditor_share[i] }, link: 'http://localhost/#s2=x',
    } as TrialLine));
  }
  return out;
}

describe('the verdict in words', () => {
  const read = readPlan(PLAN);
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  const plan = read.plan;

  it('says each objective\'s winner, and the Pareto front with its trade-off', () => {
    const results = resultsOf(lines({
      priority: { jobs: [500, 500, 500], auditor_share: [10, 11, 12] },
      fair: { jobs: [480, 470, 490], auditor_share: [100, 102, 98] },
      eevdf: { jobs: [400, 410, 405], auditor_share: [150, 152, 151] },
    }), plan, { compare: true });
    expect(results.verdicts.map((v) => `${v.winner} by ${v.metric}`)).toEqual(['eevdf by auditor_share', 'priority by jobs']);
    expect(results.verdicts[1].comparisons).toHaveLength(2);
    expect(results.verdicts[1].comparisons[0]).toMatch(/^priority: jobs .* higher than fair/);
    expect(results.paretoWords).toMatch(/^On auditor_share \(higher is better\) and jobs \(higher is better\) together \(the Pareto front\): /);
    expect(results.paretoWords).toContain('eevdf (auditor_share 151‰, jobs 405 messages)');
    expect(results.paretoWords).toContain('trade one for the other');
    expect(results.units).toEqual({ jobs: 'messages', auditor_share: '‰' });
  });

  it('says which way is better for every objective, also before a second variant is in', () => {
    const partial = resultsOf(lines({ priority: { jobs: [500, 500], auditor_share: [10, 11] } }), plan, { compare: false });
    expect(partial.metrics.map((metric) => [metric.name, metric.direction])).toEqual([['jobs', 'maximize'], ['auditor_share', 'maximize']]);
  });

  it('names who is outdone on both', () => {
    const results = resultsOf(lines({
      priority: { jobs: [300, 310, 305], auditor_share: [10, 11, 12] },
      fair: { jobs: [480, 470, 490], auditor_share: [100, 102, 98] },
      eevdf: { jobs: [500, 510, 505], auditor_share: [150, 152, 151] },
    }), plan, { compare: true });
    expect(results.paretoWords).toContain('eevdf (auditor_share 151‰, jobs 505 messages) is best on both.');
    expect(results.paretoWords).toContain('priority and fair are outdone: eevdf is at least as good on both and better on one.');
  });

  it('an interval with no spread is said as such, with the values', () => {
    const difference = bootstrapDifference([100, 100, 100, 100], [258, 258, 258, 258]);
    const words = describeDifference('auditor_share', 'fair', 'eevdf', difference, '‰');
    expect(words).toBe('eevdf: auditor_share 158% higher than fair (no spread over 4 seeds each: every seed gave 258‰ for eevdf and 100‰ for fair)');
    expect(words).not.toMatch(/158% to 158%/);
    const absolute = describeDifference('jobs', 'a', 'b', bootstrapDifference([0, 0], [12, 12]), 'messages');
    expect(absolute).toBe('b: jobs 12 messages more than a (no spread over 2 seeds each: every seed gave 12 messages for b and 0 messages for a)');
    // With spread, the interval as before, in the metric's unit.
    expect(describeDifference('jobs', 'a', 'b', bootstrapDifference([0, 0, 0], [10, 12, 14]), 'messages')).toMatch(/^b: jobs 12 messages more than a \(95% CI 1\d(\.\d+)? messages to 1\d(\.\d+)? messages, 3 seeds each\)$/);
  });
});

describe('metricUnit: the unit an expression implies', () => {
  it.each([
    ['agents.reducer.received', 'messages'],
    ['agents.rich.cpuTicks + agents.middle.cpuTicks + agents.poor.cpuTicks', 'µs CPU'],
    ['agents.auditor.cpuTicks * 1000 / max(1, agents.auditor.cpuTicks + agents.pool.cpuTicks)', '‰'],
    ['agents.a.failed * 100 / max(1, agents.b.failed)', '%'],
    ['channels["dispatcher.jobs->pool.jobs"].queued', 'messages'],
    ['agents.cache.heapBytes', 'B'],
    ['agents.cache.failed + agents.service.failed', 'failures'],
    ['agents.rich.spent', 'credits'],
    // Mixed or unknown: no unit rather than a wrong one.
    ['agents.a.failed + agents.a.received', ''],
    ['agents.a.received > 3', ''],
    ['agents.a.cpuTicks / 1000', ''],
    ['not an expression (', ''],
  ])('%s → %j', (expr, unit) => expect(metricUnit(expr)).toBe(unit));
});

describe('parallel coordinates: the brush keys', () => {
  it('↑/↓ move a brush and never change its size; Shift+↑/↓ widen and narrow it; Home/End; Escape clears', async () => {
    const { brushKey, BRUSH_STEP } = await import('../../src/lab/parallel');
    // A brush drawn by hand (any size): ↓ ten times moves it down, its size exactly kept, stopping at the bottom.
    let brush = { from: 0.4, to: 0.73 };
    const size = brush.to - brush.from;
    for (let i = 0; i < 10; i++) {
      brush = brushKey(brush, 'ArrowDown', false)!;
      expect(brush.to - brush.from).toBeCloseTo(size, 9);
      expect(brush.from).toBeGreaterThanOrEqual(0);
    }
    expect(brush.from).toBe(0);
    brush = brushKey(brush, 'ArrowUp', false)!;
    expect(brush.from).toBeCloseTo(BRUSH_STEP, 9);
    expect(brush.to - brush.from).toBeCloseTo(size, 9);
    // No brush yet: ↓ starts at the top, ↑ at the bottom.
    expect(brushKey(undefined, 'ArrowDown', false)).toEqual({ from: 0.75, to: 1 });
    expect(brushKey(undefined, 'ArrowUp', false)).toEqual({ from: 0, to: 0.25 });
    // Shift resizes by the top edge.
    expect(brushKey({ from: 0.2, to: 0.5 }, 'ArrowUp', true)).toEqual({ from: 0.2, to: 0.55 });
    expect(brushKey({ from: 0.2, to: 0.5 }, 'ArrowDown', true)).toEqual({ from: 0.2, to: 0.45 });
    expect(brushKey({ from: 0.5, to: 1 }, 'ArrowUp', true)).toEqual({ from: 0.45, to: 1 });
    expect(brushKey({ from: 0.2, to: 0.25 }, 'ArrowDown', true)).toEqual({ from: 0.2, to: 0.25 });
    expect(brushKey({ from: 0.2, to: 0.5 }, 'Home', false)!.from).toBeCloseTo(0.7, 9);
    expect(brushKey({ from: 0.2, to: 0.5 }, 'End', false)!.to).toBeCloseTo(0.3, 9);
    expect(brushKey({ from: 0.2, to: 0.5 }, 'Escape', false)).toBeNull();
    expect(brushKey({ from: 0.2, to: 0.5 }, 'a', false)).toBeUndefined();
  });
});

describe('A/B: every per-agent and per-channel measure has A, B and B − A', () => {
  it('sent, restarts, p95 latency and drops have their difference', async () => {
    const { outcomeRows, channelRows, latencyDeltaText } = await import('../../src/ui/lab/ab');
    const side = (sent: number, restarts: number, p95: number | null, dropped: number) => ({
      stateHash: '', events: 0, ticks: 0, sampleTicks: [], series: [], marks: [], markCounts: { failure: 0, heal: 0, violation: 0 },
      agents: [{ agent: 'pool', received: 10, sent, cpuShare: 500, failed: 0, restarts }],
      channels: [{ channel: 'a.out → b.in', received: 10, dropped, latencyMeanUs: 100, latencyP95Us: p95 }],
    });
    const [row] = outcomeRows(side(40, 1, 900, 2), side(55, 4, 1500, 0));
    expect([row.sentDelta, row.restartsDelta]).toEqual([15, 3]);
    const [channel] = channelRows(side(40, 1, 900, 2), side(55, 4, 1500, 0));
    expect([channel.latencyP95DeltaUs, channel.droppedDelta]).toEqual([600, -2]);
    expect(channelRows(side(0, 0, null, 0), side(0, 0, 1500, 0))[0].latencyP95DeltaUs).toBeNull();
    expect(latencyDeltaText(600)).toBe('+600 µs');
    expect(latencyDeltaText(-1500)).toBe('−1.5 ms');
    expect(latencyDeltaText(null)).toBe('–');
  });
});

describe('values with their unit', () => {
  it('says one failure, two failures, and percents and per mille without a space', () => {
    expect(withUnit(1, 'failures')).toBe('1 failure');
    expect(withUnit(2, 'failures')).toBe('2 failures');
    expect(withUnit(1, 'restarts')).toBe('1 restart');
    expect(withUnit(1, 'µs CPU')).toBe('1 µs CPU');
    expect(withUnit(97, '‰')).toBe('97‰');
    expect(withUnit(5, '')).toBe('5');
  });
});
