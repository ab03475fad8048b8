import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, parseOk, withoutLines } from '../helpers/spec';
import { parseDuration, parseProbabilityPpm, parseRate, parseSize, parseTickRange } from '../../src/spec';

const EXAMPLES_DIR = join(__dirname, '../../public/examples');

describe('examples in public/examples', () => {
  const index = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'index.json'), 'utf8')) as { file: string; title: string; description: string }[];

  it('index.json lists every example file exactly once, with a title and a description', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.yaml') && !file.endsWith('.experiment.yaml') && !file.endsWith('.evolve.yaml')).sort(); // experiment and evolve plans are src/lab's (tests/unit/lab-example.test.ts, evolve-example.test.ts)
    expect(index.map((entry) => entry.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const entry of index) {
      expect(entry.title.length).toBeGreaterThan(5);
      expect(entry.description.length).toBeGreaterThan(20);
    }
  });

  for (const entry of index) {
    it(`${entry.file} parses without errors and describes itself`, () => {
      const spec = parseOk(readFileSync(join(EXAMPLES_DIR, entry.file), 'utf8'));
      expect(spec.name).toBe(entry.file.replace(/\.yaml$/, ''));
      expect(spec.description.length).toBeGreaterThan(40);
      for (const agent of spec.agents) for (const port of agent.ports) expect(port.channelIndex).toBeGreaterThanOrEqual(0);
    });
  }

  it('the swarm has a thousand processes on four nodes', () => {
    const spec = parseOk(readFileSync(join(EXAMPLES_DIR, 'swarm.yaml'), 'utf8'));
    expect(spec.processCount).toBe(1000);
    expect(spec.cluster.nodeCount).toBe(4);
  });

  it('the starvation example runs the priority scheduler with a low-priority agent', () => {
    const spec = parseOk(readFileSync(join(EXAMPLES_DIR, 'priority-starvation.yaml'), 'utf8'));
    expect(spec.kernel.scheduler).toBe('priority');
    const auditor = spec.agents.find((agent) => agent.name === 'auditor')!;
    expect(auditor.priority).toBeGreaterThan(Math.max(...spec.agents.filter((agent) => agent !== auditor).map((agent) => agent.priority)));
  });
});

const DESIGN_EXAMPLE = lines(
  'agentos: 1',
  'name: map-reduce',
  'seed: 42',
  'kernel: { scheduler: fair, quantum: 1ms, memory: 64MiB, allocator: tlsf }',
  'cluster:',
  '  nodes: 3',
  '  topology: mesh',
  '  latency: 1ms..5ms',
  '  loss: 0.01',
  '  faults:',
  '    - { at: 500ms, crash: n1 }',
  '    - { at: 200ms, partition: [[n0], [n1, n2]] }',
  '    - { at: 400ms, heal: all }',
  '    - { at: 200ms, recover: n2 }',
  'agents:',
  '  source:',
  '    program: producer',
  '    args: { count: 10000, size: 256B, every: 10us }',
  '  mapper:',
  '    replicas: 4',
  '    node: any',
  '    priority: -3',
  '    memory: 1MiB',
  '    restart: on-failure',
  '    capabilities: [fast]',
  '    program:',
  '      - repeat: forever',
  '        do:',
  '          - recv: in',
  '          - compute: 200us',
  '          - alloc: { size: 4KiB, as: buf }',
  '          - send: { port: out, size: 128B }',
  '          - free: buf',
  '  reducer:',
  '    program: reducer',
  'channels:',
  '  - { from: source.out, to: mapper.in, capacity: 1024 }',
  '  - { from: mapper.out, to: reducer.in, rate: 100/ms }',
  'shared:',
  '  seen:   { type: or-set }',
  '  visits: { type: pn-counter }',
  '  notes:  { type: text }',
  '  config: lww-map',
  'resources:',
  '  gpu: { units: 4, auction: second-price }',
  '  disk: 2',
);

