// `sweep --jobs 2` in process (src/cli/sweep.ts): this process runs trials itself in slices, so a
// child that becomes ready or sends a line gets its next trial while this process's trial is
// still running (before, it waited for that trial to end: a child ready early idled a whole
// trial); at the end a job with nothing left takes back a trial a child holds but has not
// started. Lines are the same bytes as --jobs 1 whatever the jobs; a plan error stops the children.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCoreFromDisk } from '../../src/core/node';
import { sweep, SWEEP_SLICE_EVENTS, SweepError, type PoolEvent } from '../../src/cli/sweep';

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
    // Enough trials that the child runs several even on a loaded machine (its first may be given
    // before this process starts any of its own; the later ones, when its lines come in).
    const trials = 16;
    const planPath = planFile(planOf(trials, 3 * SWEEP_SLICE_EVENTS)); // three slices a trial
    const one = await run(planPath, 1);
    const two = await run(planPath, 2);
    expect(two.text).toBe(one.text);
    expect(one.text.split('\n').filter(Boolean).map((line) => JSON.parse(line).trial)).toEqual([...Array(trials).keys()]);
    // Every trial done once, by a job it was given to.
    const given = two.events.filter((event) => 'given' in event) as (PoolEvent & { given: number })[];
    const done = two.events.filter((event) => 'done' in event) as (PoolEvent & { done: number })[];
    expect(done.map((event) => event.done).sort((a, b) => a - b)).toEqual([...Array(trials).keys()]);
    for (const event of done) expect(given.some((giving) => giving.given === event.done && giving.job === event.job)).toBe(true);
    const ownTrials = given.filter((event) => event.job === 0).map((event) => [event.at, done.find((end) => end.done === event.given)!.at]);
    const toChild = given.filter((event) => event.job === 1);
    expect(toChild.length, 'the child ran fewer than two trials').toBeGreaterThan(1);
    // This process ran trials all along: the trials a child is given when its lines come in are
    // given inside them, not only between (without slices, only at a trial's end).
    const afterLines = toChild.slice(1);
    const inside = afterLines.filter((event) => ownTrials.some(([start, end]) => event.at > start && event.at < end));
    expect(inside.length, `${afterLines.length} trials given to the child after its first line, none inside a trial of this process`).toBeGreaterThan(0);
  }, 120_000);

  it('a job with nothing left takes back the trial a child holds but has not started, and the lines are the same', async () => {
    const planPath = planFile(planOf(2, 200_000));
    const one = await run(planPath, 1);
    // This process's core is ready only once the child holds both trials (running one, the other waiting).
    const events: PoolEvent[] = [];
    let childHoldsBoth = () => undefined as void;
    const held = new Promise<void>((resolve) => (childHoldsBoth = resolve));
    const out = `${planPath}.steal.jsonl`;
    await sweep({
      planPath, jobs: 2, out, quiet: true,
      onPool: (event) => {
        events.push(event);
        if (events.filter((seen) => seen.job === 1 && 'given' in seen).length === 2) childHoldsBoth();
      },
    }, async () => { await held; return loadCore(); });
    expect(readFileSync(out, 'utf8')).toBe(one.text);
    const steps = events.map((event) => [event.job, Object.keys(event).find((key) => key !== 'job' && key !== 'at'), (event as unknown as Record<string, number>)[Object.keys(event).find((key) => key !== 'job' && key !== 'at')!]]);
    expect(steps.slice(0, 5)).toEqual([[1, 'ready', true], [1, 'given', 0], [1, 'given', 1], [1, 'taken', 1], [0, 'given', 1]]);
    expect(steps.filter((step) => step[1] === 'done').sort((a, b) => (a[2] as number) - (b[2] as number))).toEqual([[1, 'done', 0], [0, 'done', 1]]);
  }, 60_000);

  it('with more jobs than trials, the extra children are stopped and the lines are the same', async () => {
    const planPath = planFile(planOf(2, 3000));
    const one = await run(planPath, 1);
    const four = await run(planPath, 4);
    expect(four.text).toBe(one.text);
    expect(four.events.filter((event) => 'given' in event && event.job >= 2)).toEqual([]);
  }, 60_000);

  it('a plan with errors rejects with them, with children already started', async () => {
    const planPath = planFile(planOf(2, 3000).replace('kernel.scheduler: eevdf', 'kernel.schedular: eevdf'));
    await expect(sweep({ planPath, jobs: 2, quiet: true }, loadCore)).rejects.toThrow(SweepError);
    await expect(sweep({ planPath, jobs: 2, quiet: true }, loadCore)).rejects.toThrow(/schedular.*\d+:\d+/s);
  }, 60_000);
});
