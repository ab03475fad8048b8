// KernelQL's `watches` table (seq, tick, name, value) holds the session's watches, the spec's and
// those added in the UI or the shell, and agrees with the series the Metrics panel plots
// (worker/watch-views.ts): at every point Metrics has, the table has the same seq, tick and value.
// It follows the watch list and the branch, and is not sent again when neither changed.
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryEngine } from '../../src/query/engine';
import { loadSqlite } from '../../src/query/sqlite';
import { kernelSource } from '../../src/query/source';
import { syncEngine } from '../../src/query/sync';
import { createWatchApi } from '../../src/worker/watch-views';
import { WATCH_POINTS_MAX } from '../../src/kernel/watches';
import { exampleText, kernelFor } from '../helpers/kernel';

let engine: QueryEngine;
beforeAll(async () => {
  engine = new QueryEngine(await loadSqlite());
});

function rows(sql: string): (number | string | null)[][] {
  const outcome = engine.query(sql);
  if (!outcome.ok) throw new Error(`${sql}: ${outcome.error.message}`);
  return outcome.value.rows;
}

describe('KernelQL watches table', () => {
  it('agrees with the Metrics series of every watch, spec and added; follows added watches and runs', async () => {
    const kernel = await kernelFor(exampleText('partition-invariant.yaml'));
    kernel.run({ events: 700 });
    const watches = createWatchApi(() => kernel);
    expect(watches.addWatch('busy', 'agents.left.running + agents.right.running').ok).toBe(true);
    const source = kernelSource(() => kernel);
    await syncEngine(engine, source);

    const check = (points: number) => {
      const view = watches.watches(points)!;
      const names = view.rows.map((row) => row.name);
      expect(names.length).toBeGreaterThanOrEqual(3);
      expect(rows('SELECT DISTINCT name FROM watches ORDER BY name').map(([name]) => name)).toEqual([...names].sort());
      // A branch this short is in the table event by event: every Metrics point is there.
      expect(rows('SELECT count(DISTINCT seq) FROM watches')[0][0]).toBe(kernel.machine.journal.length);
      const table = new Map(rows('SELECT seq, tick, name, value FROM watches').map(([seq, tick, name, value]) => [`${seq}:${name}`, [tick, value]]));
      let compared = 0;
      view.seq.forEach((seq, point) => names.forEach((name, index) => {
        expect(table.get(`${seq}:${name}`), `${name} after #${seq}`).toEqual([view.tick[point], view.series[index][point]]);
        compared++;
      }));
      expect(compared).toBe(view.seq.length * names.length);
    };
    check(1024);
    check(97);

    // Another added watch and a longer branch: the table follows.
    expect(watches.addWatch('twice', 'shared.visits.n0 * 2').ok).toBe(true);
    kernel.run({ events: 1100 });
    await syncEngine(engine, source);
    check(1024);
    expect(rows("SELECT count(*) FROM watches WHERE name = 'twice' AND value % 2 = 1")[0][0]).toBe(0);

    // Unchanged: the source answers with the key alone.
    expect(source.watches(engine.watchesKey)).toEqual({ key: engine.watchesKey });
  });

  it(`past ${WATCH_POINTS_MAX} events: evenly spaced points, the last one after the branch's last event`, async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 9000 });
    const watches = createWatchApi(() => kernel);
    expect(watches.addWatch('sent', 'agents.source.sent').ok).toBe(true);
    await syncEngine(engine, kernelSource(() => kernel));
    expect(rows("SELECT count(*), max(seq) FROM watches WHERE name = 'sent'")[0]).toEqual([WATCH_POINTS_MAX, kernel.machine.journal.length - 1]);
    const view = watches.watches(1024)!;
    const table = new Map(rows("SELECT seq, value FROM watches WHERE name = 'sent'").map(([seq, value]) => [seq, value]));
    // 1,024 divides 4,096: every Metrics point is one of the table's.
    view.seq.forEach((seq, point) => expect(table.get(seq), `after #${seq}`).toBe(view.series[0][point]));
  });
});
