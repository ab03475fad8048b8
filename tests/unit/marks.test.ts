// Marks on the timeline strip (worker/mark-views.ts): the events where an expression becomes true
// are exactly the successive answers of `find` (from #0, then again and again), the spans between
// a rise and the next fall are where it holds, a scan asked again after the branch grew goes on
// from where it stopped and agrees with one scan of the whole branch, and the number of marks is
// bounded by MARKS_MAX (stated in the answer).
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { createShellApi } from '../../src/worker/shell-api';
import { createMarkApi, MARKS_MAX } from '../../src/worker/mark-views';
import type { HoldMarks, KernelStatus } from '../../src/worker/api';
import type { Kernel } from '../../src/kernel/kernel';

const status = () => ({}) as KernelStatus;

async function marksOf(kernel: Kernel, expr: string): Promise<HoldMarks> {
  const outcome = await createMarkApi(() => kernel, status).markHolds({ kind: 'expr', expr });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value.marks;
}

/** find from #0, then find again from each answer, until it says never. */
async function findAll(kernel: Kernel, expr: string, max: number): Promise<number[]> {
  const shell = createShellApi(() => kernel, status);
  const found: number[] = [];
  let outcome = await shell.find({ kind: 'expr', expr }, { fromStart: true });
  while (outcome.ok && outcome.value.seq !== null && found.length < max) {
    found.push(outcome.value.seq);
    outcome = await shell.find({ kind: 'expr', expr }, { fromStart: false });
  }
  if (!outcome.ok) throw new Error(outcome.error);
  return found;
}

/** Where the expression holds after each event, by evaluating it at every cursor. */
function holdsAfter(kernel: Kernel, expr: string): boolean[] {
  const holds = kernel.predicate(kernel.expression(expr));
  const start = kernel.cursor;
  const values: boolean[] = [];
  for (let cursor = 1; cursor <= kernel.machine.journal.length; cursor++) {
    kernel.seek(cursor);
    values.push(holds(kernel));
  }
  kernel.seek(start);
  return values;
}

describe('timeline marks', () => {
  it('equal the successive results of find, with spans where the expression holds; the cursor stays', async () => {
    const kernel = await kernelFor(exampleText('partition-invariant.yaml'));
    kernel.run({ events: 3000 });
    const events = kernel.machine.journal.length;
    expect(events).toBeGreaterThan(1000);
    kernel.seek(1234 % events);
    for (const expr of ['shared.visits.converged', 'abs(shared.visits.n0 - shared.visits.n1) > 2', 'event.type == "crdt/merged"']) {
      const marks = await marksOf(kernel, expr);
      expect(kernel.cursor, expr).toBe(1234 % events);
      expect(marks.seqs.length, expr).toBeGreaterThan(1);
      expect(marks.truncated).toBe(false);
      expect(marks.scanned).toBe(events);
      const start = kernel.cursor;
      expect(marks.seqs, expr).toEqual(await findAll(kernel, expr, MARKS_MAX + 1));
      kernel.seek(start);
      // Rises and spans against the value at every cursor (false before #0).
      const values = holdsAfter(kernel, expr);
      const rises = values.flatMap((now, seq) => (now && !(values[seq - 1] ?? false) ? [seq] : []));
      expect(marks.seqs, expr).toEqual(rises);
      for (const [from, to] of marks.spans) {
        expect(values.slice(from, to).every(Boolean), `${expr} holds in [${from}, ${to})`).toBe(true);
        if (to < values.length) expect(values[to], `${expr} stops at ${to}`).toBe(false);
      }
      expect(marks.spans.map(([from]) => from)).toEqual(marks.seqs);
    }
  });

  it('asked again after the branch grew, goes on from where it stopped and agrees with a scan of the whole branch', async () => {
    const text = exampleText('partition-invariant.yaml');
    const expr = 'shared.visits.converged';
    const grown = await kernelFor(text);
    const api = createMarkApi(() => grown, status);
    grown.run({ events: 600 });
    const first = await api.markHolds({ kind: 'expr', expr });
    grown.run({ events: 3000 });
    const second = await api.markHolds({ kind: 'expr', expr });
    if (!first.ok || !second.ok) throw new Error('markHolds failed');
    expect(first.value.marks.scanned).toBe(600);
    expect(second.value.marks.scanned).toBe(grown.machine.journal.length);
    expect(second.value.marks.scanned).toBeGreaterThan(1000);
    expect(second.value.marks.seqs.slice(0, first.value.marks.seqs.length)).toEqual(first.value.marks.seqs);
    const whole = await kernelFor(text);
    whole.run({ events: 3000 });
    expect(second.value.marks).toEqual(await marksOf(whole, expr));
  });

  it(`stops at ${MARKS_MAX} marks and says so; a bad expression is an error with its column`, async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 20_000 });
    const marks = await marksOf(kernel, 'event.type == "ipc/sent"');
    expect(marks.seqs.length).toBe(MARKS_MAX);
    expect(marks.truncated).toBe(true);
    expect(marks.scanned).toBeLessThan(20_000);
    expect(marks.seqs).toEqual(await findAll(kernel, 'event.type == "ipc/sent"', MARKS_MAX));
    const bad = await createMarkApi(() => kernel, status).markHolds({ kind: 'expr', expr: 'agents.mapperr.failed > 0' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/column \d+/);
  });
});