describe('the design.md example', () => {
  const spec = parseOk(DESIGN_EXAMPLE);

  it('reads the header, kernel and cluster as integers', () => {
    expect(spec.format).toBe(1);
    expect(spec.name).toBe('map-reduce');
    expect(spec.seed).toBe(42);
    expect(spec.kernel).toEqual({ scheduler: 'fair', quantumTicks: 1000, heapBytes: 64 * 1024 * 1024, allocator: 'tlsf' });
    expect(spec.cluster.nodeCount).toBe(3);
    expect(spec.cluster.latency).toEqual({ minTicks: 1000, maxTicks: 5000 });
    expect(spec.cluster.lossPpm).toBe(10_000);
  });

  it('sorts faults by time, keeping spec order at equal times', () => {
    expect(spec.cluster.faults.map((fault) => [fault.kind, fault.atTicks, fault.line])).toEqual([
      ['partition', 200_000, 12], ['recover', 200_000, 14], ['heal', 400_000, 13], ['crash', 500_000, 11],
    ]);
    expect(spec.cluster.faults[0]).toMatchObject({ groups: [[0], [1, 2]] });
  });

  it('reads agents in spec order with their settings', () => {
    expect(spec.agents.map((agent) => agent.name)).toEqual(['source', 'mapper', 'reducer']);
    const mapper = spec.agents[1];
    expect(mapper).toMatchObject({ index: 1, replicas: 4, node: 'any', priority: -3, memoryBytes: 1024 * 1024, capabilities: ['fast'], behaviour: null, line: 19 });
    expect(mapper.restart).toEqual({ policy: 'on-failure', countMax: 10, backoffTicks: 1000 });
    expect(spec.processCount).toBe(6);
  });

  it('binds every send and recv to the channel that joins its port', () => {
    expect(spec.channels.map((channel) => [channel.from.agent, channel.from.port, channel.to.agent, channel.to.port, channel.capacity, channel.rate])).toEqual([
      ['source', 'out', 'mapper', 'in', 1024, null],
      ['mapper', 'out', 'reducer', 'in', 64, { count: 100, windowTicks: 1000 }],
    ]);
    expect(spec.agents[1].ports).toEqual([{ name: 'in', direction: 'in', channelIndex: 0 }, { name: 'out', direction: 'out', channelIndex: 1 }]);
    const loop = spec.agents[1].program[0];
    expect(loop.kind).toBe('repeat');
    if (loop.kind !== 'repeat') return;
    expect(loop.count).toBeNull();
    expect(loop.body).toEqual([
      { kind: 'recv', port: 'in', channelIndex: 0, timeoutTicks: null, line: 29 },
      { kind: 'compute', minTicks: 200, maxTicks: 200, line: 30 },
      { kind: 'alloc', sizeBytes: 4096, name: 'buf', line: 31 },
      { kind: 'send', port: 'out', channelIndex: 1, sizeBytes: 128, timeoutTicks: null, line: 32 },
      { kind: 'free', name: 'buf', line: 33 },
    ]);
  });

  it('reads shared objects and resources, long and short forms', () => {
    expect(spec.shared.map((object) => [object.index, object.name, object.type])).toEqual([
      [0, 'seen', 'or-set'], [1, 'visits', 'pn-counter'], [2, 'notes', 'text'], [3, 'config', 'lww-map'],
    ]);
    expect(spec.resources).toEqual([
      { index: 0, name: 'gpu', units: 4, auction: 'second-price' },
      { index: 1, name: 'disk', units: 2, auction: 'second-price' },
    ]);
  });

  it('reads the same spec written as JSON', () => {
    const json = JSON.stringify({
      agentos: 1,
      seed: 42,
      agents: { source: { program: 'producer', args: { count: 3, size: '1KiB' } }, sink: { program: 'consumer' } },
      channels: [{ from: 'source.out', to: 'sink.in' }],
    }, null, 2);
    const fromJson = parseOk(json);
    expect(fromJson.seed).toBe(42);
    expect(fromJson.agents[0].program).toEqual([{
      kind: 'repeat', count: 3, line: 6, body: [
        { kind: 'send', port: 'out', channelIndex: 0, sizeBytes: 1024, timeoutTicks: null, line: 6 },
        { kind: 'sleep', minTicks: 100, maxTicks: 100, line: 6 },
      ],
    }]);
  });
});

