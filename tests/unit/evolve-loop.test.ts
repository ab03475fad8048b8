// The red/blue loop (src/lab/evolve/loop.ts): seeded and deterministic (the same plan and seed
// give the same hall, byte for byte; another seed another one), and its rules hold on every
// generation: the pool and suite stay within their limits, the champion is the best of its pool
// (the last champion, kept first, is beaten only by a better score), what it "defeated" it
// passed and what "defeated it" it failed, and forged tests that beat it join the suite.
// The loop is driven here by a stand-in evaluator that scores each trial from a hash of its
// spec (fast, and as deterministic as real trials); tests/unit/evolve-cli.test.ts and
// evolve-example.test.ts run real kernels.
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { textHash } from '../../src/kernel/hash';
import { formatPlanError } from '../../src/lab/plan';
import type { TrialLine } from '../../src/lab/trial';
import { planText } from '../helpers/evolve';
import { formatHall, loadEvolution, runEvolution, type Evaluator, type Evolution, type Hall } from '../../src/lab/evolve/index';

/** Scores each trial 0..100 from a hash of its variant's overrides and its seed: no kernel runs. */
function hashEvaluator(calls: { batches: number; trials: number } = { batches: 0, trials: 0 }): Evaluator {
  return {
    async run(text, trialCount) {
      const plan = parse(text) as { variants: { name: string; set?: Record<string, unknown> }[]; seeds: number[] };
      calls.batches++;
      calls.trials += trialCount;
      expect(plan.variants.length * plan.seeds.length).toBe(trialCount);
      const lines: TrialLine[] = [];
      for (let k = 0; k < trialCount; k++) {
        const variant = plan.variants[Math.floor(k / plan.seeds.length)];
        const seed = plan.seeds[k % plan.seeds.length];
        const set = variant.set ?? {};
        // Faults hurt, replicas help: a landscape with something to learn.
        const faults = Array.isArray(set['cluster.faults']) ? (set['cluster.faults'] as unknown[]).length : 0;
        const replicas = Number(set['agents.worker.replicas'] ?? 1);
        const noise = parseInt(textHash(`${JSON.stringify(set)}|${seed}`).slice(0, 4), 16) % 30;
        const score = Math.max(0, Math.min(100, 60 + replicas * 8 - faults * 7 + noise - 15));
        lines.push({ trial: k, variant: variant.name, params: {}, seed, events: 1, ticks: 1, stateHash: '0', metrics: { score }, link: `http://x/#${k}-${textHash(JSON.stringify(set))}` });
      }
      return lines;
    },
  };
}

async function load(text: string): Promise<Evolution> {
  const loaded = await loadEvolution(text);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
  return loaded.evolution;
}

