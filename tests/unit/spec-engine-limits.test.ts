// Specs the parser used to accept that the engine could not run: each is now refused at its
// line:column with the limit named, and the spec's limits are the engine's own.
import { describe, expect, it } from 'vitest';
import { loadDebugCore } from '../helpers/core';
import { errorsOf, lines, parseOk } from '../helpers/spec';
import { CHANNELS_CAPACITY_TOTAL_MAX, DURATION_TICKS_MAX, LATENCY_TICKS_MAX, NODES_MAX } from '../../src/spec/limits';
import { formatDuration } from '../../src/spec/units';
import { MESSAGES_MAX } from '../../src/kernel/state';
import { Kernel } from '../../src/kernel/kernel';

const pipe = (channels: number, capacity: number) => lines(
  'agentos: 1',
  'agents:',
  '  p:',
  '    program:',
  ...Array.from({ length: channels }, (_, i) => `      - send: o${i}`),
  '  c:',
  '    program:',
  ...Array.from({ length: channels }, (_, i) => `      - recv: i${i}`),
  'channels:',
  ...Array.from({ length: channels }, (_, i) => `  - { from: p.o${i}, to: c.i${i}, capacity: ${capacity} }`),
);

describe('the spec limits are the engine limits', () => {
  it('NODES_MAX is the core scheduler and heap node limit', async () => {
    const core = await loadDebugCore();
    expect(() => core.sched.configure(NODES_MAX, 1)).not.toThrow();
    expect(() => core.sched.configure(NODES_MAX + 1, 1)).toThrow(/badConfig/);
    expect(() => core.heap.configure(NODES_MAX, 1024, 1)).not.toThrow();
    expect(() => core.heap.configure(NODES_MAX + 1, 1024, 1)).toThrow(/badConfig/);
  });

  it('a cluster past NODES_MAX is refused at cluster.nodes, and the largest one boots', async () => {
    expect(errorsOf(lines('agentos: 1', 'cluster:', `  nodes: ${NODES_MAX + 1}`, 'agents: { a: { program: idle } }'))).toEqual([
      `cluster.nodes: expected a node count from 1 to ${NODES_MAX} at 3:10`,
    ]);
    const text = lines('agentos: 1', 'kernel: { memory: 1MiB }', `cluster: { nodes: ${NODES_MAX} }`, 'agents:', '  a:', `    replicas: ${NODES_MAX}`, '    program:', '      - compute: 1ms');
    const kernel = Kernel.fromText(text, await loadDebugCore());
    expect(kernel.run({ events: 10_000 })).toBe('quiescent');
  });

  it('the message pool is the total channel capacity limit', () => {
    expect(MESSAGES_MAX).toBe(CHANNELS_CAPACITY_TOTAL_MAX);
  });

  it('channels holding more than CHANNELS_CAPACITY_TOTAL_MAX together are refused at the channel that passes it', () => {
    expect(errorsOf(pipe(17, 65536))).toEqual([
      `channels[16].capacity: the channels up to this one hold ${17 * 65536} messages, more than the ${CHANNELS_CAPACITY_TOTAL_MAX} all channels may hold together at 58:41`,
    ]);
    expect(() => parseOk(pipe(16, 65536))).not.toThrow();
    expect(errorsOf(pipe(1024, 1025))[0]).toMatch(/^channels\[1023\]\.capacity: the channels up to this one hold 1049600 messages, more than the 1048576 all channels may hold together at /);
  });

  it('the kernel refuses a spec past the pool even when it bypassed the parser (never lays rings past their array)', async () => {
    const spec = parseOk(pipe(17, 1));
    const forged = { ...spec, channels: spec.channels.map((channel) => ({ ...channel, capacity: 65536 })) };
    expect(() => new Kernel(forged, loadDebugCoreSync)).toThrow(`more than the kernel's ${MESSAGES_MAX} (the spec parser refuses such a spec)`);
  });
});

let loadDebugCoreSync: Awaited<ReturnType<typeof loadDebugCore>>;
await loadDebugCore().then((core) => (loadDebugCoreSync = core));

