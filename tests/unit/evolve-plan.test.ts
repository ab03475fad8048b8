// The evolve plan (src/lab/evolve/plan.ts, load.ts): read through the spec's document reader, every
// problem at its line:column — unknown keys, gene paths with a "did you mean" over whole paths,
// gene values and red settings the spec refuses, red nodes the spec lacks, the score's column —
// and hostile text never throws.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPlanError } from '../../src/lab/plan';
import { loadEvolution, readEvolvePlan } from '../../src/lab/evolve/index';

const EXAMPLE = readFileSync('public/examples/pipeline-hardening.evolve.yaml', 'utf8');

async function errorsOf(text: string): Promise<string[]> {
  const loaded = await loadEvolution(text);
  return loaded.ok ? [] : loaded.errors.map(formatPlanError);
}

/** The 1-based line:column of the first `needle` in `text` (plus `shift` columns). */
function at(text: string, needle: string, shift = 0): string {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1 + shift}`;
}

describe('evolve plans', () => {
  it('the example loads: its genes, red genome and score', async () => {
    const loaded = await loadEvolution(EXAMPLE);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatPlanError).join('\n'));
    const { plan, redNodes, spec } = loaded.evolution;
    expect(plan.blue.genes.map((gene) => gene.path)).toContain('supervisors.pipeline.intensity');
    expect(plan.blue.genes.find((gene) => gene.path === 'supervisors.pipeline.intensity')?.domain).toMatchObject({ kind: 'range', from: 1, to: 12 });
    expect(plan.red.faults).toEqual(['crash', 'partition']);
    expect(redNodes).toEqual(['n1', 'n2']);
    expect(spec.cluster.nodeCount).toBe(3);
    expect(plan.red.at).toEqual({ from: 20_000, to: 180_000, step: 1000 });
  });

  it('an unknown gene path is an error at the path, with a "did you mean" over the whole path', async () => {
    const text = EXAMPLE.replace('agents.worker.replicas:', 'agents.worker.replica:');
    const errors = await errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^blue\.genes\.agents\.worker\.replica: unknown path "agents\.worker\.replica": agents\.worker has no "replica" \(did you mean "agents\.worker\.replicas"\?\)/);
    expect(errors[0].endsWith(` at ${at(text, 'agents.worker.replica:')}`)).toBe(true);
    const supervisor = await errorsOf(EXAMPLE.replace('supervisors.pipeline.intensity:', 'supervisors.pipeline.intesity:'));
    expect(supervisor[0]).toMatch(/did you mean "supervisors\.pipeline\.intensity"\?/);
  });

  it('a gene value the spec refuses is an error at that value', async () => {
    const text = EXAMPLE.replace('[permanent, transient, temporary]', '[permanent, transient, sometimes]');
    const errors = await errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^blue\.genes\.agents\.worker\.restart\[2\]: agents\.worker\.restart="sometimes" makes the spec invalid: agents\.worker\.restart: expected one of/);
    expect(errors[0].endsWith(` at ${at(text, 'sometimes')}`)).toBe(true);
    const range = EXAMPLE.replace('{ from: 1, to: 12 }', '{ from: 1, to: 5000 }');
    const rangeErrors = await errorsOf(range);
    expect(rangeErrors[0]).toMatch(/intensity=5000 makes the spec invalid/);
    expect(rangeErrors[0].endsWith(` at ${at(range, '5000')}`)).toBe(true);
  });

  it('red: unknown nodes, unknown keys and kinds, loss that is no probability, a budget past its limit', async () => {
    expect((await errorsOf(EXAMPLE.replace('nodes: [n1, n2]', 'nodes: [n1, n7]')))[0]).toMatch(/red\.nodes: red\.nodes names "n7", which the spec does not have \(did you mean "n0"\?\); its nodes are n0, n1, n2 at \d+:\d+/);
    const kinds = EXAMPLE.replace('faults: [crash, partition]', 'faults: [crash, partitoin]');
    expect(await errorsOf(kinds)).toEqual([`red.faults[1]: expected one of crash, partition (did you mean "partition"?) at ${at(kinds, 'partitoin')}`]);
    const key = EXAMPLE.replace('  budget: 2 ', '  budgets: 2 ');
    expect((await errorsOf(key))[0]).toMatch(/^red\.budgets: unknown key "budgets" \(did you mean "budget"\?\)/);
    expect((await errorsOf(EXAMPLE.replace('loss: [0, 0.5%, 2%]', 'loss: [0, 0.5%, 200%]')))[0]).toMatch(/probability/);
    expect((await errorsOf(EXAMPLE.replace('  budget: 2 ', '  budget: 99 ')))[0]).toMatch(/^red\.budget: expected faults per test at most: an integer from 1 to 16 at \d+:\d+$/);
    expect((await errorsOf(EXAMPLE.replace('at: 20ms..180ms', 'at: 20')))[0]).toMatch(/red\.at: expected a duration/);
  });

  it('the score: an expression error at its column; a missing key; a wrong format', async () => {
    const text = EXAMPLE.replace('agents.sink.received * 100', 'agents.sink.recieved * 100');
    const errors = await errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^score: .*recieved/);
    expect(errors[0].endsWith(` at ${at(text, 'agents.sink.recieved', 'agents.sink.'.length)}`)).toBe(true);
    expect(await errorsOf(EXAMPLE.replace(/^pass: .*$/m, ''))).toEqual(['missing required key "pass" at 1:1']);
    expect((await errorsOf(EXAMPLE.replace('agentos-evolve: 1', 'agentos-evolve: 2')))[0]).toMatch(/unsupported evolve plan format 2/);
    expect((await errorsOf(EXAMPLE.replace('agentos-evolve: 1', 'agentos-experiment: 1')))[0]).toMatch(/unknown key "agentos-experiment"/);
  });

  it('a path set by blue and red is refused', async () => {
    const text = EXAMPLE.replace('agents.source.args.every: [200us, 170us, 140us]', 'agents.worker.replicas: [1, 2]');
    expect((await errorsOf(text))[0]).toMatch(/red\.load agents\.worker\.replicas overlaps the blue gene agents\.worker\.replicas/);
  });

  it('never throws on hostile text, and a changed byte of the example is read or refused with a place', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => {
      const read = readEvolvePlan(text);
      if (!read.ok) for (const error of read.errors) expect(error.line).toBeGreaterThanOrEqual(1);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.integer({ min: 0, max: EXAMPLE.length - 1 }), fc.integer({ min: 0, max: 127 }), (index, code) => {
      const read = readEvolvePlan(EXAMPLE.slice(0, index) + String.fromCharCode(code) + EXAMPLE.slice(index + 1));
      if (!read.ok) for (const error of read.errors) expect(formatPlanError(error)).toMatch(/ at \d+:\d+$/);
    }), { numRuns: 300 });
  });
});

describe('the evolve reference', () => {
  it('names every key the reader takes, and nothing else', async () => {
    const { EVOLVE_REFERENCE } = await import('../../src/lab/evolve/reference');
    const { EVOLVE_KEYS, BLUE_KEYS, RED_KEYS } = await import('../../src/lab/evolve/plan');
    const expected = [...EVOLVE_KEYS.filter((key) => key !== 'blue' && key !== 'red'), ...BLUE_KEYS.map((key) => `blue.${key}`), ...RED_KEYS.map((key) => `red.${key}`)];
    expect(EVOLVE_REFERENCE.map((entry) => entry.key).sort()).toEqual(expected.sort());
  });
});
