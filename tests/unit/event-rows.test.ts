// The events panel's backward search (src/worker/event-rows.ts) against a brute-force scan of the
// journal: an agent filter selects exactly the events of that agent's processes (all replicas, or
// one as name[k]), combines with the other filters, labels rows `agent[replica]`, names an unknown
// agent or replica in words, and looks back at most EVENT_SEARCH_MAX events.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import type { Kernel } from '../../src/kernel/kernel';
import { EventCode } from '../../src/kernel/events';
import { EVENT_SEARCH_MAX, type EventFilter } from '../../src/worker/api';
import { agentPidMask, eventRow, eventsBefore } from '../../src/worker/event-rows';

/** The newest `count` seqs before `before` whose event passes `keep`, newest first. */
function bruteForce(kernel: Kernel, before: number, count: number, keep: (seq: number) => boolean): number[] {
  const seqs: number[] = [];
  for (let seq = before - 1; seq >= 0 && seqs.length < count; seq--) if (keep(seq)) seqs.push(seq);
  return seqs;
}

const agentOf = (kernel: Kernel, pid: number) => (pid < 0 ? -1 : kernel.machine.state.procAgent[pid]);
const replicaOf = (kernel: Kernel, pid: number) => kernel.machine.state.procReplica[pid];

describe('eventsBefore with an agent filter', () => {
  it('finds exactly the events of every replica of the agent, newest first (map-reduce)', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 6000 });
    const journal = kernel.machine.journal;
    for (const [name, index] of [['source', 0], ['mapper', 1], ['reducer', 2]] as const) {
      const found = eventsBefore(kernel, kernel.cursor, 300, { agent: name });
      expect(found.error).toBeUndefined();
      const expected = bruteForce(kernel, kernel.cursor, 300, (seq) => agentOf(kernel, journal.pid(seq)) === index);
      expect(expected.length).toBeGreaterThan(0);
      expect(found.rows.map((row) => row.seq)).toEqual(expected);
      expect(found.searchedFrom).toBe(expected.length === 300 ? expected[299] : 0);
    }
    // The mappers' events come from all four replicas.
    const replicas = new Set(eventsBefore(kernel, kernel.cursor, 300, { agent: 'mapper' }).rows.map((row) => replicaOf(kernel, row.pid)));
    expect([...replicas].sort()).toEqual([0, 1, 2, 3]);
  });

  it('name[k] selects one replica; combines with type, pid and node; spaces around the name are ignored', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 6000 });
    const journal = kernel.machine.journal;
    const isMapper2 = (seq: number) => agentOf(kernel, journal.pid(seq)) === 1 && replicaOf(kernel, journal.pid(seq)) === 2;
    const cases: [EventFilter, (seq: number) => boolean][] = [
      [{ agent: 'mapper[2]' }, isMapper2],
      [{ agent: ' mapper [2] ' }, isMapper2],
      [{ agent: 'mapper', type: 'sched/switched' }, (seq) => agentOf(kernel, journal.pid(seq)) === 1 && journal.type(seq) === EventCode['sched/switched']],
      [{ agent: 'mapper', node: 0 }, (seq) => agentOf(kernel, journal.pid(seq)) === 1 && journal.node(seq) === 0],
      [{ agent: 'mapper', pid: 0 }, () => false], // pid 0 is the source
    ];
    for (const [filter, keep] of cases) {
      const found = eventsBefore(kernel, kernel.cursor, 200, filter);
      expect(found.error, JSON.stringify(filter)).toBeUndefined();
      expect(found.rows.map((row) => row.seq), JSON.stringify(filter)).toEqual(bruteForce(kernel, kernel.cursor, 200, keep));
    }
    expect(eventsBefore(kernel, kernel.cursor, 50, { agent: 'mapper[2]' }).rows.length).toBe(50);
  });

  it('labels rows with the agent and replica of their process', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 3000 });
    const journal = kernel.machine.journal;
    const labels = new Map<number, string>();
    for (let seq = 0; seq < kernel.cursor; seq++) {
      const row = eventRow(kernel, seq);
      if (row.pid < 0) expect(row.agent).toBe('');
      else labels.set(row.pid, row.agent!);
      expect(row.pid).toBe(journal.pid(seq));
    }
    expect(Object.fromEntries(labels)).toEqual({ 0: 'source', 1: 'mapper[0]', 2: 'mapper[1]', 3: 'mapper[2]', 4: 'mapper[3]', 5: 'reducer' });
  });

  it('an unknown agent or replica is an error in words, not an empty list', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 1000 });
    const unknown = eventsBefore(kernel, kernel.cursor, 100, { agent: 'mappr' });
    expect(unknown.rows).toEqual([]);
    expect(unknown.error).toBe("no agent 'mappr' in spec 'map-reduce'; its agents are source, mapper, reducer");
    expect(eventsBefore(kernel, kernel.cursor, 100, { agent: 'mapper[4]' }).error).toBe("agent 'mapper' has replicas 0..3, not 4");
    expect(eventsBefore(kernel, kernel.cursor, 100, { agent: 'mapper[' }).error).toMatch(/^no agent 'mapper\[' in spec/);
    expect(eventsBefore(kernel, kernel.cursor, 100, { type: 'ipc/nope' }).error).toBe("unknown event type 'ipc/nope'");
    // An empty agent filter is no filter.
    expect(eventsBefore(kernel, kernel.cursor, 10, { agent: ' ' }).rows.map((row) => row.seq)).toEqual(bruteForce(kernel, kernel.cursor, 10, () => true));
  });

  it('the unknown-agent message lists at most 12 agents and says how many more (swarm of 40 names)', async () => {
    const agents = Array.from({ length: 40 }, (_, i) => `  a${i}:\n    program: idle\n`).join('');
    const kernel = await kernelFor(`agentos: 1\nname: many\nagents:\n${agents}`);
    kernel.run({ events: 200 });
    const error = eventsBefore(kernel, kernel.cursor, 10, { agent: 'zz' }).error!;
    expect(error).toBe(`no agent 'zz' in spec 'many'; its agents are ${Array.from({ length: 12 }, (_, i) => `a${i}`).join(', ')} and 28 more`);
    const mask = agentPidMask(kernel, 'a39');
    expect(mask instanceof Uint8Array && [...mask].reduce((sum, bit) => sum + bit, 0)).toBe(1);
  });

  it('looks back at most EVENT_SEARCH_MAX events and says where it stopped; fast on a long journal (swarm)', async () => {
    const kernel = await kernelFor(exampleText('swarm.yaml'));
    const extra = 50_000;
    kernel.run({ events: EVENT_SEARCH_MAX + extra });
    expect(kernel.cursor).toBe(EVENT_SEARCH_MAX + extra);
    // The queen is one process among a thousand: a rare match, found far back.
    const started = performance.now();
    const queen = eventsBefore(kernel, kernel.cursor, 100, { agent: 'queen' });
    const none = eventsBefore(kernel, kernel.cursor, 100, { agent: 'queen', type: 'user/intervened' });
    const elapsedMs = performance.now() - started;
    expect(queen.rows.length).toBe(100);
    expect(queen.rows.every((row) => row.agent === 'queen')).toBe(true);
    expect(none.rows).toEqual([]);
    expect(none.searchedFrom).toBe(extra);
    // Two scans of up to two million events: a few ms each here; a per-event lookup by name would be far slower.
    expect(elapsedMs).toBeLessThan(1000);
  }, 60_000);
});
