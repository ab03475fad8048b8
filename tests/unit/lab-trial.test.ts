// Running trials: each line is deterministic, has its keys in one order, and its link replays to
// its stateHash (events and ticks too), for stops by events and by ticks.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/core';
import { Kernel } from '../../src/kernel/kernel';
import { loadExperiment } from '../../src/lab/experiment';
import { formatPlanError } from '../../src/lab/plan';
import { formatTrialLine, TrialRunner } from '../../src/lab/trial';
import { decodeSessionLink } from '../../src/share/link';
import { loadDebugCore } from '../helpers/core';

let core: Core;
beforeAll(async () => { core = await loadDebugCore(); });

const readSpecFile = (path: string) => readFileSync(`public/examples/${path}`, 'utf8');

async function experimentOf(text: string) {
  const result = await loadExperiment(text, { readSpecFile });
  if (!result.ok) throw new Error(result.errors.map(formatPlanError).join('\n'));
  return result.experiment;
}

const PLAN = `agentos-experiment: 1
spec: priority-starvation.yaml
seeds: [1, 2]
stop: { events: 3000 }
variants:
  - { name: priority }
  - { name: eevdf, set: { kernel.scheduler: eevdf, agents.pool.args.work: 500us..1500us } }
metrics:
  jobs: agents.pool.received
  auditor: agents.auditor.cpuTicks
  starved: agents.auditor.cpuTicks < 10ms
`;

describe('trials', () => {
  it('every line has its keys in order, is the same when run again, and its link replays to its stateHash', async () => {
    const experiment = await experimentOf(PLAN);
    const runner = new TrialRunner(experiment, core, { base: 'https://agentos.test/' });
    const lines = [];
    for (let k = 0; k < experiment.trialCount; k++) lines.push(await runner.run(k));
    expect(lines.map((line) => Object.keys(JSON.parse(formatTrialLine(line))))).toEqual(lines.map(() => ['trial', 'variant', 'params', 'seed', 'events', 'ticks', 'stateHash', 'metrics', 'link']));
    expect(lines.map((line) => [line.trial, line.variant, line.seed, line.events])).toEqual([[0, 'priority', 1, 3000], [1, 'priority', 2, 3000], [2, 'eevdf', 1, 3000], [3, 'eevdf', 2, 3000]]);
    expect(Object.keys(lines[0].metrics)).toEqual(['jobs', 'auditor', 'starved']);
    expect([0, 1]).toContain(lines[0].metrics.starved);
    // The jittered job sizes make the seeds differ under eevdf.
    expect(lines[2].metrics.jobs === lines[3].metrics.jobs && lines[2].ticks === lines[3].ticks).toBe(false);
    // Determinism: a fresh runner gives the same text.
    const again = new TrialRunner(experiment, core, { base: 'https://agentos.test/' });
    expect(formatTrialLine(await again.run(3))).toBe(formatTrialLine(lines[3]));
    for (const line of lines) {
      expect(line.link.startsWith('https://agentos.test/#s2=')).toBe(true);
      const session = await decodeSessionLink(line.link);
      expect(session.seed).toBe(line.seed);
      const replayed = Kernel.fromSession(session, core);
      expect({ trial: line.trial, events: replayed.cursor, ticks: replayed.tick, stateHash: replayed.stateHash() }).toEqual({ trial: line.trial, events: line.events, ticks: line.ticks, stateHash: line.stateHash });
    }
  });

  it('a stop by ticks ends at the last event within that time, and the link replays to it', async () => {
    const experiment = await experimentOf(PLAN.replace('stop: { events: 3000 }', 'stop: { ticks: 30ms }'));
    const line = await new TrialRunner(experiment, core).run(2);
    expect(line.ticks).toBeLessThanOrEqual(30_000);
    expect(line.ticks).toBeGreaterThan(25_000);
    const replayed = Kernel.fromSession(await decodeSessionLink(line.link), core);
    expect([replayed.cursor, replayed.stateHash()]).toEqual([line.events, line.stateHash]);
  });

  it('metrics are read at the stop point', async () => {
    const experiment = await experimentOf(PLAN.replace('seeds: [1, 2]', 'seeds: [5]').replace('starved: agents.auditor.cpuTicks < 10ms', 'now: tick'));
    const line = await new TrialRunner(experiment, core).run(0);
    expect(line.metrics.now).toBe(line.ticks);
    const kernel = Kernel.fromText(experiment.configurations[0].specText, core, { seed: 5 });
    kernel.run({ events: 3000 });
    expect(line.metrics.jobs).toBe(kernel.agents().find((agent) => agent.agent === 'pool')!.received);
  });
});

describe('a trial in slices', () => {
  // Specs that stop on the count, go quiet (deadlock), heal themselves, check invariants, crash and restart.
  const SPECS = ['priority-starvation.yaml', 'deadlock.yaml', 'self-healing.yaml', 'partition-invariant.yaml', 'crash-loop.yaml'];
  const planOf = (spec: string, stop: string) => `agentos-experiment: 1\nspec: ${spec}\nseeds: [1, 9]\nstop: ${stop}\nmetrics:\n  now: tick\n`;

  it('gives the line run in one go, whatever the slice, for stops by events and by ticks', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...SPECS), fc.constantFrom('{ events: 2500 }', '{ ticks: 40ms }', '{ events: 1800, ticks: 25ms }'), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 3000 }),
      async (spec, stop, k, every) => {
        const experiment = await experimentOf(planOf(spec, stop));
        const whole = formatTrialLine(await new TrialRunner(experiment, core).run(k));
        let pauses = 0;
        const sliced = formatTrialLine(await new TrialRunner(experiment, core).run(k, { every, pause: async () => { pauses++; } }));
        expect(sliced).toBe(whole);
        expect(pauses).toBeLessThanOrEqual(Math.ceil(JSON.parse(whole).events / every));
      },
    ), { numRuns: 25 });
  }, 120_000);

  it('pauses between slices: once per slice but the last', async () => {
    const experiment = await experimentOf(planOf('priority-starvation.yaml', '{ events: 2500 }'));
    for (const [every, expected] of [[1000, 2], [500, 4], [2500, 0], [5000, 0], [7, 357]] as const) {
      let pauses = 0;
      const line = await new TrialRunner(experiment, core).run(0, { every, pause: async () => { pauses++; } });
      expect({ every, events: line.events, pauses }).toEqual({ every, events: 2500, pauses: expected });
    }
  });
});