describe('defaults', () => {
  it('fills in every default of a minimal spec', () => {
    const spec = parseOk(lines('agentos: 1', 'agents:', '  a: { program: idle }'));
    expect(spec.name).toBe('untitled');
    expect(spec.description).toBe('');
    expect(spec.seed).toBe(1);
    expect(spec.kernel).toEqual({ scheduler: 'fair', quantumTicks: 1000, heapBytes: 64 * 1024 * 1024, allocator: 'tlsf' });
    expect(spec.cluster).toEqual({ nodeCount: 1, topology: 'mesh', latency: { minTicks: 1000, maxTicks: 1000 }, lossPpm: 0, faults: [] });
    expect(spec.agents[0]).toEqual({
      index: 0, name: 'a', replicas: 1, node: 'any', priority: 0, memoryBytes: 64 * 1024 * 1024,
      restart: { policy: 'never', countMax: 10, backoffTicks: 1000 }, capabilities: [], behaviour: 'idle',
      program: [{ kind: 'repeat', count: null, line: 3, body: [{ kind: 'sleep', minTicks: 100_000, maxTicks: 100_000, line: 3 }] }],
      ports: [], line: 3,
    });
    expect(spec.channels).toEqual([]);
    expect(spec.shared).toEqual([]);
    expect(spec.resources).toEqual([]);
    expect(spec.processCount).toBe(1);
  });

  it('an agent memory limit defaults to the node heap; restart takes a long form', () => {
    const spec = parseOk(lines(
      'agentos: 1',
      'kernel: { memory: 2MiB }',
      'agents:',
      '  a: { program: idle, restart: { policy: always, max: 3, backoff: 5ms } }',
    ));
    expect(spec.agents[0].memoryBytes).toBe(2 * 1024 * 1024);
    expect(spec.agents[0].restart).toEqual({ policy: 'always', countMax: 3, backoffTicks: 5000 });
  });

  it('a partition that leaves nodes out puts them in one last group', () => {
    const spec = parseOk(lines(
      'agentos: 1',
      'cluster: { nodes: 5, faults: [{ at: 0us, partition: [[n3], [n0]] }] }',
      'agents: { a: { program: idle, node: n4 } }',
    ));
    expect(spec.cluster.faults[0]).toEqual({ kind: 'partition', atTicks: 0, groups: [[3], [0], [1, 2, 4]], line: 2 });
    expect(spec.agents[0].node).toBe(4);
  });
});

describe('units', () => {
  it('sizes are integer bytes', () => {
    expect([parseSize('0B'), parseSize('256B'), parseSize('4KiB'), parseSize('64MiB'), parseSize('1GiB'), parseSize('3 KiB')])
      .toEqual([0, 256, 4096, 64 * 1024 * 1024, 1024 ** 3, 3072]);
    for (const bad of ['4KB', '4kib', '1.5KiB', '-1B', 'KiB', '4', '', '4 KiB B', '99999999999999999GiB']) expect(parseSize(bad)).toBeNull();
  });

  it('durations are integer ticks of 1 µs', () => {
    expect([parseDuration('0us'), parseDuration('10us'), parseDuration('10µs'), parseDuration('200ms'), parseDuration('2s')])
      .toEqual([0, 10, 10, 200_000, 2_000_000]);
    for (const bad of ['10', '1.5ms', '10m', '10 h', 'ms', '-1ms']) expect(parseDuration(bad)).toBeNull();
  });

  it('ranges, rates and probabilities are integers too', () => {
    expect(parseTickRange('1ms..5ms')).toEqual({ minTicks: 1000, maxTicks: 5000 });
    expect(parseTickRange('7us')).toEqual({ minTicks: 7, maxTicks: 7 });
    expect(parseTickRange('5ms..1ms')).toBeNull();
    expect(parseTickRange('1ms..2ms..3ms')).toBeNull();
    expect(parseRate('100/ms')).toEqual({ count: 100, windowTicks: 1000 });
    expect(parseRate('5/10ms')).toEqual({ count: 5, windowTicks: 10_000 });
    expect(parseRate('3/s')).toEqual({ count: 3, windowTicks: 1_000_000 });
    expect(parseRate('100 per ms')).toBeNull();
    expect([parseProbabilityPpm(0), parseProbabilityPpm(1), parseProbabilityPpm(0.01), parseProbabilityPpm('0.000001'), parseProbabilityPpm('1%'), parseProbabilityPpm('2.5%'), parseProbabilityPpm('100%')])
      .toEqual([0, 1_000_000, 10_000, 1, 10_000, 25_000, 1_000_000]);
    for (const bad of [1.5, -0.1, 1e-7, '0.0000001', '101%', 'half', Number.NaN]) expect(parseProbabilityPpm(bad)).toBeNull();
  });
});

