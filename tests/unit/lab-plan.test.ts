// Experiment plans: read, checked against the spec (override paths, values, metrics) with
// line:column errors, and expanded into trials in plan order.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadExperiment, parseShard, shardTrials, trialAt } from '../../src/lab/experiment';
import { formatPlanError, readPlan } from '../../src/lab/plan';
import { encodeSessionLink } from '../../src/share/link';

const readSpecFile = (path: string) => readFileSync(`public/examples/${path}`, 'utf8');

const PLAN = `agentos-experiment: 1
name: quantum and policy
spec: priority-starvation.yaml
seeds: 3
stop: { events: 5000 }
variants:
  - { name: fair,  set: { kernel.scheduler: fair } }
  - { name: eevdf, set: { kernel.scheduler: eevdf } }
grid:
  kernel.quantum: [500us, 1ms]
  agents.pool.replicas: [2, 3]
metrics:
  jobs: agents.pool.received
  auditor: agents.auditor.cpuTicks
objective: { maximize: jobs }
`;

async function errorsOf(text: string): Promise<string[]> {
  const result = await loadExperiment(text, { readSpecFile });
  if (result.ok) throw new Error('expected the plan to be refused');
  return result.errors.map(formatPlanError);
}

describe('experiment plans', () => {
  it('expands variants × grid × seeds into trials numbered variant-major, then grid point (first key slowest), then seed', async () => {
    const result = await loadExperiment(PLAN, { readSpecFile });
    if (!result.ok) throw new Error(result.errors.map(formatPlanError).join('\n'));
    const { experiment } = result;
    expect(experiment.configurations).toHaveLength(8);
    expect(experiment.trialCount).toBe(24);
    const order = Array.from({ length: 24 }, (_, k) => trialAt(experiment, k)).map((t) => `${t.variant} ${t.params['kernel.quantum']} ${t.params['agents.pool.replicas']} ${t.seed}`);
    expect(order.slice(0, 7)).toEqual(['fair 500us 2 1', 'fair 500us 2 2', 'fair 500us 2 3', 'fair 500us 3 1', 'fair 500us 3 2', 'fair 500us 3 3', 'fair 1ms 2 1']);
    expect(order[12]).toBe('eevdf 500us 2 1');
    expect(order[23]).toBe('eevdf 1ms 3 3');
    // The overrides are in each configuration's spec, which the spec parser accepted.
    const last = experiment.configurations[7];
    expect(last.spec.kernel).toMatchObject({ scheduler: 'eevdf', quantumTicks: 1000 });
    expect(last.spec.agents.find((agent) => agent.name === 'pool')?.replicas).toBe(3);
    expect(last.params).toEqual({ 'kernel.quantum': '1ms', 'agents.pool.replicas': 3 });
    expect(() => trialAt(experiment, 24)).toThrow(/trials 0\.\.23/);
  });

  it('trial k is (variant v, grid point g, seed index s) with k = (v × G + g) × S + s, for any shape of plan (property)', async () => {
    const quanta = ['500us', '1ms', '2ms', '3ms'];
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 4 }), async (variants, gridSize, seeds) => {
      const text = [
        'agentos-experiment: 1', 'spec: priority-starvation.yaml', `seeds: [${seeds.join(', ')}]`, 'stop: { events: 10 }',
        'variants:', ...Array.from({ length: variants }, (_, v) => `  - { name: v${v}, set: { agents.pool.replicas: ${v + 1} } }`),
        ...(gridSize > 0 ? ['grid:', `  kernel.quantum: [${quanta.slice(0, gridSize).join(', ')}]`] : []),
        'metrics: { jobs: agents.pool.received }',
      ].join('\n');
      const result = await loadExperiment(text, { readSpecFile });
      if (!result.ok) throw new Error(result.errors.map(formatPlanError).join('\n'));
      const G = Math.max(1, gridSize), S = seeds.length;
      expect(result.experiment.trialCount).toBe(variants * G * S);
      for (let k = 0; k < result.experiment.trialCount; k++) {
        const trial = trialAt(result.experiment, k);
        const v = Math.floor(k / (G * S)), g = Math.floor(k / S) % G, s = k % S;
        expect([trial.variant, trial.params['kernel.quantum'], trial.seed]).toEqual([`v${v}`, gridSize > 0 ? quanta[g] : undefined, seeds[s]]);
        expect(result.experiment.configurations[trial.configuration].spec.agents.find((agent) => agent.name === 'pool')!.replicas).toBe(v + 1);
      }
    }), { numRuns: 25 });
  });

  it('shards split trials by k mod n, and together cover each trial once', () => {
    expect(shardTrials(10, parseShard('1/3'))).toEqual([1, 4, 7]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 20 }), (count, n) => {
      const all = Array.from({ length: n }, (_, i) => shardTrials(count, { index: i, count: n })).flat().sort((a, b) => a - b);
      expect(all).toEqual(shardTrials(count));
    }));
    for (const bad of ['3/3', '1', '-1/2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/shard i\/n/);
  });

  it('a plan without variants or grid is one configuration, "base"; seeds may be a list; stop may be ticks', async () => {
    const result = await loadExperiment('agentos-experiment: 1\nspec: priority-starvation.yaml\nseeds: [7, 42]\nstop: { ticks: 2ms }\nmetrics: { jobs: agents.pool.received }\n', { readSpecFile });
    if (!result.ok) throw new Error(result.errors.map(formatPlanError).join('\n'));
    expect(result.experiment.plan.stop).toEqual({ ticks: 2000 });
    expect([0, 1].map((k) => trialAt(result.experiment, k))).toMatchObject([{ variant: 'base', seed: 7, params: {} }, { variant: 'base', seed: 42 }]);
    expect(result.experiment.configurations[0].specText).toBe(readSpecFile('priority-starvation.yaml'));
  });

  it('an inline spec (spec: |) runs as written, and its errors point into the plan', async () => {
    const inline = 'agentos-experiment: 1\nspec: |\n  agentos: 1\n  agents:\n    w: { program: worker, memory: lots }\nstop: { events: 10 }\nmetrics: { done: agents.w.exited }\n';
    expect(await errorsOf(inline)).toEqual([expect.stringMatching(/^spec: agents\.w\.memory: expected a size like 4KiB at 5:35$/)]);
    const ok = await loadExperiment(inline.replace('memory: lots', 'memory: 1MiB'));
    expect(ok.ok).toBe(true);
  });

  it('a link as the spec runs the spec it carries (not its seed or cursor); a damaged link is said at spec:', async () => {
    const specText = readSpecFile('priority-starvation.yaml');
    const link = await encodeSessionLink({ format: 1, engine: 'kernel 2.x core 0.2', spec: specText, seed: 99, interventions: [], cursor: 1234 }, 'https://agentos.test/');
    const plan = `agentos-experiment: 1\nspec: ${link}\nseeds: 2\nstop: { events: 10 }\nmetrics: { jobs: agents.pool.received }\n`;
    const result = await loadExperiment(plan);
    if (!result.ok) throw new Error(result.errors.map(formatPlanError).join('\n'));
    expect(result.experiment.specText).toBe(specText);
    expect(result.experiment.plan.seeds).toEqual([1, 2]);
    const damaged = plan.replace(/#s2=(.)/, (_, first: string) => `#s2=${first === 'A' ? 'B' : 'A'}`);
    expect(await errorsOf(damaged)).toEqual([expect.stringMatching(/^spec: the spec link cannot be opened: The link is damaged.* at 2:7$/)]);
    // A plan that names a file where files cannot be read (the browser without a resolver) says so.
    expect((await loadExperiment(PLAN)).ok).toBe(false);
  });

  it('errors name what and where: plan keys, seeds, stop, objective, overlapping paths', async () => {
    expect(await errorsOf(PLAN.replace('seeds: 3', 'seedz: 3'))).toEqual(['seedz: unknown key "seedz" (did you mean "seeds"?); expected one of agentos-experiment, name, description, spec, seeds, stop, variants, grid, metrics, objective at 4:1']);
    expect(await errorsOf(PLAN.replace('seeds: 3', 'seeds: [1, 2, 1]'))).toEqual(['seeds[2]: seed 1 is listed twice (each seed is one trial per configuration) at 4:15']);
    expect(await errorsOf(PLAN.replace('stop: { events: 5000 }', 'stop: {}'))).toEqual([expect.stringMatching(/^stop: expected events or ticks .* at 5:7$/)]);
    expect(await errorsOf(PLAN.replace('maximize: jobs', 'maximize: jbos'))).toEqual(['objective.maximize: no metric "jbos" (did you mean "jobs"?); the metrics are jobs, auditor at 15:24']);
    expect(await errorsOf(PLAN.replace('  kernel.quantum: [500us, 1ms]', '  kernel.scheduler: [fair, eevdf]'))).toEqual([
      expect.stringMatching(/^grid\.kernel\.scheduler: grid key kernel\.scheduler overlaps kernel\.scheduler, which variant "fair" sets.* at 10:3$/),
      expect.stringMatching(/variant "eevdf" sets.* at 10:3$/),
    ]);
    expect(await errorsOf('agentos-experiment: 2\nspec: x.yaml\nstop: {events: 1}\nmetrics: {a: tick}\n')).toEqual(['agentos-experiment: unsupported plan format 2: this engine reads agentos-experiment: 1 at 1:21']);
    expect(await errorsOf('agentos-experiment: 1\nspec: missing.yaml\nstop: {events: 1}\nmetrics: {a: tick}\n')).toEqual([expect.stringMatching(/^spec: cannot read the spec missing\.yaml: .* at 2:7$/)]);
  });

  it('an unknown override path is an error naming it, with a did-you-mean, at the path', async () => {
    expect(await errorsOf(PLAN.replace('kernel.scheduler: eevdf', 'kernel.schedular: eevdf'))).toEqual([
      'variants[1].set.kernel.schedular: unknown path "kernel.schedular": kernel has no "schedular" (did you mean "kernel.scheduler"?); kernel has scheduler, quantum, memory, allocator, granule at 8:27',
    ]);
    expect(await errorsOf(PLAN.replace('agents.pool.replicas', 'agents.pol.replicas'))).toEqual([
      expect.stringMatching(/^grid\.agents\.pol\.replicas: unknown path "agents\.pol\.replicas": agents has no "pol" \(did you mean "agents\.pool"\?\); agents has dispatcher, pool, auditor at 11:3$/),
    ]);
    // A key the spec does not write but may have is fine (kernel.allocator); a behaviour's arguments are known by name.
    const ok = await loadExperiment(PLAN.replace('kernel.scheduler: fair', 'kernel.allocator: buddy, agents.pool.args.think: 1ms'), { readSpecFile });
    expect(ok.ok).toBe(true);
    expect(await errorsOf(PLAN.replace('kernel.scheduler: fair', 'agents.pool.args.thnik: 1ms'))).toEqual([
      expect.stringMatching(/unknown path "agents\.pool\.args\.thnik": agents\.pool\.args has no "thnik" \(did you mean "agents\.pool\.args\.think"\?\)/),
    ]);
    expect(await errorsOf(PLAN.replace('kernel.scheduler: fair', 'kernel.scheduler.kind: fair'))).toEqual([
      expect.stringMatching(/unknown path "kernel\.scheduler\.kind": kernel\.scheduler is a value \("priority"\), not a mapping/),
    ]);
    expect(await errorsOf(PLAN.replace('kernel.scheduler: fair', 'channels.3.capacity: 8'))).toEqual([
      expect.stringMatching(/unknown path "channels\.3\.capacity": channels is a list of 1, so the next part is an index 0\.\.0/),
    ]);
  });

  it('a value the spec refuses is an error naming the variant (and grid point), at the value', async () => {
    expect(await errorsOf(PLAN.replace('kernel.scheduler: eevdf', 'kernel.scheduler: evdf'))).toEqual([
      'variants[1].set.kernel.scheduler: variant "eevdf" makes the spec invalid: kernel.scheduler: expected one of round-robin, priority, fair, eevdf (did you mean "eevdf"?) at 8:45',
    ]);
    const errors = await errorsOf(PLAN.replace('[500us, 1ms]', '[500us, 1ms, 7]'));
    expect(errors).toHaveLength(1); // once, at the grid value, whatever the variant and the other keys
    expect(errors[0]).toMatch(/^grid\.kernel\.quantum\[2\]: kernel\.quantum=7 makes the spec invalid: kernel\.quantum: expected a duration like 10ms \(a unit is required: us, ms or s\) at 10:32$/);
  });

  it('metric expressions are checked against the spec before anything runs, with the column in the plan', async () => {
    expect(await errorsOf(PLAN.replace('jobs: agents.pool.received', 'jobs: agents.pol.received'))).toEqual([
      expect.stringMatching(/^metrics\.jobs: unknown agent 'pol' \(did you mean "pool"\?\).* at 13:16$/),
    ]);
    expect(await errorsOf(PLAN.replace('jobs: agents.pool.received', 'jobs: "event.type"'))).toEqual([
      expect.stringMatching(/^metrics\.jobs: expected a number or a condition, got a string at 13:10$/),
    ]);
    // An override that makes a metric wrong in one variant only says which.
    expect(await errorsOf(PLAN.replace('auditor: agents.auditor.cpuTicks', 'auditor: nodes.n1.up').replace('{ kernel.scheduler: fair }', '{ kernel.scheduler: fair, cluster.nodes: 2 }'))).toEqual([
      expect.stringMatching(/^metrics\.auditor: unknown node 'n1'.*\(in variant "eevdf"\) at 14:18$/),
    ]);
  });

  it('errors of the plan\u2019s shape and of the later checks come at once, in order of place, each with its line:column', async () => {
    // A bad seeds value (the plan's shape), an unknown override path and a metric expression error
    // (checked against the spec): all three, not one stage at a time.
    const plan = PLAN.replace('seeds: 3', 'seeds: 0').replace('kernel.scheduler: eevdf', 'kernel.schedular: eevdf').replace('jobs: agents.pool.received', 'jobs: agents.pol.received');
    expect(await errorsOf(plan)).toEqual([
      expect.stringMatching(/^seeds: expected a seed count from 1 to 10000 .* at 4:8$/),
      expect.stringMatching(/^variants\[1\]\.set\.kernel\.schedular: unknown path "kernel\.schedular".* at 8:27$/),
      expect.stringMatching(/^metrics\.jobs: unknown agent 'pol' \(did you mean "pool"\?\).* at 13:16$/),
    ]);
    // A grid path and the objective too.
    expect(await errorsOf(PLAN.replace('maximize: jobs', 'maximize: jbos').replace('agents.pool.replicas', 'agents.pol.replicas'))).toEqual([
      expect.stringMatching(/^grid\.agents\.pol\.replicas: unknown path .* at 11:3$/),
      expect.stringMatching(/^objective\.maximize: no metric "jbos".* at 15:24$/),
    ]);
    // A spec file with errors is said with the plan's own (the plan's first, then the file's).
    const broken = (path: string) => (path === 'bad.yaml' ? 'agentos: 1\nkernel: { scheduler: fare }\nagents: { a: { program: worker } }\n' : readSpecFile(path));
    const both = await loadExperiment(PLAN.replace('seeds: 3', 'seeds: 0').replace('priority-starvation.yaml', 'bad.yaml'), { readSpecFile: broken });
    expect(both.ok ? [] : both.errors.map(formatPlanError)).toEqual([
      expect.stringMatching(/^seeds: .* at 4:8$/),
      expect.stringMatching(/^bad\.yaml: kernel\.scheduler: .* at 2:22$/),
    ]);
    // A variant with an unknown key still read its set: its path is checked too.
    expect(await errorsOf(PLAN.replace('seeds: 3', 'seeds: 0').replace('{ name: eevdf, set: { kernel.scheduler: eevdf } }', '{ name: eevdf, set: { kernel.schedular: eevdf }, sett: 1 }'))).toEqual([
      expect.stringMatching(/^seeds: .* at 4:8$/),
      expect.stringMatching(/^variants\[1\]\.set\.kernel\.schedular: unknown path .* at 8:27$/),
      expect.stringMatching(/^variants\[1\]\.sett: unknown key "sett".* at 8:54$/),
    ]);
    // No cascade: a part in error is not checked further (variants that did not read, metrics
    // that did not read), and a plan of another format is not checked at all.
    expect(await errorsOf(PLAN.replace('seeds: 3', 'seeds: 0').replace('{ name: fair,  set: { kernel.scheduler: fair } }', '{ name: fair,  set: [kernel.scheduler] }').replace('kernel.scheduler: eevdf', 'kernel.schedular: eevdf').replace('auditor: agents.auditor.cpuTicks', 'auditor: [agents.auditor.cpuTicks]'))).toEqual([
      expect.stringMatching(/^seeds: .* at 4:8$/),
      expect.stringMatching(/^variants\[0\]\.set: expected overrides: .* at 7:25$/),
      expect.stringMatching(/^metrics\.auditor: expected an expression.* at 14:12$/),
    ]);
    expect(await errorsOf('agentos-experiment: 2\nspec: x.yaml\nseeds: 0\nstop: {events: 1}\nmetrics: {a: tick}\n')).toEqual([
      'agentos-experiment: unsupported plan format 2: this engine reads agentos-experiment: 1 at 1:21',
      expect.stringMatching(/^seeds: .* at 3:8$/),
    ]);
  });

  it('YAML syntax errors are in plain words at their place', async () => {
    expect(await errorsOf('agentos-experiment: 1\nspec: "a.yaml\nstop: {events: 1}\n')).toEqual([expect.stringMatching(/at 2:7$/)]);
    expect(readPlan('')).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/expected an experiment plan/) }] });
  });

  it('never throws, whatever the text (random text and random edits of a good plan)', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
      const result = await loadExperiment(text, { readSpecFile });
      expect(typeof result.ok).toBe('boolean');
    }), { numRuns: 200 });
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: PLAN.length - 1 }), fc.integer({ min: 0, max: 8 }), fc.string({ maxLength: 6 }), async (at, cut, insert) => {
      const text = PLAN.slice(0, at) + insert + PLAN.slice(at + cut);
      const result = await loadExperiment(text, { readSpecFile });
      if (!result.ok) for (const error of result.errors) expect(error.line).toBeGreaterThanOrEqual(1);
    }), { numRuns: 300 });
  });
});
