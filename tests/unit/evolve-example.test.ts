// public/examples/pipeline-hardening.evolve.yaml: four generations of red against blue on real
// kernels. Red's suite grows (tests forged against the spread-out champion cut off or crash the
// node holding its queue), and the champion's score against the growing red suite does not fall:
// every generation's champion, measured on the final suite (the same tests for all), scores at
// least as well as the one before, and the last passes every test red found.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCoreFromDisk } from '../../src/core/node';
import { formatPlanError } from '../../src/lab/plan';
import { loadEvolution, localEvaluator, runEvolution } from '../../src/lab/evolve/index';

describe('the pipeline-hardening evolve example', () => {
  it('hardens: the suite grows and the champion\'s score against it never falls', async () => {
    const loaded = await loadEvolution(readFileSync('public/examples/pipeline-hardening.evolve.yaml', 'utf8'));
    if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
    // The release core: 4 generations are about 150 trials (the debug core's assertions are covered by the other lab tests).
    const hall = await runEvolution(loaded.evolution, { evaluator: localEvaluator(await loadCoreFromDisk('release')) });
    expect(hall.entries).toHaveLength(4);
    const sizes = hall.entries.map((entry) => entry.suite.size);
    expect(sizes[sizes.length - 1]).toBeGreaterThan(sizes[0]);
    expect(hall.entries.some((entry) => entry.defeatedBy.some((test) => test.forged))).toBe(true);
    const final = hall.final!;
    expect(final.suite.length).toBeGreaterThan(1);
    const scores = final.scores.map((row) => row.score);
    for (let generation = 1; generation < scores.length; generation++) expect(scores[generation], `generation ${generation}: ${scores.join(', ')}`).toBeGreaterThanOrEqual(scores[generation - 1]);
    expect(scores[scores.length - 1]).toBeGreaterThan(scores[0]);
    expect(final.scores[final.scores.length - 1].passed).toBe(final.suite.length);
    // Every red test that defeated a champion replays: its link carries its faults.
    const forged = hall.entries.flatMap((entry) => entry.defeatedBy).find((test) => test.faults.length > 0)!;
    expect(forged.link).toMatch(/^http:\/\/localhost:4173\/#s2=/);
  }, 600_000);
});
