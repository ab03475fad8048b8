import { describe, expect, it } from 'vitest';
import { lines, parseOk, withoutLines } from '../helpers/spec';
import { BEHAVIOURS, formatSpecError, parseSpec } from '../../src/spec';

/**
 * The program of agent `x` in a spec where x runs `behaviour` with `args` (flow YAML), and a
 * partner `p` joins x's ports: `outs` are x's out ports, `ins` its in ports.
 */
function expand(behaviour: string, args: string, ports: { ins?: string[]; outs?: string[] } = {}, head: string[] = []): unknown[] {
  const ins = ports.ins ?? [];
  const outs = ports.outs ?? [];
  const partner = [...ins.map((port) => `{ send: ${port} }`), ...outs.map((port) => `{ recv: ${port} }`)];
  const channels = [
    ...ins.map((port) => `  - { from: p.${port}, to: x.${port} }`),
    ...outs.map((port) => `  - { from: x.${port}, to: p.${port} }`),
  ];
  const spec = parseOk(lines(
    'agentos: 1',
    ...head,
    'agents:',
    `  x: { program: ${behaviour}${args === '' ? '' : `, args: ${args}`} }`,
    ...(partner.length > 0 ? [`  p: { program: [ ${partner.join(', ')} ] }`] : []),
    ...(channels.length > 0 ? ['channels:', ...channels] : []),
  ));
  const x = spec.agents[0];
  expect(x.behaviour).toBe(behaviour);
  for (const step of x.program) expect(step.line).toBe(head.length + 3);
  return withoutLines(x.program);
}

const send = (port: string, channelIndex: number, sizeBytes: number) => ({ kind: 'send', port, channelIndex, sizeBytes, timeoutTicks: null });
const recv = (port: string, channelIndex: number, timeoutTicks: number | null = null) => ({ kind: 'recv', port, channelIndex, timeoutTicks });
const timed = (kind: string, minTicks: number, maxTicks = minTicks) => ({ kind, minTicks, maxTicks });

