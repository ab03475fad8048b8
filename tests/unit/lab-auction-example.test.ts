// public/examples/auction-budgets.experiment.yaml: budgeted bidders under first and second price.
// Its lines carry the economy (src/lab/economy.ts) through the line format and into the report's
// "Economic efficiency" section; first price makes winners pay more and denies more bids.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/lab/experiment';
import { formatPlanError } from '../../src/lab/plan';
import { buildReport, reportHtml, reportMarkdown } from '../../src/lab/report';
import { formatTrialLine, TrialRunner, type TrialLine } from '../../src/lab/trial';
import { parseTrialLines } from '../../src/lab/lines';
import { loadDebugCore } from '../helpers/core';

describe('the auction-budgets experiment', () => {
  it('first vs second price at three budgets: the economy in every line and in the report', async () => {
    const loaded = await loadExperiment(readFileSync('public/examples/auction-budgets.experiment.yaml', 'utf8'));
    if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
    const { experiment } = loaded;
    expect(experiment.trialCount).toBe(30);
    expect(experiment.configurations.map((c) => [c.variant, c.spec.resources[0].auction, c.spec.agents[0].budget])).toEqual([
      ['first-price', 'first-price', 200], ['first-price', 'first-price', 600], ['first-price', 'first-price', 2000],
      ['second-price', 'second-price', 200], ['second-price', 'second-price', 600], ['second-price', 'second-price', 2000],
    ]);
    const runner = new TrialRunner(experiment, await loadDebugCore());
    const lines: TrialLine[] = [];
    for (const k of [0, 1, 15, 16]) lines.push(await runner.run(k)); // budget 200, seeds 1 and 2, each auction
    for (const line of lines) {
      expect(line.economy, `trial ${line.trial}`).toBeDefined();
      expect(line.economy!.bids).toBe(line.economy!.grants + line.economy!.denied + line.economy!.timedOut);
      expect(line.metrics.spent).toBe(line.economy!.paid); // agents.*.spent sums what the grants paid
    }
    const [first, , second] = lines;
    expect(first.economy!.paid / first.economy!.grants).toBeGreaterThan(second.economy!.paid / second.economy!.grants);
    expect(first.economy!.denied).toBeGreaterThan(0);

    // The economy survives the line format (write, read back) and reaches the report.
    const text = lines.map(formatTrialLine).join('\n');
    expect(text).toContain('"economy":{"bids":');
    const read = parseTrialLines(text, 'runs.jsonl');
    expect(read.map((line) => line.economy)).toEqual(lines.map((line) => line.economy));
    const report = buildReport(read, { objectives: experiment.plan.objectives });
    expect(report.economy.map((row) => row.variant)).toEqual(['first-price', 'second-price']);
    expect(reportMarkdown(report)).toContain('## Economic efficiency');
    expect(reportHtml(report, read)).toContain('<h2>Economic efficiency</h2>');
    expect(() => parseTrialLines(text.replace('"economy":{"bids":', '"economy":{"bids":-'), 'bad.jsonl')).toThrow(/bad\.jsonl:1: economy\.bids: expected a count/);
  }, 120_000);
});
