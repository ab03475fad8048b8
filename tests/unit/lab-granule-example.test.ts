// public/examples/small-objects-granules.experiment.yaml: the small-objects example under 16- and
// 8-byte heap granules. The parser leaks 24 + 40 + 72 = 136 bytes a step, rounded to 160 under
// 16-byte granules: with 8-byte granules the same 256KiB heap holds about 18% more of its steps.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/lab/experiment';
import { formatPlanError } from '../../src/lab/plan';
import { TrialRunner } from '../../src/lab/trial';
import { loadDebugCore } from '../helpers/core';

describe('the small-objects granule experiment', () => {
  it('8-byte granules let the parser get further before its heap runs out, on every seed tried', async () => {
    const loaded = await loadExperiment(readFileSync('public/examples/small-objects-granules.experiment.yaml', 'utf8'), { readSpecFile: (path) => readFileSync(`public/examples/${path}`, 'utf8') });
    if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
    const { experiment } = loaded;
    expect(experiment.trialCount).toBe(20);
    expect(experiment.configurations.map((c) => [c.variant, c.spec.kernel.granuleBytes ?? 16])).toEqual([['granule-16', 16], ['granule-8', 8]]);
    const runner = new TrialRunner(experiment, await loadDebugCore());
    const trials = experiment.trialCount / 2;
    for (const seed of [0, 1]) {
      const [coarse, fine] = [await runner.run(seed), await runner.run(trials + seed)];
      expect([coarse.variant, fine.variant]).toEqual(['granule-16', 'granule-8']);
      expect(coarse.metrics.parser_failed).toBe(1);
      expect(fine.metrics.parser_failed).toBe(1);
      // 160 / 136 = 1.176: the parser's work before it runs out grows by about that.
      const gain = fine.metrics.parser_work / coarse.metrics.parser_work;
      expect(gain).toBeGreaterThan(1.12);
      expect(gain).toBeLessThan(1.22);
    }
  }, 120_000);
});
