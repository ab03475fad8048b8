// Every CRDT type of the core is usable from a spec's `shared:` and from `crdt` steps: each is
// written on three nodes, diverges during a partition, converges after the heal, and replays
// (seek back and forth) to the same stateHash.
import { describe, expect, it } from 'vitest';
import { parseSpec, formatSpecError } from '../../src/spec';
import { kernelFor } from '../helpers/kernel';

const SPEC = `agentos: 1
name: every shared type
seed: 7
cluster:
  nodes: 3
  latency: 1ms
  faults:
    - { at: 20ms, partition: [[n0], [n1, n2]] }
    - { at: 60ms, heal: all }
shared:
  hits:    { type: g-counter }
  score:   { type: pn-counter }
  seen:    { type: or-set }
  config:  { type: lww-map }
  leader:  { type: lww-register }
  notes:   { type: text }
  load:    { type: time-series }
  links:   { type: graph }
  jobs:    { type: workflow, states: [pending, running, done] }
agents:
  writer:
    replicas: 3
    program:
      - repeat: 10
        do:
          - crdt: { object: hits, op: inc, by: 2 }
          - crdt: { object: score, op: dec }
          - crdt: { object: seen, op: add, element: "{node}" }
          - crdt: { object: config, op: set, key: "owner", value: "{pid}" }
          - crdt: { object: leader, op: set, value: "{replica}" }
          - crdt: { object: notes, op: insert, text: "x" }
          - crdt: { object: load, op: append, value: 5 }
          - crdt: { object: links, op: add-edge, from: "{node}", to: hub }
          - crdt: { object: jobs, op: transition, task: "job{replica}", state: running }
          - sleep: 5ms
      - crdt: { object: links, op: remove-edge, from: "{node}", to: hub }
      - crdt: { object: jobs, op: transition, task: "job{replica}", state: done }
      - crdt: { object: jobs, op: transition, task: "job{replica}", state: pending }
`;

const OBJECTS = ['hits', 'score', 'seen', 'config', 'leader', 'notes', 'load', 'links', 'jobs'];

describe('every shared type from a spec', () => {
  it('parses, with placement on three nodes', () => {
    const result = parseSpec(SPEC);
    if (!result.ok) throw new Error(result.errors.map(formatSpecError).join('\n'));
    expect(result.spec.shared.map((object) => object.type)).toEqual([
      'g-counter', 'pn-counter', 'or-set', 'lww-map', 'lww-register', 'text', 'time-series', 'graph', 'workflow',
    ]);
    expect(result.spec.shared[8].states).toEqual(['pending', 'running', 'done']);
  });

  it('diverges during the partition, converges after the heal, and replays exactly', async () => {
    const kernel = await kernelFor(SPEC);
    const shared = () => kernel.machine.machineCore.shared()!;
    kernel.run({ ticks: 50_000 }); // inside the partition
    const hits = OBJECTS.indexOf('hits');
    expect(shared().numeric(hits, 1)).toBe(shared().numeric(hits, 2));
    expect(shared().numeric(hits, 0)).not.toBe(shared().numeric(hits, 1));
    const during = kernel.cursor;
    const hashDuring = kernel.stateHash();

    expect(kernel.run({ events: 1_000_000 })).toBe('quiescent');
    for (let object = 0; object < OBJECTS.length; object++) {
      const hashes = [0, 1, 2].map((node) => shared().replicaHash(object, node));
      expect(new Set(hashes).size, OBJECTS[object]).toBe(1);
    }
    const value = (name: string) => shared().value(OBJECTS.indexOf(name), 1);
    const numeric = (name: string) => shared().numeric(OBJECTS.indexOf(name), 2);
    expect(value('hits')).toBe(60); // 3 writers x 10 x 2
    expect(value('score')).toBe(-30);
    expect(value('seen')).toEqual(['n0', 'n1', 'n2']);
    expect((value('config') as [string, string][]).map(([key]) => key)).toEqual(['owner']);
    expect(['0', '1', '2']).toContain(value('leader'));
    expect(numeric('leader')).toBe(Number(value('leader')));
    expect(value('notes')).toBe('x'.repeat(30));
    expect(value('load')).toEqual({ count: 30, sum: 150, min: 5, max: 5 });
    expect(numeric('load')).toBe(30);
    // Every edge was removed again; the vertices stay (add-wins, removing an edge keeps them).
    expect(value('links')).toEqual({ vertices: ['hub', 'n0', 'n1', 'n2'], edges: [] });
    // A workflow task never moves back: done stays done after the transition to pending.
    expect(value('jobs')).toEqual([['job0', 'done'], ['job1', 'done'], ['job2', 'done']]);
    expect(numeric('jobs')).toBe(3);

    const end = kernel.cursor;
    const hashEnd = kernel.stateHash();
    kernel.seek(during);
    expect(kernel.stateHash()).toBe(hashDuring);
    kernel.seek(end);
    expect(kernel.stateHash()).toBe(hashEnd);
    expect(value('load')).toEqual({ count: 30, sum: 150, min: 5, max: 5 });
  });

  it('refuses wrong ops, states and declarations at their line and column', () => {
    const cases: [string, string][] = [
      ['shared: { h: { type: g-counter } }\nagents: { a: { program: [ { crdt: { object: h, op: dec } } ] } }', 'is a g-counter: expected op inc'],
      ['shared: { j: { type: workflow } }\nagents: { a: { program: [ idle ] } }', 'needs its states'],
      ['shared: { j: { type: workflow, states: [a, a] } }\nagents: { a: { program: [ { exit } ] } }', 'listed twice'],
      ['shared: { c: { type: pn-counter, states: [a] } }\nagents: { a: { program: [ { exit } ] } }', 'states apply to a workflow only'],
      ['shared: { j: { type: workflow, states: [todo, done] } }\nagents: { a: { program: [ { crdt: { object: j, op: transition, task: t, state: don } } ] } }', 'did you mean "done"'],
      ['shared: { s: { type: time-series } }\nagents: { a: { program: [ { crdt: { object: s, op: append, value: lots } } ] } }', 'integer'],
      ['shared: { g: { type: graph } }\nagents: { a: { program: [ { crdt: { object: g, op: add-edge, from: x } } ] } }', 'missing required key "to"'],
    ];
    for (const [body, message] of cases) {
      const result = parseSpec(`agentos: 1\n${body}\n`);
      expect(result.ok, body).toBe(false);
      if (result.ok) continue;
      const text = result.errors.map(formatSpecError).join('\n');
      expect(text, body).toContain(message);
      expect(result.errors[0].line, body).toBeGreaterThan(1);
    }
  });
});
