// The heal off vs heal on experiments (issue 13): one plan per autonomy example. The memory-leak
// one runs headless over its 10 seeds: with healing on the cache is restarted before its
// allocation fails, so failures drop from one per seed to none; the others load and their first
// seeds show the difference their description promises.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/lab/experiment';
import { formatPlanError } from '../../src/lab/plan';
import { buildReport } from '../../src/lab/report';
import { TrialRunner, type TrialLine } from '../../src/lab/trial';
import { loadDebugCore } from '../helpers/core';

const readSpecFile = (path: string) => readFileSync(`public/examples/${path}`, 'utf8');

async function load(file: string) {
  const loaded = await loadExperiment(readFileSync(`public/examples/${file}`, 'utf8'), { readSpecFile });
  if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
  return loaded.experiment;
}

describe('heal off vs heal on, per autonomy example', () => {
  it('memory-leak: over 10 seeds, failures drop from one per seed to none with healing on', async () => {
    const experiment = await load('memory-leak-healing.experiment.yaml');
    expect(experiment.configurations.map((c) => [c.variant, c.spec.autonomy?.heal])).toEqual([['heal-off', false], ['heal-on', true]]);
    expect(experiment.trialCount).toBe(20);
    const runner = new TrialRunner(experiment, await loadDebugCore());
    const lines: TrialLine[] = [];
    for (let k = 0; k < experiment.trialCount; k++) lines.push(await runner.run(k));
    for (const line of lines) {
      if (line.variant === 'heal-off') expect(line.metrics.failures, `SEED=${line.seed} heal-off`).toBe(1);
      else {
        expect(line.metrics.failures, `SEED=${line.seed} heal-on`).toBe(0);
        expect(line.metrics.restarts, `SEED=${line.seed} heal-on: restarted preemptively`).toBeGreaterThan(0);
      }
    }
    // The seeds differ (the service's work is drawn), so this is 10 runs, not one repeated.
    expect(new Set(lines.filter((line) => line.variant === 'heal-on').map((line) => line.metrics.service_cpu)).size).toBeGreaterThan(1);
    const report = buildReport(lines, { objectives: experiment.plan.objectives });
    expect(report.comparisons.find((c) => c.metric === 'failures' && c.variant === 'heal-on')?.sentence).toMatch(/^heal-on: failures 100% lower than heal-off/);
  }, 180_000);

  it('self-healing and deadlock: load, and healing on does better on their first seeds', async () => {
    for (const [file, metric] of [
      ['self-healing.experiment.yaml', 'parsed'],
      ['deadlock-healing.experiment.yaml', 'exchanged'],
    ] as const) {
      const experiment = await load(file);
      expect(experiment.configurations.map((c) => c.variant)).toEqual(['heal-off', 'heal-on']);
      expect(experiment.plan.seeds).toHaveLength(10);
      const runner = new TrialRunner(experiment, await loadDebugCore());
      const off = [await runner.run(0), await runner.run(1)], on = [await runner.run(10), await runner.run(11)];
      for (let i = 0; i < 2; i++) expect(on[i].metrics[metric], `${file} seed ${on[i].seed}`).toBeGreaterThan(off[i].metrics[metric]);
    }
  }, 180_000);
});

// The crash loop, starvation and congested pipeline: each plan's 20 trials headless; healing on
// does better on every seed by a margin, and the report's sentence says so. Margins, not results:
// the numbers come from the runs.
describe('heal off vs heal on: crash loop, starvation, congested pipeline', () => {
  async function runAll(file: string) {
    const experiment = await load(file);
    expect(experiment.configurations.map((c) => [c.variant, c.spec.autonomy?.heal])).toEqual([['heal-off', false], ['heal-on', true]]);
    expect(experiment.plan.seeds).toHaveLength(10);
    const runner = new TrialRunner(experiment, await loadDebugCore());
    const lines: TrialLine[] = [];
    for (let k = 0; k < experiment.trialCount; k++) lines.push(await runner.run(k));
    const bySeed = new Map<number, { off?: TrialLine; on?: TrialLine }>();
    for (const line of lines) {
      const pair = bySeed.get(line.seed) ?? {};
      pair[line.variant === 'heal-on' ? 'on' : 'off'] = line;
      bySeed.set(line.seed, pair);
    }
    const pairs = [...bySeed.values()].map(({ off, on }) => ({ off: off!, on: on! }));
    expect(pairs).toHaveLength(10);
    const report = buildReport(lines, { objectives: experiment.plan.objectives });
    const sentence = (metric: string) => report.comparisons.find((c) => c.metric === metric && c.variant === 'heal-on')?.sentence ?? '';
    return { pairs, sentence };
  }

  it('crash loop: healing raises the memory limit; restarts fall at least fivefold and thumbnails rise on every seed', async () => {
    const { pairs, sentence } = await runAll('crash-loop-healing.experiment.yaml');
    for (const { off, on } of pairs) {
      expect(off.metrics.restarts, `SEED=${off.seed} heal-off loops`).toBeGreaterThanOrEqual(10);
      expect(on.metrics.restarts * 5, `SEED=${on.seed}`).toBeLessThan(off.metrics.restarts);
      expect(on.metrics.thumbnails, `SEED=${on.seed}`).toBeGreaterThan(off.metrics.thumbnails * 1.1);
    }
    expect(new Set(pairs.map(({ off }) => off.metrics.restarts)).size).toBeGreaterThan(1); // ten different runs
    expect(sentence('restarts')).toMatch(/^heal-on: restarts [\d.]+% lower than heal-off/);
    expect(sentence('thumbnails')).toMatch(/^heal-on: thumbnails [\d.]+% higher than heal-off/);
  }, 180_000);

  it('starvation: healing switches the node to fair; the auditor gets at least three times the CPU on every seed', async () => {
    const { pairs, sentence } = await runAll('starvation-healing.experiment.yaml');
    for (const { off, on } of pairs) {
      expect(on.metrics.auditor_cpu, `SEED=${on.seed}`).toBeGreaterThan(3 * off.metrics.auditor_cpu);
      // What it costs the pool: some jobs, never most of them.
      expect(on.metrics.jobs, `SEED=${on.seed}`).toBeGreaterThan(0.8 * off.metrics.jobs);
    }
    expect(sentence('auditor_cpu')).toMatch(/^heal-on: auditor_cpu [\d.]+% higher than heal-off/);
  }, 180_000);

  it('congested pipeline: healing adds enrich replicas; at least 1.5x the orders stored and fewer waiting on every seed, none shed', async () => {
    const { pairs, sentence } = await runAll('congested-pipeline-healing.experiment.yaml');
    for (const { off, on } of pairs) {
      expect(off.metrics.replicas).toBe(1);
      expect(on.metrics.replicas, `SEED=${on.seed}`).toBeGreaterThan(1);
      expect(on.metrics.stored, `SEED=${on.seed}`).toBeGreaterThan(1.5 * off.metrics.stored);
      expect(on.metrics.waiting, `SEED=${on.seed}`).toBeLessThan(off.metrics.waiting);
      expect(on.metrics.dropped, `SEED=${on.seed}: replicas, not shedding`).toBe(0);
    }
    expect(sentence('stored')).toMatch(/^heal-on: stored [\d.]+% higher than heal-off/);
    expect(sentence('waiting')).toMatch(/^heal-on: waiting [\d.]+% lower than heal-off/);
  }, 180_000);
});
