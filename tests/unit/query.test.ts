// KernelQL against the kernel's own reading of the same journal: min(seq) over a predicate agrees
// with a scan and with Kernel.find; the state tables agree with the kernel's state; errors carry
// their position; the database follows the journal across runs, seeks to other branches and specs.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QueryEngine, type QueryResult } from '../../src/query/engine';
import { loadSqlite } from '../../src/query/sqlite';
import { kernelSource } from '../../src/query/source';
import { syncEngine } from '../../src/query/sync';
import { EVENT_SCHEMA, EVENT_TYPES, EventCode } from '../../src/kernel/events';
import type { Kernel } from '../../src/kernel/kernel';
import { exampleText, kernelFor } from '../helpers/kernel';

let engine: QueryEngine;
beforeAll(async () => {
  engine = new QueryEngine(await loadSqlite());
});

function rows(sql: string): QueryResult['rows'] {
  const outcome = engine.query(sql);
  if (!outcome.ok) throw new Error(`${sql}: ${outcome.error.message}`);
  return outcome.value.rows;
}

async function loaded(example: string, events: number): Promise<Kernel> {
  const kernel = await kernelFor(exampleText(example));
  kernel.run({ events });
  await syncEngine(engine, kernelSource(() => kernel));
  return kernel;
}

/** The first seq whose event passes `test`, by reading the journal one event at a time. */
function scan(kernel: Kernel, test: (event: Record<string, number | string>) => boolean): number | null {
  const journal = kernel.machine.journal;
  for (let seq = 0; seq < journal.length; seq++) if (test(journal.event(seq) as unknown as Record<string, number | string>)) return seq;
  return null;
}