describe('durations fit the journal', () => {
  const waiting = (timeout: string, latency = '1ms') => lines('agentos: 1', `cluster: { nodes: 16, topology: ring, latency: ${latency} }`, 'kernel: { memory: 1MiB }', 'agents:',
    '  s:', '    node: n8', '    program:', '      - repeat: 300', '        do:', '          - sleep: 10us', '          - send: o',
    '  r:', '    node: n0', '    program:', '      - repeat: 300', '        do:', `          - recv: { port: i, timeout: ${timeout} }`,
    'channels:', '  - { from: s.o, to: r.i, capacity: 1 }');

  it('a timeout past 2^31 ticks is refused (it used to be recorded wrapped and diverge on re-execution)', () => {
    expect(errorsOf(waiting('3600s'))).toEqual([`agents.r.program[0].do[0].recv.timeout: expected a duration from 1us to ${formatDuration(DURATION_TICKS_MAX)} (this is 3600s) at 17:39`]);
    expect(errorsOf(waiting('1ms', '101s'))).toEqual([`cluster.latency: expected durations of at most ${LATENCY_TICKS_MAX}us at 2:48`]);
  });

  it('the longest timeout and latency run, seek back and replay alike', async () => {
    const kernel = Kernel.fromText(waiting(`${DURATION_TICKS_MAX / 1e6}s`, `${LATENCY_TICKS_MAX / 1e6}s`), loadDebugCoreSync);
    kernel.run({ events: 5000 });
    const end = kernel.cursor, hash = kernel.stateHash();
    kernel.seek(Math.floor(end / 3));
    kernel.seek(end);
    expect(kernel.stateHash()).toBe(hash);
  });

  it('an event field that does not fit the journal is a clear error, not a later divergence', async () => {
    const spec = parseOk(waiting('1ms'));
    const forged = { ...spec, cluster: { ...spec.cluster, latency: { minTicks: 2 ** 31, maxTicks: 2 ** 31 } } };
    const kernel = new Kernel(forged, loadDebugCoreSync);
    expect(() => kernel.run({ events: 5000 })).toThrow(/ipc\/sent at event \d+ has a field outside int32/);
  });
});

