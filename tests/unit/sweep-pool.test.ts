// `sweep --jobs 2` in process (src/cli/sweep.ts): this process runs trials itself in slices, so a
// child that becomes ready or sends a line gets its next trial while this process's trial is
// still running (before, it waited for that trial to end: a child ready early idled a whole
// trial). Lines are the same bytes as --jobs 1 whatever the jobs; a plan error stops the children.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCoreFromDisk } from '../../src/core/node';
import { sweep, SweepError, type PoolEvent } from '../../src/cli/sweep';

const planOf = (trials: number, events: number) => `agentos-experiment: 1
name: pool
spec: priority-starvation.yaml
seeds: ${trials / 2}
stop: { events: ${events} }
variants:
  - { name: fair,  set: { kernel.scheduler: fair, agents.pool.args.work: 500us..1500us } }
  - { name: eevdf, set: { kernel.scheduler: eevdf, agents.pool.args.work: 500us..1500us } }
metrics:
  jobs: agents.pool.received
`;

function planFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentos-pool-'));
  copyFileSync('public/examples/priority-starvation.yaml', join(dir, 'priority-starvation.yaml'));
  writeFileSync(join(dir, 'plan.yaml'), text);
  return join(dir, 'plan.yaml');
}

const loadCore = () => loadCoreFromDisk('release');

async function run(planPath: string, jobs: number) {
  const events: PoolEvent[] = [];
  const out = `${planPath}.${jobs}.jsonl`;
  await sweep({ planPath, jobs, out, quiet: true, onPool: (event) => events.push(event) }, loadCore);
  return { text: readFileSync(out, 'utf8'), events };
}

describe('the sweep pool', () => {
  it('gives a child its trial while this process is in the middle of one, and writes the lines --jobs 1 writes', async () => {
    const planPath = planFile(planOf(12, 100_000));
    const one = await run(planPath, 1);
    const two = await run(planPath, 2);
    expect(two.text).toBe(one.text);
    expect(one.text.split('\n').filter(Boolean).map((line) => JSON.parse(line).trial)).toEqual([...Array(12).keys()]);
    // Every trial given once and done once, by the job it was given to.
    const given = two.events.filter((event) => 'given' in event) as (PoolEvent & { given: number })[];
    const done = two.events.filter((event) => 'done' in event) as (PoolEvent & { done: number })[];
    expect(given.map((event) => event.given).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(done.map((event) => [event.done, event.job]).sort((a, b) => a[0] - b[0])).toEqual(given.map((event) => [event.given, event.job]).sort((a, b) => a[0] - b[0]));
    const ownTrials = given.filter((event) => event.job === 0).map((event) => [event.at, done.find((end) => end.done === event.given)!.at]);
    const toChild = given.filter((event) => event.job === 1);
    expect(toChild.length, 'the child ran no trial').toBeGreaterThan(0);
    // This process ran trials all along: a child is given its trials inside them, not only between.
    expect(toChild.filter((event) => ownTrials.some(([start, end]) => event.at > start && event.at < end)).length).toBeGreaterThan(0);
  }, 120_000);

  it('with more jobs than trials, the extra children are stopped and the lines are the same', async () => {
    const planPath = planFile(planOf(2, 3000));
    const one = await run(planPath, 1);
    const four = await run(planPath, 4);
    expect(four.text).toBe(one.text);
    expect(four.events.filter((event) => 'given' in event && event.job >= 2)).toEqual([]);
  }, 60_000);

  it('a plan with errors rejects with them, after its children (already started) have exited', async () => {
    const planPath = planFile(planOf(2, 3000).replace('kernel.scheduler: eevdf', 'kernel.schedular: eevdf'));
    await expect(sweep({ planPath, jobs: 2, quiet: true }, loadCore)).rejects.toThrow(SweepError);
    await expect(sweep({ planPath, jobs: 2, quiet: true }, loadCore)).rejects.toThrow(/schedular.*\d+:\d+/s);
  }, 60_000);
});
