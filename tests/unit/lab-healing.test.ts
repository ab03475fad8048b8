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