function checkRules(hall: Hall, evolution: Evolution): void {
  const { plan } = evolution;
  let suiteBefore = 0;
  hall.entries.forEach((entry, generation) => {
    expect(entry.generation).toBe(generation);
    expect(entry.pool.length).toBeLessThanOrEqual(plan.blue.pool);
    expect(new Set(entry.pool.map((blue) => blue.id)).size).toBe(entry.pool.length);
    expect(entry.suite.size).toBeLessThanOrEqual(plan.red.suiteMax);
    expect(entry.suite.difficulty).toBeGreaterThanOrEqual(0);
    expect(entry.suite.difficulty).toBeLessThanOrEqual(1000);
    // The champion is the best of its pool; the last champion (kept first) loses its crown only to a better score.
    expect(entry.champion.score).toBe(Math.max(...entry.pool.map((blue) => blue.score)));
    const first = entry.pool.findIndex((blue) => blue.score === entry.champion.score);
    expect(entry.pool[first].id).toBe(entry.champion.id);
    if (generation > 0) expect(entry.pool[0].id).toBe(hall.entries[generation - 1].champion.id);
    for (const test of entry.defeated) expect(test.score).toBeGreaterThanOrEqual(plan.pass);
    for (const test of entry.defeatedBy) expect(test.score).toBeLessThan(plan.pass);
    const old = entry.defeatedBy.filter((test) => !test.forged);
    expect(entry.defeated.length + old.length).toBe(entry.suite.size);
    expect(entry.champion.passed).toBe(entry.defeated.length);
    expect(entry.defeatedBy.filter((test) => test.forged)).toHaveLength(entry.forge.effective);
    expect(entry.forge.effective).toBeLessThanOrEqual(plan.red.add);
    for (const test of [...entry.defeated, ...entry.defeatedBy]) {
      expect(test.faults.length).toBeLessThanOrEqual(plan.red.budget);
      for (const fault of test.faults) expect(['n1', 'n2']).toContain(fault.node);
      expect(test.link).toMatch(/^http:\/\/x\//);
    }
    // The forged tests that beat the champion are in the next suite (unless it is full of harder ones).
    if (generation > 0 && suiteBefore + hall.entries[generation - 1].forge.effective <= plan.red.suiteMax) {
      expect(entry.suite.size).toBe(suiteBefore + hall.entries[generation - 1].forge.effective);
      const ids = new Set([...entry.defeated, ...entry.defeatedBy].map((test) => test.id));
      for (const test of hall.entries[generation - 1].defeatedBy.filter((t) => t.forged)) expect(ids.has(test.id)).toBe(true);
    }
    suiteBefore = entry.suite.size;
  });
}

describe('the evolve loop', () => {
  it('gives the same hall for the same plan and seed, byte for byte, and another for another seed', async () => {
    const evolution = await load(planText());
    const calls = { batches: 0, trials: 0 };
    const a = formatHall(await runEvolution(evolution, { evaluator: hashEvaluator(calls) }));
    const b = formatHall(await runEvolution(evolution, { evaluator: hashEvaluator() }));
    expect(b).toBe(a);
    const hall = JSON.parse(a) as Hall;
    expect(hall.entries).toHaveLength(4);
    expect(hall.format).toBe('agentos-hall-of-fame');
    checkRules(hall, evolution);
    // A pair seen before is not run again: fewer trials than generations × (pool × suite + forge) × seeds.
    const naive = hall.entries.reduce((sum, entry) => sum + (entry.pool.length * entry.suite.size + entry.forge.candidates) * 2, 0);
    expect(calls.trials).toBeLessThan(naive);
    const other = formatHall(await runEvolution(await load(planText({ seed: 12 })), { evaluator: hashEvaluator() }));
    expect(other).not.toBe(a);
    // --generations: a shorter run is the longer one's beginning.
    const two = JSON.parse(formatHall(await runEvolution(evolution, { generations: 2, evaluator: hashEvaluator() }))) as Hall;
    expect(two.entries).toEqual(hall.entries.slice(0, 2));
  });

  it('keeps its rules for any seed and sizes (fast-check)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.record({ seed: fc.integer({ min: 0, max: 0xffff_ffff }), pool: fc.integer({ min: 2, max: 6 }), suiteMax: fc.integer({ min: 3, max: 8 }), forge: fc.integer({ min: 1, max: 6 }) }),
      async ({ seed, pool, suiteMax, forge }) => {
        const evolution = await load(planText({ seed, pool, suiteMax, forge, add: Math.min(2, forge) }));
        checkRules(await runEvolution(evolution, { generations: 3, evaluator: hashEvaluator() }), evolution);
      },
    ), { numRuns: 15 });
  }, 60_000);

  it('stops when cancelled, between batches', async () => {
    const evolution = await load(planText());
    const signal = { aborted: false };
    const evaluator = hashEvaluator();
    const run = runEvolution(evolution, { evaluator: { run: (text, count) => { signal.aborted = true; return evaluator.run(text, count); } }, signal });
    await expect(run).rejects.toThrow(/cancelled/);
  });

  it('refuses more generations than its limit, and a run that could pass the trials limit', async () => {
    const evolution = await load(planText());
    await expect(runEvolution(evolution, { generations: 0, evaluator: hashEvaluator() })).rejects.toThrow(/1 to 200 generations/);
    await expect(runEvolution(evolution, { generations: 201, evaluator: hashEvaluator() })).rejects.toThrow('expected 1 to 200 generations, got 201');
  });
});