describe('what a spec says must be something the engine can do', () => {
  it('agents that start no process at all are refused at agents', () => {
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a:', '    replicas: 0', '    program: idle', '  b: { replicas: 0, program: idle }'))).toEqual([
      'agents: no agent starts a process (every agent has replicas: 0), so nothing would run; give one agent replicas: 1 or more at 3:3',
    ]);
    expect(() => parseOk(lines('agentos: 1', 'agents:', '  a: { replicas: 0, program: idle }', '  b: { replicas: 1, program: idle }'))).not.toThrow();
  });

  it('a heap that is not a whole number of granules is refused at kernel.memory (65537B once crashed the heap init)', async () => {
    expect(errorsOf(lines('agentos: 1', 'kernel: { memory: 65537B }', 'agents:', '  a: { program: idle }'))).toEqual([
      'kernel.memory: expected a whole number of 16-byte granules (kernel.granule): 65537B is not; write a multiple of 16B like 64KiB at 2:19',
    ]);
    expect(errorsOf(lines('agentos: 1', 'kernel: { memory: 65544B, granule: 16B }', 'agents:', '  a: { program: idle }'))).toEqual([
      'kernel.memory: expected a whole number of 16-byte granules (kernel.granule): 65544B is not; write a multiple of 16B like 64KiB at 2:19',
    ]);
    expect(errorsOf(lines('agentos: 1', 'kernel: { granule: 4B }', 'agents:', '  a: { program: idle }'))).toEqual([
      'kernel.granule: expected 8B or 16B: every heap block is a whole number of granules of this size at 2:20',
    ]);
    // A bare number is told its own unit (a bare 16 was once told to write 8B).
    expect(errorsOf(lines('agentos: 1', 'kernel: { granule: 8 }', 'agents:', '  a: { program: idle }'))).toEqual([
      'kernel.granule: expected 8B or 16B: every heap block is a whole number of granules of this size; write 8B (a unit is required) at 2:20',
    ]);
    expect(errorsOf(lines('agentos: 1', 'kernel: { granule: 16 }', 'agents:', '  a: { program: idle }'))).toEqual([
      'kernel.granule: expected 8B or 16B: every heap block is a whole number of granules of this size; write 16B (a unit is required) at 2:20',
    ]);
    // With 8-byte granules the same heap runs, and a 1-byte allocation takes 8 bytes, not 16.
    const text = lines('agentos: 1', 'kernel: { memory: 65544B, granule: 8B }', 'agents:', '  a:', '    program:', '      - alloc: { size: 1B, as: x }', '      - compute: 1ms');
    expect(parseOk(text).kernel.granuleBytes).toBe(8);
    const core = await loadDebugCore();
    Kernel.fromText(text, core).run({ events: 50 });
    expect(core.heap.stats(0)).toMatchObject({ granuleBytes: 8, heapBytes: 65544, peakUsedBytes: 8 });
    expect(parseOk(lines('agentos: 1', 'agents:', '  a: { program: idle }')).kernel.granuleBytes).toBeUndefined();
  });

  it('an agent memory limit above the node heap is refused at its memory', () => {
    expect(errorsOf(lines('agentos: 1', 'kernel: { memory: 64KiB }', 'agents:', '  a: { program: idle, memory: 1GiB }'))).toEqual([
      `agents.a.memory: a process's memory limit (${2 ** 30} bytes) cannot exceed a node's heap (65536 bytes, kernel.memory); write at most 65536B or raise kernel.memory at 4:31`,
    ]);
    expect(() => parseOk(lines('agentos: 1', 'kernel: { memory: 64KiB }', 'agents:', '  a: { program: idle, memory: 64KiB }'))).not.toThrow();
  });

  it('a cluster heap over the limit points at kernel.memory; without a kernel key the largest cluster fits', () => {
    // The default heap (64 MiB) times NODES_MAX is exactly CLUSTER_HEAP_BYTES_MAX: no 1:1 error without a kernel key.
    expect(() => parseOk(lines('agentos: 1', 'cluster: { nodes: 16 }', 'agents: { a: { program: idle } }'))).not.toThrow();
    expect(errorsOf(lines('agentos: 1', 'kernel: { scheduler: fair }', 'cluster:', '  nodes: 16', 'agents: { a: { program: idle } }').replace('scheduler: fair', 'memory: 128MiB'))).toEqual([
      `kernel.memory: 16 nodes of ${128 * 2 ** 20} bytes exceed the ${2 ** 30} bytes all nodes may have together at 2:19`,
    ]);
  });

  it('CR-only line endings read like LF, with the same line:column', () => {
    const text = lines('agentos: 1', 'name: old-mac', 'agents:', '  a:', '    program: idle').replace(/\n/g, '\r');
    expect(parseOk(text).name).toBe('old-mac');
    const bad = lines('agentos: 1', 'agents:', '  a:', '    replicas: lots', '    program: idle').replace(/\n/g, '\r');
    expect(errorsOf(bad)).toEqual(['agents.a.replicas: expected replicas: an integer from 0 to 4096 at 4:15']);
  });

  it('control characters (NUL and the like) are refused in any text, naming the character', () => {
    expect(errorsOf(lines('agentos: 1', 'name: "bad\\0name"', 'agents: { a: { program: idle } }'))).toEqual([
      'name: expected a name without control characters: character 4 is U+0000 at 2:7',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a:', '    program:', '      - write: { path: "/x\\u0007", size: 1B }'))[0]).toMatch(/^agents\.a\.program\[0\]\.write\.path: .* without control characters: character 3 is U\+0007 at 5:24$/);
    expect(errorsOf(lines('agentos: 1', 'name: "a\\u202Eb"', 'agents: { a: { program: idle } }'))[0]).toMatch(/U\+202E/);
    expect(parseOk(lines('agentos: 1', 'description: "tabs\\tand\\nnewlines are text"', 'agents: { a: { program: idle } }')).description).toContain('\t');
  });
});
