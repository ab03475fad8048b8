// A trial over time (the A/B view): replayed from its line's link it reaches the line's
// stateHash; each sample equals the metric of a fresh run stopped at that tick; the last sample
// is the line's metric; failures and restarts are marked at their ticks; a link that is not the
// line's is refused.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/core';
import { compileExpression } from '../../src/expr/index';
import { Kernel } from '../../src/kernel/kernel';
import { exprContext } from '../../src/kernel/spec-checks';
import { loadExperiment } from '../../src/lab/experiment';
import { formatPlanError } from '../../src/lab/plan';
import { trialTimeline, TIMELINE_MARKS_MAX } from '../../src/lab/timeline';
import { TrialRunner } from '../../src/lab/trial';
import { decodeSessionLink } from '../../src/share/link';
import { loadDebugCore } from '../helpers/core';

let core: Core;
beforeAll(async () => { core = await loadDebugCore(); });

const PLAN = `agentos-experiment: 1
spec: crash-restart.yaml
seeds: [3, 4]
stop: { ticks: 60ms }
variants:
  - { name: base }
  - { name: steady, set: { agents.flaky.restart.max: 50 } }
metrics:
  done: agents.flaky.received
  restarts: agents.flaky.restarts
`;

describe('trial timelines', () => {
  it('sample each metric over ticks as a fresh run stopped there does, end at the line, and mark failures and restarts', async () => {
    const loaded = await loadExperiment(PLAN, { readSpecFile: (path) => readFileSync(`public/examples/${path}`, 'utf8') });
    if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
    const runner = new TrialRunner(loaded.experiment, core);
    const line = await runner.run(1);
    const metrics = loaded.experiment.plan.metrics.map(({ name, expr }) => ({ name, expr }));
    const timeline = await trialTimeline(line.link, metrics, core, { samples: 13, expectedHash: line.stateHash });
    expect({ stateHash: timeline.stateHash, events: timeline.events, ticks: timeline.ticks }).toEqual({ stateHash: line.stateHash, events: line.events, ticks: line.ticks });
    expect(timeline.sampleTicks).toHaveLength(13);
    expect(timeline.sampleTicks[0]).toBe(0);
    expect(timeline.sampleTicks[12]).toBe(line.ticks);
    expect(timeline.series.map((series) => series.name)).toEqual(['done', 'restarts']);
    expect(timeline.series.map((series) => series.values[12])).toEqual([line.metrics.done, line.metrics.restarts]);

    // Independently: a fresh kernel run to each sample tick (the events at or before it).
    const session = await decodeSessionLink(line.link);
    for (const index of [3, 6, 9]) {
      const kernel = Kernel.fromText(session.spec, core, { seed: session.seed });
      kernel.run({ ticks: timeline.sampleTicks[index] });
      const done = compileExpression('agents.flaky.received', exprContext(kernel.spec), 'value').evaluate(kernel.exprView);
      expect(timeline.series[0].values[index], `sample ${index} at tick ${timeline.sampleTicks[index]}`).toBe(Number(done));
    }
    // Counts never go down over time.
    for (const series of timeline.series) for (let i = 1; i < series.values.length; i++) expect(series.values[i]).toBeGreaterThanOrEqual(series.values[i - 1]);

    // Failures (5% of jobs crash) and restarts are marked where they happened, in order.
    expect(timeline.markCounts.failure).toBeGreaterThan(0);
    expect(timeline.markCounts.heal).toBeGreaterThan(0);
    expect(timeline.marks.length).toBeLessThanOrEqual(TIMELINE_MARKS_MAX);
    const failure = timeline.marks.find((mark) => mark.kind === 'failure')!;
    expect(failure.label).toMatch(/^process\/failed (flaky|fragile)\[0\] \(injected\)$/);
    for (let i = 1; i < timeline.marks.length; i++) expect(timeline.marks[i].tick).toBeGreaterThanOrEqual(timeline.marks[i - 1].tick);
    for (const mark of timeline.marks) expect(mark.tick).toBeLessThanOrEqual(line.ticks);
    expect(timeline.markCounts.heal).toBeGreaterThanOrEqual(line.metrics.restarts);

    // Per agent at the stop: throughput and CPU share (per mille, summing to about 1000).
    const flaky = timeline.agents.find((agent) => agent.agent === 'flaky')!;
    expect(flaky.received).toBe(line.metrics.done);
    expect(flaky.restarts).toBe(line.metrics.restarts);
    const share = timeline.agents.reduce((sum, agent) => sum + agent.cpuShare, 0);
    expect(Math.abs(share - 1000)).toBeLessThanOrEqual(timeline.agents.length);

    // Per channel: every message the flaky worker received came through its channel, each after it was sent.
    const into = timeline.channels.filter((channel) => channel.channel.endsWith('→ flaky.work'));
    expect(into.reduce((sum, channel) => sum + channel.received, 0)).toBe(flaky.received);
    for (const channel of timeline.channels) {
      if (channel.received === 0) { expect(channel.latencyMeanUs).toBeNull(); continue; }
      expect(channel.latencyMeanUs).toBeGreaterThanOrEqual(0);
      expect(channel.latencyP95Us).toBeGreaterThanOrEqual(channel.latencyMeanUs! > 0 ? 1 : 0);
    }

    // Independently for the first channel (FIFO, nothing dropped): the k-th message received is the k-th sent.
    expect(timeline.channels[0].dropped).toBe(0);
    const replay = Kernel.fromSession(session, core);
    const journal = replay.machine.journal;
    const sentTicks: number[] = [], waits: number[] = [];
    for (let seq = 0; seq < replay.cursor; seq++) {
      const event = journal.event(seq);
      if (event.type === 'ipc/sent' && event.channel === 0) sentTicks.push(event.tick);
      if (event.type === 'ipc/received' && event.channel === 0) waits.push(event.tick - sentTicks[waits.length]);
    }
    expect(timeline.channels[0].received).toBe(waits.length);
    expect(timeline.channels[0].latencyMeanUs).toBe(Math.round(waits.reduce((a, b) => a + b, 0) / waits.length));

    // A link that is not the line's is refused.
    await expect(trialTimeline(line.link, metrics, core, { expectedHash: '0000000000000000' })).rejects.toThrow(/replays to stateHash [0-9a-f]{16}, not 0000000000000000/);
  }, 60_000);
});
