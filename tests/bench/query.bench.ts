// KernelQL on a 1,000,000-event journal of the 1,000-agent swarm: loading the tables and a
// GROUP BY, through the same SQLite wasm build the query worker loads (here in Node, on one
// thread: the worker does the same work off the page). CPU time is in the note: on a shared
// machine it is the steadier number. Peers: design.md's goals, and a plain loop over the journal's
// type column for the GROUP BY.
import { readFileSync } from 'node:fs';
import { loadCoreFromDisk } from '../../src/core/node';
import { Kernel } from '../../src/kernel/kernel';
import { QueryEngine } from '../../src/query/engine';
import { loadSqlite } from '../../src/query/sqlite';
import { kernelSource } from '../../src/query/source';
import { syncEngine } from '../../src/query/sync';
import { EVENT_TYPES } from '../../src/kernel/events';
import { median, type BenchSuite } from './harness';

const SWARM = readFileSync(new URL('../../public/examples/swarm.yaml', import.meta.url), 'utf8');
const EVENTS = 1_000_000;
const LOADS = 3;
const QUERIES = 7;

function timed(fn: () => unknown): { ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

export const benches: BenchSuite[] = [
  {
    name: 'KernelQL: SQLite wasm over the 1,000-agent swarm journal, 1,000,000 events',
    async run() {
      const kernel = Kernel.fromText(SWARM, await loadCoreFromDisk('release'));
      kernel.run({ events: EVENTS });
      const sqlite = await loadSqlite();
      const loads: { ms: number; cpuMs: number }[] = [];
      let engine: QueryEngine | undefined;
      for (let run = 0; run < LOADS; run++) {
        engine?.close();
        const fresh = new QueryEngine(sqlite);
        const cpu = process.cpuUsage();
        const start = performance.now();
        await syncEngine(fresh, kernelSource(() => kernel));
        const used = process.cpuUsage(cpu);
        loads.push({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 });
        engine = fresh;
      }
      const db = engine!;
      const sql = 'SELECT type, count(*) FROM events GROUP BY type';
      const queries = Array.from({ length: QUERIES }, () => timed(() => {
        const outcome = db.query(sql);
        if (!outcome.ok) throw new Error(outcome.error.message);
      }));
      const journal = kernel.machine.journal;
      const scans = Array.from({ length: QUERIES }, () => timed(() => {
        const counts = new Float64Array(EVENT_TYPES.length);
        for (let seq = 0; seq < journal.length; seq++) counts[journal.type(seq)]++;
      }));
      const loadMs = median(loads.map((load) => load.ms));
      const queryMs = median(queries.map((query) => query.ms));
      const scanMs = median(scans.map((scan) => scan.ms));
      db.close();
      return [
        {
          name: `KernelQL: load ${EVENTS.toLocaleString('en')} events`, value: loadMs, unit: 'ms', peer: 'goal', peerValue: 2000, ratio: 2000 / loadMs, goal: '< 2,000 ms',
          note: `median of ${LOADS}; CPU ${median(loads.map((load) => load.cpuMs)).toFixed(0)} ms; events, type index and state tables`,
        },
        {
          name: `KernelQL: GROUP BY type over ${EVENTS.toLocaleString('en')} events`, value: queryMs, unit: 'ms', peer: 'goal', peerValue: 300, ratio: 300 / queryMs, goal: '< 300 ms',
          note: `median of ${QUERIES}; CPU ${median(queries.map((query) => query.cpuMs)).toFixed(0)} ms; a JS loop over the type column takes ${scanMs.toFixed(1)} ms`,
        },
      ];
    },
  },
];