describe('built-in behaviours expand to step programs', () => {
  it('producer', () => {
    expect(expand('producer', '', { outs: ['out'] })).toEqual([{ kind: 'repeat', count: null, body: [send('out', 0, 64), timed('sleep', 100)] }]);
    expect(expand('producer', '{ count: 5, size: 1KiB, every: 0us, port: feed }', { outs: ['feed'] })).toEqual([
      { kind: 'repeat', count: 5, body: [send('feed', 0, 1024)] },
    ]);
  });

  it('consumer', () => {
    expect(expand('consumer', '{ count: 3, work: 10us..20us, timeout: 5ms, port: jobs }', { ins: ['jobs'] })).toEqual([
      { kind: 'repeat', count: 3, body: [recv('jobs', 0, 5000), timed('compute', 10, 20)] },
    ]);
  });

  it('mapper', () => {
    expect(expand('mapper', '', { ins: ['in'], outs: ['out'] })).toEqual([{ kind: 'repeat', count: null, body: [
      recv('in', 0), timed('compute', 200), { kind: 'alloc', sizeBytes: 4096, name: 'buf' }, send('out', 1, 128), { kind: 'free', name: 'buf' },
    ] }]);
    expect(expand('mapper', '{ buffer: 0B, in: a, out: b, count: 9 }', { ins: ['a'], outs: ['b'] })).toEqual([
      { kind: 'repeat', count: 9, body: [recv('a', 0), timed('compute', 200), send('b', 1, 128)] },
    ]);
  });

  it('reducer', () => {
    expect(expand('reducer', '', { ins: ['in'] })).toEqual([
      { kind: 'alloc', sizeBytes: 16384, name: 'state' },
      { kind: 'repeat', count: null, body: [
        { kind: 'repeat', count: 100, body: [recv('in', 0), timed('compute', 20)] },
        { kind: 'write', path: '/reduced', sizeBytes: 1024 },
      ] },
    ]);
    expect(expand('reducer', '{ count: 2, batch: 3, work: 0us, state: 1KiB, output: /out/sum, size: 8B }', { ins: ['in'] })).toEqual([
      { kind: 'alloc', sizeBytes: 1024, name: 'state' },
      { kind: 'repeat', count: 2, body: [{ kind: 'repeat', count: 3, body: [recv('in', 0)] }, { kind: 'write', path: '/out/sum', sizeBytes: 8 }] },
      { kind: 'free', name: 'state' },
    ]);
  });

  it('router, round-robin and random', () => {
    expect(expand('router', '{ outs: [a, b] }', { ins: ['in'], outs: ['a', 'b'] })).toEqual([{ kind: 'repeat', count: null, body: [
      recv('in', 0), timed('compute', 10), send('a', 1, 64), recv('in', 0), timed('compute', 10), send('b', 2, 64),
    ] }]);
    expect(expand('router', '{ outs: [a, b], policy: random, size: 1B, work: 0us }', { ins: ['in'], outs: ['a', 'b'] })).toEqual([{ kind: 'repeat', count: null, body: [
      recv('in', 0),
      { kind: 'choose', weightTotal: 2, branches: [{ weight: 1, body: [send('a', 1, 1)] }, { weight: 1, body: [send('b', 2, 1)] }] },
    ] }]);
  });

  it('worker, with and without ports', () => {
    expect(expand('worker', '')).toEqual([{ kind: 'repeat', count: null, body: [timed('compute', 1000)] }]);
    expect(expand('worker', '{ jobs: 7, in: jobs, out: done, memory: 1KiB, think: 1ms, size: 2B }', { ins: ['jobs'], outs: ['done'] })).toEqual([{ kind: 'repeat', count: 7, body: [
      recv('jobs', 0), { kind: 'alloc', sizeBytes: 1024, name: 'job' }, timed('compute', 1000), send('done', 1, 2), { kind: 'free', name: 'job' }, timed('sleep', 1000),
    ] }]);
  });

  it('bidder', () => {
    expect(expand('bidder', '{ resource: gpu }', {}, ['resources: { cpu: 8, gpu: 2 }'])).toEqual([{ kind: 'repeat', count: null, body: [
      { kind: 'bid', resource: 'gpu', resourceIndex: 1, units: 1, price: 10, timeoutTicks: null },
      timed('compute', 5000),
      { kind: 'release', resource: 'gpu', resourceIndex: 1 },
      timed('sleep', 1000),
    ] }]);
    expect(expand('bidder', '{ resource: gpu, units: 2, price: 0, timeout: 3ms, rounds: 1, think: 0us }', {}, ['resources: { gpu: 2 }'])).toEqual([{ kind: 'repeat', count: 1, body: [
      { kind: 'bid', resource: 'gpu', resourceIndex: 0, units: 2, price: 0, timeoutTicks: 3000 },
      timed('compute', 5000),
      { kind: 'release', resource: 'gpu', resourceIndex: 0 },
    ] }]);
  });

  it('forager, counting finds in a shared counter or not', () => {
    expect(expand('forager', '{ counter: food, find: 0.1 }', {}, ['shared: { log: text, food: pn-counter }'])).toEqual([{ kind: 'repeat', count: null, body: [
      timed('compute', 200, 2000),
      { kind: 'choose', weightTotal: 1_000_000, branches: [
        { weight: 100_000, body: [{ kind: 'crdt', object: 'food', objectIndex: 1, op: { name: 'counter/inc', amount: 1 } }, timed('sleep', 1000)] },
        { weight: 900_000, body: [] },
      ] },
    ] }]);
    expect(expand('forager', '{ trips: 2, find: 100%, rest: 0us }')).toEqual([{ kind: 'repeat', count: 2, body: [
      timed('compute', 200, 2000),
      { kind: 'choose', weightTotal: 1_000_000, branches: [{ weight: 1_000_000, body: [] }, { weight: 0, body: [] }] },
    ] }]);
  });

  it('cpu-hog, leaker, idle', () => {
    expect(expand('cpu-hog', '')).toEqual([{ kind: 'repeat', count: null, body: [timed('compute', 10_000)] }]);
    expect(expand('cpu-hog', '{ slice: 1ms..3ms, count: 4 }')).toEqual([{ kind: 'repeat', count: 4, body: [timed('compute', 1000, 3000)] }]);
    expect(expand('leaker', '{ size: 1KiB, every: 0us, count: 3 }')).toEqual([{ kind: 'repeat', count: 3, body: [{ kind: 'alloc', sizeBytes: 1024, name: 'leak' }] }]);
    expect(expand('leaker', '')).toEqual([{ kind: 'repeat', count: null, body: [{ kind: 'alloc', sizeBytes: 4096, name: 'leak' }, timed('sleep', 1000)] }]);
    expect(expand('idle', '{ period: 1s, count: 0 }')).toEqual([{ kind: 'repeat', count: 0, body: [timed('sleep', 1_000_000)] }]);
  });

  it('a behaviour expands to exactly what the same program written by hand gives', () => {
    const byBehaviour = parseOk(lines(
      'agentos: 1',
      'agents:',
      '  x: { program: mapper, args: { work: 1ms..2ms, buffer: 2KiB, size: 32B } }',
      '  p: { program: [ { send: in }, { recv: out } ] }',
      'channels: [ { from: p.in, to: x.in }, { from: x.out, to: p.out } ]',
    ));
    const byHand = parseOk(lines(
      'agentos: 1',
      'agents:',
      '  x:',
      '    program:',
      '      - repeat: forever',
      '        do: [ { recv: in }, { compute: 1ms..2ms }, { alloc: { size: 2KiB, as: buf } }, { send: { port: out, size: 32B } }, { free: buf } ]',
      '  p: { program: [ { send: in }, { recv: out } ] }',
      'channels: [ { from: p.in, to: x.in }, { from: x.out, to: p.out } ]',
    ));
    expect(withoutLines(byBehaviour.agents[0].program)).toEqual(withoutLines(byHand.agents[0].program));
    expect(byBehaviour.agents[0].ports).toEqual(byHand.agents[0].ports);
  });

  it('every behaviour documents itself and is covered above', () => {
    const covered = ['producer', 'consumer', 'mapper', 'reducer', 'router', 'worker', 'bidder', 'forager', 'cpu-hog', 'leaker', 'idle'];
    expect(BEHAVIOURS.map((behaviour) => behaviour.name)).toEqual(covered);
    for (const behaviour of BEHAVIOURS) {
      expect(behaviour.summary.length).toBeGreaterThan(10);
      const names = behaviour.args.map((arg) => arg.name);
      expect(new Set(names).size).toBe(names.length);
      for (const arg of behaviour.args) expect(arg.doc.length).toBeGreaterThan(3);
    }
  });

  it('arguments are validated like any other value', () => {
    const result = parseSpec(lines(
      'agentos: 1',
      'agents:',
      '  x: { program: worker, args: { jobs: -1, work: fast, memory: 1KB, in: 3 } }',
      '  y: { program: router, args: { outs: [], policy: sticky } }',
    ));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatSpecError)).toEqual([
      'agents.x.args.jobs: expected forever or an integer from 0 to 1000000000 at 3:39',
      'agents.x.args.work: expected a duration like 10ms or a range like 1ms..5ms (min <= max) at 3:49',
      'agents.x.args.memory: expected a size like 4KiB (units are B, KiB, MiB, GiB) at 3:63',
      'agents.x.args.in: expected a port name (letters, digits, _ and -, starting with a letter) at 3:72',
      'agents.y.args.outs: expected 1 to 16 port names at 4:39',
      'agents.y.args.policy: expected one of round-robin, random at 4:51',
    ]);
  });
});

describe('src/spec/README.md keeps up with the code', () => {
  it('names every behaviour, every step kind and every limit', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const spec = await import('../../src/spec');
    const readme = readFileSync(join(__dirname, '../../src/spec/README.md'), 'utf8');
    for (const behaviour of BEHAVIOURS) expect(readme).toContain(`\`${behaviour.name}\``);
    for (const kind of spec.STEP_KINDS) expect(readme).toContain(kind);
    const limits = Object.keys(spec).filter((name) => name.endsWith('_MAX'));
    expect(limits.length).toBeGreaterThan(20);
    const missing = limits.filter((name) => !readme.includes(name) && !['NAME_CHARS_MAX', 'FILE_PATH_CHARS_MAX', 'TEXT_CHARS_MAX', 'DESCRIPTION_CHARS_MAX', 'RATE_COUNT_MAX', 'RESOURCE_UNITS_MAX', 'PRICE_MAX', 'CAPABILITIES_MAX', 'CHOOSE_WEIGHT_MAX', 'QUANTUM_TICKS_MAX'].includes(name));
    expect(missing).toEqual([]);
  });
});
