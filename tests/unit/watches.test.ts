// Watches: the spec's and those added later, their values at the cursor, their series over the
// branch (each point the value after its event, checked against seeking there), and the CSV.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { createWatchApi } from '../../src/worker/watch-views';
import { watchesCsv } from '../../src/ui/panels/watches-csv';
import { specWatches, watchSeries } from '../../src/kernel/watches';

const SPEC = `${exampleText('partition-crdt.yaml').trimEnd()}\nwatch:\n  drift: shared.visits.n0 - shared.visits.n1\n  agreed: shared.visits.converged\n`;

describe('watches', () => {
  it('series points are the values after their events; the cursor comes back', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({});
    kernel.seek(321);
    const watches = specWatches(kernel);
    const series = watchSeries(kernel, watches, { pointsMax: 50 });
    expect(kernel.cursor).toBe(321);
    expect(series.seq.length).toBe(50);
    expect(series.seq[49]).toBe(kernel.machine.journal.length - 1);
    for (const point of [0, 7, 25, 49]) {
      kernel.seek(series.seq[point] + 1);
      const view = kernel.exprView;
      expect(series.values[0].values[point]).toBe(watches[0].compiled.evaluate(view));
      expect(series.values[1].values[point]).toBe(watches[1].compiled.evaluate(view) ? 1 : 0);
      expect(series.tick[point]).toBe(kernel.tick);
    }
  });

  it('the worker lists, adds, refuses and removes watches; CSV has a column each', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({});
    const api = createWatchApi(() => kernel);
    expect(api.watches(0)!.rows.map((row) => [row.name, row.source])).toEqual([['drift', 'spec'], ['agreed', 'spec']]);
    const added = api.addWatch('left', 'agents.left.cpuTicks');
    expect(added.ok && added.value.map((row) => row.name)).toEqual(['drift', 'agreed', 'left']);
    expect(api.addWatch('x', 'agents.lef.cpuTicks')).toEqual({ ok: false, error: expect.stringMatching(/unknown agent 'lef' \(did you mean "left"\?\).* at column 8$/) });
    expect(api.addWatch('drift', 'tick')).toMatchObject({ ok: false });
    const view = api.watches(40)!;
    expect(view.series).toHaveLength(3);
    const csv = watchesCsv(view).trimEnd().split('\n');
    expect(csv[0]).toBe('seq,tick,drift,agreed,left');
    expect(csv).toHaveLength(41);
    expect(api.removeWatch('left')).toMatchObject({ ok: true });
    expect(api.removeWatch('drift')).toMatchObject({ ok: false, error: expect.stringContaining('is a watch of the spec') });
  });
});
