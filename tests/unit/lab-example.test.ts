// public/examples/starvation-policies.experiment.yaml: fair vs eevdf vs round-robin (and
// priority) on the priority-starvation example. It loads, and one seed per scheduler shows
// what the experiment is for: under priority the auditor starves; round-robin gives it the most.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/lab/experiment';
import { formatPlanError } from '../../src/lab/plan';
import { buildReport } from '../../src/lab/report';
import { TrialRunner, type TrialLine } from '../../src/lab/trial';
import { loadDebugCore } from '../helpers/core';

const readSpecFile = (path: string) => readFileSync(`public/examples/${path}`, 'utf8');

describe('the starvation-policies experiment', () => {
  it('runs fair, eevdf, round-robin and priority over 10 seeds; the auditor starves only under priority', async () => {
    const loaded = await loadExperiment(readFileSync('public/examples/starvation-policies.experiment.yaml', 'utf8'), { readSpecFile });
    if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
    const { experiment } = loaded;
    expect(experiment.configurations.map((c) => [c.variant, c.spec.kernel.scheduler])).toEqual([['fair', 'fair'], ['eevdf', 'eevdf'], ['round-robin', 'round-robin'], ['priority', 'priority']]);
    expect(experiment.plan.seeds).toHaveLength(10);
    expect(experiment.trialCount).toBe(40);
    // The first two seeds of each variant (trials 0, 1, 10, 11, ...).
    const runner = new TrialRunner(experiment, await loadDebugCore());
    const lines: TrialLine[] = [];
    for (const k of [0, 1, 10, 11, 20, 21, 30, 31]) lines.push(await runner.run(k));
    for (const line of lines) expect(line.ticks).toBeLessThanOrEqual(1_000_000);
    const report = buildReport(lines, { objectives: experiment.plan.objectives });
    const share = Object.fromEntries(report.variants.map(({ group, summaries }) => [group.variant, summaries.auditor_share.mean]));
    expect(share.priority).toBeLessThan(30);            // about 1%: starved
    expect(share.fair).toBeGreaterThan(80);             // about 10%: its weighted share
    expect(share.eevdf).toBeGreaterThan(80);
    expect(share['round-robin']).toBeGreaterThan(150);  // 1 of 5 processes, whatever its priority
    // The seeds differ (jittered job sizes), so the intervals mean something.
    expect(new Set(lines.filter((line) => line.variant === 'fair').map((line) => line.metrics.jobs)).size).toBe(2);
    expect(report.comparisons.find((c) => c.metric === 'auditor_share' && c.variant === 'priority')?.sentence).toMatch(/^priority: auditor_share \d+(\.\d+)?% lower than fair/);
  }, 120_000);
});