describe('steps', () => {
  it('reads every step kind into its typed form', () => {
    const spec = parseOk(lines(
      'agentos: 1',
      'shared:',
      '  c: pn-counter',
      '  s: or-set',
      '  m: lww-map',
      '  t: text',
      'resources: { gpu: 2 }',
      'agents:',
      '  helper: { program: idle, replicas: 0 }',
      '  a:',
      '    program:',
      '      - compute: 1ms..2ms',
      '      - io: 300us',
      '      - sleep: 1s',
      '      - alloc: { size: 1KiB, as: x }',
      '      - free: x',
      '      - send: out',
      '      - send: { port: out, size: 1MiB, timeout: 5ms }',
      '      - recv: { port: in, timeout: 1ms }',
      '      - spawn: helper',
      '      - write: { path: "/logs/{agent}.log", size: 100B }',
      '      - read: /logs/a.log',
      '      - read: { path: /x, size: 1B }',
      '      - crdt: { object: c, op: inc }',
      '      - crdt: { object: c, op: dec, by: 5 }',
      '      - crdt: { object: s, op: add, element: "{node}" }',
      '      - crdt: { object: s, op: remove, element: 7 }',
      '      - crdt: { object: m, op: set, key: k, value: v }',
      '      - crdt: { object: m, op: delete, key: k }',
      '      - crdt: { object: t, op: insert, text: hi }',
      '      - crdt: { object: t, op: insert, at: 3, text: yo }',
      '      - crdt: { object: t, op: delete, at: 1, count: 2 }',
      '      - bid: { resource: gpu, units: 2, price: 30, timeout: 10ms }',
      '      - release: gpu',
      '      - choose:',
      '          - { weight: 3, do: [ { compute: 1us } ] }',
      '          - { weight: 1, do: [] }',
      '      - repeat: 2',
      '        do: [ { fail: 0.5 }, { fail: { probability: 1%, code: 9 } } ]',
      '      - exit: 4',
      '      - exit',
      'channels:',
      '  - { from: a.out, to: a.in }',
    ));
    expect(withoutLines(spec.agents[1].program)).toEqual([
      { kind: 'compute', minTicks: 1000, maxTicks: 2000 },
      { kind: 'io', minTicks: 300, maxTicks: 300 },
      { kind: 'sleep', minTicks: 1_000_000, maxTicks: 1_000_000 },
      { kind: 'alloc', sizeBytes: 1024, name: 'x' },
      { kind: 'free', name: 'x' },
      { kind: 'send', port: 'out', channelIndex: 0, sizeBytes: 64, timeoutTicks: null },
      { kind: 'send', port: 'out', channelIndex: 0, sizeBytes: 1024 * 1024, timeoutTicks: 5000 },
      { kind: 'recv', port: 'in', channelIndex: 0, timeoutTicks: 1000 },
      { kind: 'spawn', agent: 'helper', agentIndex: 0 },
      { kind: 'write', path: '/logs/{agent}.log', sizeBytes: 100 },
      { kind: 'read', path: '/logs/a.log', sizeBytes: null },
      { kind: 'read', path: '/x', sizeBytes: 1 },
      { kind: 'crdt', object: 'c', objectIndex: 0, op: { name: 'counter/inc', amount: 1 } },
      { kind: 'crdt', object: 'c', objectIndex: 0, op: { name: 'counter/dec', amount: 5 } },
      { kind: 'crdt', object: 's', objectIndex: 1, op: { name: 'set/add', element: '{node}' } },
      { kind: 'crdt', object: 's', objectIndex: 1, op: { name: 'set/remove', element: '7' } },
      { kind: 'crdt', object: 'm', objectIndex: 2, op: { name: 'map/set', key: 'k', value: 'v' } },
      { kind: 'crdt', object: 'm', objectIndex: 2, op: { name: 'map/delete', key: 'k' } },
      { kind: 'crdt', object: 't', objectIndex: 3, op: { name: 'text/insert', at: 'end', text: 'hi' } },
      { kind: 'crdt', object: 't', objectIndex: 3, op: { name: 'text/insert', at: 3, text: 'yo' } },
      { kind: 'crdt', object: 't', objectIndex: 3, op: { name: 'text/delete', at: 1, count: 2 } },
      { kind: 'bid', resource: 'gpu', resourceIndex: 0, units: 2, price: 30, timeoutTicks: 10_000 },
      { kind: 'release', resource: 'gpu', resourceIndex: 0 },
      { kind: 'choose', weightTotal: 4, branches: [{ weight: 3, body: [{ kind: 'compute', minTicks: 1, maxTicks: 1 }] }, { weight: 1, body: [] }] },
      { kind: 'repeat', count: 2, body: [{ kind: 'fail', probabilityPpm: 500_000, code: 1 }, { kind: 'fail', probabilityPpm: 10_000, code: 9 }] },
      { kind: 'exit', code: 4 },
      { kind: 'exit', code: 0 },
    ]);
    expect(spec.agents[1].program.map((step) => step.line)).toEqual(Array.from({ length: 27 }, (_, i) => (i < 24 ? 12 + i : i === 24 ? 38 : 15 + i)));
    expect(spec.processCount).toBe(1);
  });
});
