// Running trials: each line is deterministic, has its keys in one order, and its link replays to
// its stateHash (events and ticks too), for stops by events and by ticks.
import { readFileSync } from 'node:fs';
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