describe('KernelQL', () => {
  it('every event of a process names its agent, also a replica started by healing (heal/scaled)', async () => {
    const kernel = await loaded('congested-pipeline.yaml', 40_000);
    const state = kernel.machine.state;
    const scaled = rows(`SELECT pid, agent FROM events WHERE type = 'heal/scaled'`);
    expect(scaled.length).toBeGreaterThan(0);
    const agentOf = (pid: number) => kernel.spec.agents[state.procAgent[pid]].name;
    for (const [pid, agent] of scaled) expect(agent, `heal/scaled of pid ${pid}`).toBe(agentOf(pid as number));
    // Every event with a pid: the agent the kernel gives that pid.
    const named = rows(`SELECT pid, agent, count(*) FROM events WHERE pid >= 0 GROUP BY pid, agent`);
    for (const [pid, agent] of named) expect(agent, `events of pid ${pid}`).toBe(agentOf(pid as number));
    expect(new Set(named.map(([pid]) => pid)).size).toBe(named.length);
  });

  it('SELECT min(seq) FROM events WHERE type = x agrees with the kernel scan and with Kernel.find, for every type', async () => {
    const kernel = await loaded('partition-crdt.yaml', 3000);
    let found = 0;
    for (const type of EVENT_TYPES) {
      const [[sql]] = rows(`SELECT min(seq) FROM events WHERE type = '${type}'`);
      const scanned = scan(kernel, (event) => event.type === type);
      expect(sql, type).toBe(scanned);
      if (scanned === null) continue;
      found++;
      // Kernel.find reports the cursor right after the event: "holds at event S" is cursor S + 1.
      const code = EventCode[type];
      const cursor = kernel.find((k) => k.cursor > 0 && k.machine.journal.type(k.cursor - 1) === code, 0);
      expect(cursor, type).toBe(scanned + 1);
    }
    expect(found).toBeGreaterThan(5);
  });

  it('fields by name: any type, field and threshold gives the scan\'s first seq (fast-check)', async () => {
    const kernel = await loaded('map-reduce.yaml', 20_000);
    const withFields = EVENT_SCHEMA.map(([type, ...fields]) => ({ type, fields: fields.filter((field) => field && field !== 'agent') })).filter((row) => row.fields.length > 0);
    fc.assert(fc.property(
      fc.constantFrom(...withFields), fc.nat(3), fc.integer({ min: -2, max: 70_000 }), fc.constantFrom('>', '<=', '='),
      ({ type, fields }, pick, threshold, op) => {
        const field = fields[pick % fields.length];
        const [[sql]] = rows(`SELECT min(seq) FROM events WHERE type = '${type}' AND "${field}" ${op} ${threshold}`);
        const compare = (value: number) => (op === '>' ? value > threshold : op === '<=' ? value <= threshold : value === threshold);
        expect(sql).toBe(scan(kernel, (event) => event.type === type && compare(event[field] as number)));
      },
    ), { numRuns: 60, seed: 11 });
  });

  it('counts by type agree with the journal, and every column names its event the same way', async () => {
    const kernel = await loaded('map-reduce.yaml', 20_000);
    const counts = new Map<string, number>();
    for (let seq = 0; seq < kernel.machine.journal.length; seq++) {
      const type = EVENT_TYPES[kernel.machine.journal.type(seq)];
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    expect(new Map(rows('SELECT type, count(*) FROM events GROUP BY type') as [string, number][])).toEqual(counts);
    const [row] = rows('SELECT seq, tick, type, node, pid, agent, cause FROM events WHERE seq = 1234');
    const event = kernel.machine.journal.event(1234);
    expect(row).toEqual([1234, event.tick, event.type, event.node, event.pid, kernel.spec.agents[kernel.machine.state.procAgent[event.pid]]?.name ?? null, event.cause]);
  });

  it('state tables at the cursor: processes, channels, nodes, shared', async () => {
    const kernel = await loaded('partition-crdt.yaml', 900);
    const { state } = kernel.machine;
    expect(rows('SELECT count(*) FROM processes')[0][0]).toBe(kernel.spec.processCount);
    expect(rows('SELECT sum(cpu_ticks) FROM processes')[0][0]).toBe(Array.from(state.procCpuTicks).reduce((sum, value) => sum + value, 0));
    expect(rows('SELECT count(*) FROM nodes')[0][0]).toBe(3);
    const shared = rows("SELECT object, node, value FROM shared WHERE object = 'visits' ORDER BY node");
    const objects = kernel.machine.machineCore.shared()!;
    expect(shared).toEqual([0, 1, 2].map((node) => ['visits', `n${node}`, objects.value(0, node)]));
    expect(rows('SELECT count(*) FROM watches')[0][0]).toBe(0);
  });

  it('follows the journal: appends after a run, reloads after a seek to another branch', async () => {
    const kernel = await loaded('map-reduce.yaml', 5000);
    const source = kernelSource(() => kernel);
    kernel.run({ events: 9000 });
    await syncEngine(engine, source);
    expect(rows('SELECT count(*), max(seq) FROM events')[0]).toEqual([9000, 8999]);
    kernel.seek(3000);
    kernel.intervene({ kind: 'kill', pid: 1 });
    kernel.run({ events: 4000 });
    await syncEngine(engine, source);
    expect(rows('SELECT count(*) FROM events')[0][0]).toBe(kernel.machine.journal.length);
    expect(rows("SELECT min(seq) FROM events WHERE type = 'user/intervened'")[0][0]).toBe(scan(kernel, (event) => event.type === 'user/intervened'));
  });

  it('errors say where: a syntax error has its line and column; writes and second statements are refused', async () => {
    await loaded('partition-crdt.yaml', 100);
    const bad = engine.query('SELECT type,\n  count(* FROM events');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ line: 2, column: 11 });
    const unknown = engine.query('SELECT nope FROM events');
    expect(!unknown.ok && unknown.error).toMatchObject({ message: expect.stringContaining('nope'), column: 8 });
    const table = engine.query('SELECT 1\nFROM eventz');
    expect(!table.ok && table.error).toMatchObject({ message: 'no such table: eventz', line: 2, column: 6 });
    const write = engine.query('DELETE FROM event_log');
    expect(!write.ok && write.error.message).toMatch(/read-only/);
    const two = engine.query('SELECT 1; SELECT 2');
    expect(!two.ok && two.error).toMatchObject({ message: expect.stringMatching(/one statement/), column: 10 });
    expect(engine.query('SELECT 1; -- trailing comment').ok).toBe(true);
    expect(rows('SELECT count(*) FROM events')[0][0]).toBe(100);
  });

  it('a runaway query is stopped at its time limit, and the engine answers the next one', async () => {
    await loaded('map-reduce.yaml', 20_000);
    const slow = engine.query('SELECT count(*) FROM events a, events b, events c', { timeMs: 300 });
    expect(!slow.ok && slow.error.message).toMatch(/stopped/);
    expect(rows('SELECT count(*) FROM events')[0][0]).toBe(20_000);
  });
});
