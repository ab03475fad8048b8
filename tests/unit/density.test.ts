// The timeline strip's slices and the failure walk, against a direct scan of the journal.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { densityStrip, failureWalk, nearestFailure } from '../../src/worker/density';
import { EventCode } from '../../src/kernel/events';
import { DENSITY_BUCKETS_MAX } from '../../src/worker/api';

describe('density strip and failures', () => {
  it('counts every failure once and points each slice at its first one', async () => {
    const kernel = await kernelFor(exampleText('crash-restart.yaml'));
    kernel.run({});
    const journal = kernel.machine.journal;
    const failed: number[] = [];
    for (let seq = 0; seq < journal.length; seq++) if (journal.type(seq) === EventCode['process/failed']) failed.push(seq);
    expect(failed.length).toBeGreaterThan(1);
    const strip = densityStrip(kernel, 50);
    const errorCount = strip.errors.reduce((sum, value) => sum + value, 0);
    expect(errorCount).toBeGreaterThanOrEqual(failed.length); // drops and limits count too
    const firstSlice = Math.floor((failed[0] * 50) / journal.length);
    expect(strip.target[firstSlice]).toBeLessThanOrEqual(failed[0] + 1);
    for (const target of strip.target) expect(target).toBeGreaterThanOrEqual(0);
  });

  it('walks forward and back to just after each failure', async () => {
    const kernel = await kernelFor(exampleText('crash-restart.yaml'));
    kernel.run({});
    const journal = kernel.machine.journal;
    const isFailure = (seq: number) => ['process/failed', 'heap/exhausted', 'ipc/dropped', 'limit/reached'].some((type) => journal.type(seq) === EventCode[type as keyof typeof EventCode]);
    const all: number[] = [];
    for (let seq = 0; seq < journal.length; seq++) if (isFailure(seq)) all.push(seq + 1);
    const forward: number[] = [];
    for (let at: number | undefined = 0; (at = nearestFailure(kernel, at, 1)) !== undefined; ) forward.push(at);
    expect(forward).toEqual(all);
    const back: number[] = [];
    for (let at: number | undefined = journal.length; (at = nearestFailure(kernel, at, -1)) !== undefined; ) back.push(at);
    // From the end, the last failure is "previous" unless the cursor sits just after it.
    expect(back.reverse()).toEqual(all.at(-1) === journal.length ? all.slice(0, -1) : all);
    expect(nearestFailure(kernel, 0, -1)).toBeUndefined();
  });

  it('counts failures and walks them from one index, so the count and the walk agree', async () => {
    const kernel = await kernelFor(exampleText('crash-restart.yaml'));
    kernel.run({ events: 20_000 });
    const early = failureWalk(kernel, kernel.machine.journal.length).count;
    kernel.run({}); // the index grows with the journal
    const journal = kernel.machine.journal;
    const strip = densityStrip(kernel, 400);
    const total = strip.errors.reduce((sum, value) => sum + value, 0);
    expect(total).toBeGreaterThan(0);
    expect(failureWalk(kernel, journal.length).count).toBe(total);
    expect(failureWalk(kernel, journal.length).count).toBeGreaterThanOrEqual(early);
    // At each failure: it is failure number `passed`, and the walk goes to its neighbours only.
    const targets: number[] = [];
    for (let at: number | undefined = 0; (at = nearestFailure(kernel, at, 1)) !== undefined; ) targets.push(at);
    targets.forEach((cursor, index) => {
      const walk = failureWalk(kernel, cursor);
      expect(walk).toEqual({ count: total, passed: index + 1, atFailure: true, previous: targets[index - 1] ?? null, next: targets[index + 1] ?? null });
    });
    expect(failureWalk(kernel, 0)).toMatchObject({ passed: 0, atFailure: false, previous: null, next: targets[0] });
  });

  it('counts one out-of-memory as one failure: the process failed by it is not a second (memory-leak example)', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({});
    const journal = kernel.machine.journal;
    const exhausted: number[] = [];
    for (let seq = 0; seq < journal.length; seq++) if (journal.type(seq) === EventCode['heap/exhausted']) exhausted.push(seq);
    expect(exhausted).toHaveLength(1);
    // The cache's process/failed comes right after, caused by the exhausted heap.
    let failed = -1;
    for (let seq = exhausted[0] + 1; seq < journal.length && failed < 0; seq++) if (journal.type(seq) === EventCode['process/failed']) failed = seq;
    expect(journal.cause(failed)).toBe(exhausted[0]);
    expect(failureWalk(kernel, journal.length)).toMatchObject({ count: 1, passed: 1, next: null, previous: exhausted[0] + 1 });
    expect(nearestFailure(kernel, 0, 1)).toBe(exhausted[0] + 1);
    expect(densityStrip(kernel, 50).errors.reduce((sum, value) => sum + value, 0)).toBe(1);
  });

  it('is empty without a kernel and clamps the slice count', () => {
    const strip = densityStrip(undefined, 1e9);
    expect(strip.rate.length).toBe(DENSITY_BUCKETS_MAX);
    expect(strip.errors.every((value) => value === 0)).toBe(true);
  });
});
