// The Experiments tab's A/B choices and parallel coordinates, from lines (no DOM): the worst and
// best trials, a seed's partners under other variants, the shared axes and per-agent differences;
// the axes of a grid sweep, a trial's place on each, and brushing as a filter of the trials.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPlan, type Plan } from '../../src/lab/plan';
import type { TrialLine } from '../../src/lab/trial';
import type { TrialTimeline } from '../../src/lab/timeline';
import { channelRows, latencyText, metricAtStop, outcomeRows, sameSeedPartners, sharedAxes, worstAndBest } from '../../src/ui/lab/ab';
import { axesOf, brushed, brushText, position } from '../../src/lab/parallel';

const PLAN = `agentos-experiment: 1
spec: priority-starvation.yaml
seeds: 3
stop: { events: 1000 }
variants:
  - { name: fair, set: { kernel.scheduler: fair } }
  - { name: eevdf, set: { kernel.scheduler: eevdf } }
grid:
  kernel.quantum: [500us, 1ms, 2ms]
metrics:
  jobs: agents.pool.received
  wait: agents.auditor.cpuTicks
objective: { maximize: jobs }
`;
const plan = (() => { const read = readPlan(PLAN); if (!read.ok) throw new Error(JSON.stringify(read.errors)); return read.plan; })() as Plan;
const QUANTA = ['500us', '1ms', '2ms'];
// Trial k = (v × 3 + g) × 3 + s, as the plan numbers them; jobs and wait made up from k.
const lines: TrialLine[] = Array.from({ length: 18 }, (_, k) => ({
  trial: k, variant: k < 9 ? 'fair' : 'eevdf', params: { 'kernel.quantum': QUANTA[Math.floor(k / 3) % 3] }, seed: (k % 3) + 1,
  events: 1000, ticks: 5000, stateHash: k.toString(16).padStart(16, '0'), metrics: { jobs: 100 + ((k * 37) % 50), wait: 10 * (k % 4) }, link: `https://x.test/#s2=${k}`,
}));

describe('A/B choices', () => {
  it('pick the worst and best trial by the objective, and a seed under the other variant', () => {
    const jobs = lines.map((line) => line.metrics.jobs);
    const pair = worstAndBest(lines, { metric: 'jobs', direction: 'maximize' })!;
    expect(lines[pair.a].metrics.jobs).toBe(Math.min(...jobs));
    expect(lines[pair.b].metrics.jobs).toBe(Math.max(...jobs));
    const flipped = worstAndBest(lines, { metric: 'jobs', direction: 'minimize' })!;
    expect(flipped).toEqual({ a: pair.b, b: pair.a });
    expect(worstAndBest(lines.slice(0, 1), undefined)).toBeUndefined();
    // Trial 4: fair, 1ms, seed 2 → eevdf, 1ms, seed 2 is trial 13.
    expect(sameSeedPartners(lines, lines[4]).map((line) => line.trial)).toEqual([13]);
  });
  it('write a trial’s metric at its stop in the metric’s unit', () => {
    expect(metricAtStop({ ...lines[0], metrics: { share: 11 } }, 'share', '‰')).toBe('11‰');
    expect(metricAtStop(lines[0], 'jobs', 'messages')).toBe(`${lines[0].metrics.jobs} messages`);
    expect(metricAtStop(lines[0], 'missing', '‰')).toBe('–');
    expect(metricAtStop(undefined, 'jobs', '')).toBe('–');
  });

  it('share the time and value axes between the sides, and take each agent’s difference B − A', () => {
    const timeline = (ticks: number, values: number[], received: number): TrialTimeline => ({
      stateHash: '', events: 1, ticks, sampleTicks: values.map((_, i) => (ticks * i) / (values.length - 1)), series: [{ name: 'jobs', values }],
      marks: [], markCounts: { failure: 0, heal: 0, violation: 0 },
      agents: [{ agent: 'pool', received, sent: 0, cpuShare: 600, failed: 1, restarts: 0 }, { agent: 'auditor', received: 5, sent: 0, cpuShare: 400, failed: 0, restarts: 0 }],
      channels: [{ channel: 'd.jobs → pool.jobs', received, dropped: 0, latencyMeanUs: received === 0 ? null : 100 * received, latencyP95Us: null }],
    });
    const a = timeline(4000, [0, 5, 10], 10), b = timeline(9000, [0, 20, 40], 40);
    const axes = sharedAxes(a, b, 'jobs');
    expect(axes.xMaxMs).toBe(9);
    expect(axes.yMin).toBe(0);
    expect(axes.yMax).toBeCloseTo(42, 10);
    expect(outcomeRows(a, b).map((row) => [row.agent, row.receivedDelta, row.cpuShareDelta, row.failedDelta])).toEqual([['pool', 30, 0, 0], ['auditor', 0, 0, 0]]);
    expect(channelRows(a, b).map((row) => [row.channel, row.receivedDelta, row.latencyDeltaUs])).toEqual([['d.jobs → pool.jobs', 30, 3000]]);
    expect(channelRows(a, timeline(1, [0, 0], 0))[0].latencyDeltaUs).toBeNull();
    expect([latencyText(850), latencyText(12_400), latencyText(null)]).toEqual(['850 µs', '12.4 ms', '–']);
  });
});

describe('parallel coordinates', () => {
  it('have an axis per varied thing and per metric, and place each trial on them', () => {
    const axes = axesOf(plan, lines);
    expect(axes.map((axis) => [axis.name, axis.kind])).toEqual([['variant', 'category'], ['kernel.quantum', 'category'], ['jobs', 'number'], ['wait', 'number']]);
    expect(position(axes[0], lines[0])).toBe(0);
    expect(position(axes[0], lines[17])).toBe(1);
    expect(position(axes[1], lines[3])).toBe(0.5); // 1ms: the middle of three
    const wait = axes[3];
    expect(position(wait, lines.find((line) => line.metrics.wait === 0)!)).toBe(0);
    expect(position(wait, lines.find((line) => line.metrics.wait === 30)!)).toBe(1);
  });

  it('keep the trials inside every brush, and say the brushes in words', () => {
    const axes = axesOf(plan, lines);
    // The top third of the quantum axis is 2ms; the top of variant is eevdf.
    const kept = brushed(lines, axes, { 'kernel.quantum': { from: 0.9, to: 1 }, variant: { from: 0.99, to: 0.6 } });
    expect(kept.map((line) => line.trial)).toEqual([15, 16, 17]);
    expect(brushText(axes[1], { from: 0.9, to: 1 })).toBe('kernel.quantum 2ms');
    expect(brushText(axes[2], { from: 0, to: 0.5 })).toMatch(/^jobs 10\d–12\d(\.\d+)?$/);
    expect(brushed(lines, axes, {})).toHaveLength(18);
    // Against a direct filter of the values, for any numeric brush.
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (from, to) => {
      const jobs = axes[2] as Extract<typeof axes[number], { kind: 'number' }>;
      const low = jobs.low + Math.min(from, to) * (jobs.high - jobs.low), high = jobs.low + Math.max(from, to) * (jobs.high - jobs.low);
      const slack = 1e-9 * (jobs.high - jobs.low); // the brush's own tolerance, in values
      const direct = lines.filter((line) => line.metrics.jobs >= low - slack && line.metrics.jobs <= high + slack).map((line) => line.trial);
      expect(brushed(lines, axes, { jobs: { from, to } }).map((line) => line.trial)).toEqual(direct);
    }));
  });
});
