import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { errorsOf, lines } from '../helpers/spec';
import {
  AGENTS_MAX, CHANNELS_MAX, CHOOSE_BRANCHES_MAX, CLUSTER_HEAP_BYTES_MAX, REPEAT_COUNT_MAX, RESOURCES_MAX, SHARED_OBJECTS_MAX, FAULTS_MAX, NESTING_DEPTH_MAX, NODES_MAX, PROCESSES_MAX,
  PROGRAM_STEPS_MAX, parseSpec, formatSpecError, REPLICAS_MAX, SPEC_ERRORS_MAX, SPEC_STEPS_MAX, SPEC_TEXT_CHARS_MAX,
} from '../../src/spec';
import { formatSize } from '../../src/spec/units';

describe('errors name the path, line:column and what was expected', () => {
  it('the example from the issue: a bad size at 12:13', () => {
    expect(errorsOf(lines(
      'agentos: 1',
      'name: headline',
      'seed: 7',
      'kernel:',
      '  scheduler: fair',
      '  quantum: 1ms',
      'agents:',
      '  source:',
      '    program: producer',
      '    args: { count: 3 }',
      '  mapper:',
      '    memory: 4XB',
      '    program: consumer',
      'channels:',
      '  - { from: source.out, to: mapper.in }',
    ))).toEqual(['agents.mapper.memory: expected a size like 4KiB at 12:13']);
  });

  it('the header: missing version, wrong version, no agents, not a mapping', () => {
    expect(errorsOf('agents: { a: { program: idle } }\n')).toEqual(['missing required key "agentos" at 1:1']);
    expect(errorsOf('agentos: 2\nagents: { a: { program: idle } }\n')).toEqual(['agentos: unsupported format version 2: this engine reads agentos: 1 at 1:10']);
    expect(errorsOf('agentos: "1"\nagents: { a: { program: idle } }\n')).toEqual(['agentos: expected the format version 1 (agentos: 1) at 1:10']);
    expect(errorsOf('agentos: 1\nagents: {}\n')).toEqual(['agents: expected at least one agent at 2:9']);
    expect(errorsOf('')).toEqual(['expected a spec: a mapping that starts with agentos: 1 at 1:1']);
    expect(errorsOf('- agentos: 1\n')).toEqual(['expected a spec: a mapping that starts with agentos: 1 at 1:1']);
  });

  it('YAML syntax errors and duplicate keys are reported where they are', () => {
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: idle }', '  a: { program: idle }'))).toEqual(['invalid YAML: the key "a" is written twice in the same mapping (keys must be unique) at 4:3']);
    const [syntax] = errorsOf(lines('agentos: 1', 'agents:', '  a: { program: idle', 'channels: []'));
    // An unclosed { is reported where it opens, not where the parser noticed.
    expect(syntax).toBe('invalid YAML: a { is not closed: add the } (or line up the next lines with the ones above) at 3:6');
    expect(errorsOf('agentos: 1\nagents: { a: &x { program: idle }, b: *x }\n')).toEqual([
      'agents.b: aliases (*name) are not supported in specs; write the value out at 2:39',
    ]);
  });

  it('unknown keys are errors, with a "did you mean"', () => {
    expect(errorsOf(lines('agentos: 1', 'agnets: {}', 'agents: { a: { program: idle } }'))).toEqual([
      'agnets: unknown key "agnets" (did you mean "agents"?); expected one of agentos, name, description, seed, kernel, cluster, agents, channels, shared, resources, watch, invariants, rules, autonomy, supervisors at 2:1',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a:', '    program: idle', '    priorty: 3'))).toEqual([
      'agents.a.priorty: unknown key "priorty" (did you mean "priority"?); expected one of program, args, replicas, node, priority, memory, restart, capabilities, budget, requires, liveness, readiness at 5:5',
    ]);
    expect(errorsOf(lines('agentos: 1', 'kernel: { quantum: 1ms, heap: 1MiB }', 'agents: { a: { program: idle } }'))).toEqual([
      'kernel.heap: unknown key "heap"; expected one of scheduler, quantum, memory, allocator, granule at 2:25',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a:', '    program:', '      - comptue: 1ms'))).toEqual([
      'agents.a.program[0].comptue: unknown step "comptue" (did you mean "compute"?); steps: compute, io, sleep, alloc, free, send, recv, spawn, exit, write, read, crdt, bid, release, repeat, choose, fail at 5:9',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: idle, args: { perod: 1ms } }'))).toEqual([
      'agents.a.args.perod: unknown argument "perod" for idle (did you mean "period"?); arguments: count, period at 3:31',
    ]);
  });

  it('sizes and durations out of range are said in units, with line:column', () => {
    const kernelErrors = (text: string) => errorsOf(`${text}\nagents:\n  a: { program: idle }\n`);
    expect(kernelErrors(lines('agentos: 1', 'kernel: { memory: 5GiB }'))).toEqual(['kernel.memory: expected a size from 64KiB to 256MiB (this is 5GiB) at 2:19']);
    expect(kernelErrors(lines('agentos: 1', 'kernel: { memory: 1TiB }'))).toEqual(['kernel.memory: expected a size of at most 256MiB (1TiB is over the limit; TiB is past the largest unit, GiB) at 2:19']);
    expect(kernelErrors(lines('agentos: 1', 'kernel: { memory: 99999999999999999999GiB }'))).toEqual(['kernel.memory: expected a size of at most 256MiB (99999999999999999999GiB is over the limit) at 2:19']);
    // Zero of a large unit, or leading zeros, is not over any limit.
    expect(kernelErrors(lines('agentos: 1', 'kernel: { memory: 0TiB }'))).toEqual(['kernel.memory: expected a size like 4KiB (units are B, KiB, MiB, GiB) at 2:19']);
    expect(kernelErrors(lines('agentos: 1', 'kernel: { memory: 00000000000000000001KiB }'))).toEqual(['kernel.memory: expected a size like 4KiB at 2:19']);
    expect(kernelErrors(lines('agentos: 1', 'kernel: { memory: 1000B }'))).toEqual(['kernel.memory: expected a size from 64KiB to 256MiB (this is 1000B) at 2:19']);
    expect(kernelErrors(lines('agentos: 1', 'kernel: { quantum: 99999999999999999s }'))[0]).toMatch(/^kernel\.quantum: expected a duration of at most \d+(s|ms|us) \(99999999999999999s is over the limit\) at 2:20$/);
    // No raw byte or tick counts in any range message.
    for (const text of ['1B', '4KiB', '1GiB', '1TiB', '2PiB']) {
      for (const error of kernelErrors(lines('agentos: 1', `kernel: { memory: ${text} }`))) expect(error).not.toMatch(/\d{6,}B/);
    }
  });

  it('generated sizes: a kernel memory error says the range or the limit in units, and is right about which', () => {
    const FACTOR: Record<string, bigint> = { B: 1n, KiB: 1n << 10n, MiB: 1n << 20n, GiB: 1n << 30n, TiB: 1n << 40n, PiB: 1n << 50n, EiB: 1n << 60n };
    const [min, max] = [64n << 10n, 256n << 20n];
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{1,24}$/), fc.constantFrom(...Object.keys(FACTOR)), fc.constantFrom('', ' '), (digits, unit, space) => {
      const bytes = BigInt(digits) * FACTOR[unit];
      const result = parseSpec(`agentos: 1\nkernel: { memory: ${digits}${space}${unit} }\nagents:\n  a: { program: idle }\n`);
      const errors = result.ok ? [] : result.errors.map(formatSpecError);
      if (bytes >= min && bytes <= max && digits.length <= 16 && FACTOR[unit] <= FACTOR.GiB) {
        // In range: it runs if it is whole 16-byte granules (the default kernel.granule).
        if (bytes % 16n === 0n) expect(errors).toEqual([]);
        else expect(errors).toEqual([`kernel.memory: expected a whole number of 16-byte granules (kernel.granule): ${bytes}B is not; write a multiple of 16B like ${formatSize(Number(bytes - bytes % 1024n))} at 2:19`]);
        return;
      }
      expect(errors).toHaveLength(1);
      const [error] = errors;
      expect(error).toMatch(/ at 2:19$/);
      // Never a raw count of bytes the user did not write (a size is said in the largest unit that divides it).
      expect(error.replace(`${digits}${space}${unit}`, '').replace(`${digits}${unit}`, '')).not.toMatch(/\d{6,}B/);
      if (bytes > max) expect(error).toMatch(/^kernel\.memory: expected a size (of at most 256MiB \(.+ is over the limit|from 64KiB to 256MiB \(this is )/);
      else if (bytes < min && digits.length <= 16 && FACTOR[unit] <= FACTOR.GiB) expect(error).toMatch(/^kernel\.memory: expected a size from 64KiB to 256MiB \(this is \d+(B|KiB|MiB|GiB)\) at 2:19$/);
      else expect(error).not.toMatch(/over the limit/);
    }), { seed: 10, numRuns: 300 });
  });

  it('bad values: enums, integers, durations, sizes, probabilities, rates', () => {
    expect(errorsOf(lines(
      'agentos: 1',
      'seed: 4294967296',
      'kernel: { scheduler: fiar, quantum: 10, allocator: slab, memory: 1KiB }',
      'cluster: { nodes: 0, loss: 0.0000001, latency: 5ms..1ms, topology: tree }',
      'agents:',
      '  a: { program: idle, priority: -21, replicas: -1, restart: sometimes }',
    ))).toEqual([
      'seed: expected a seed: an integer from 0 to 4294967295 at 2:7',
      'kernel.scheduler: expected one of round-robin, priority, fair, eevdf (did you mean "fair"?) at 3:22',
      'kernel.quantum: expected a duration like 10ms (a unit is required: us, ms or s) at 3:37',
      'kernel.allocator: expected one of tlsf, buddy, first-fit, best-fit at 3:52',
      'kernel.memory: expected a size from 64KiB to 256MiB (this is 1KiB) at 3:66',
      'cluster.nodes: expected a node count from 1 to 16 at 4:19',
      'cluster.loss: expected a probability from 0 to 1 like 0.01 (at most 6 decimals) or a percentage like 1% at 4:28',
      'cluster.latency: expected a duration like 10ms or a range like 1ms..5ms (min <= max) at 4:48',
      'cluster.topology: expected one of mesh, star, ring at 4:68',
      'agents.a.priority: expected a priority from -20 (most favoured) to 19 (least) at 6:33',
      'agents.a.replicas: expected replicas: an integer from 0 to 4096 at 6:48',
      'agents.a.restart: expected one of never, on-failure, always, permanent, transient, temporary at 6:61',
    ]);
    expect(errorsOf(lines(
      'agentos: 1',
      'agents:',
      '  a: { program: producer, args: { size: 4KB, every: 10 } }',
      '  b: { program: consumer }',
      'channels: [ { from: a.out, to: b.in, rate: 100 per ms, capacity: 0 } ]',
    ))).toEqual([
      'agents.a.args.size: expected a size like 4KiB (units are B, KiB, MiB, GiB) at 3:41',
      'agents.a.args.every: expected a duration like 10ms or a range like 1ms..5ms (min <= max) at 3:53',
      'channels[0].rate: expected a rate like 100/ms or 5/10ms at 5:44',
      'channels[0].capacity: expected a capacity from 1 to 65536 messages at 5:66',
    ]);
  });

  it('channels must join existing agents by ports their programs use, one channel per port', () => {
    const agents = [
      'agentos: 1',
      'agents:',
      '  source: { program: producer }',
      '  sink: { program: consumer }',
      '  other: { program: consumer }',
    ];
    expect(errorsOf(lines(...agents, 'channels:', '  - { from: sorce.out, to: sink.in }', '  - { from: source.out, to: other.in }'))).toEqual([
      'channels[0].from: unknown agent "sorce" (did you mean "source"?) at 7:13',
    ]);
    expect(errorsOf(lines(...agents, 'channels:', '  - { from: source.outt, to: sink.in }', '  - { from: source.out, to: other.in }'))).toEqual([
      'channels[0].from: agent "source" has no out port "outt" (did you mean "out"?): a channel\'s from must be a port the agent sends on (send); its out ports: out at 7:13',
    ]);
    expect(errorsOf(lines(...agents, 'channels:', '  - { from: sink.in, to: source.out }', '  - { from: source.out, to: other.in }'))).toEqual([
      'channels[0].from: agent "sink" has no out port "in" ("in" is an in port): a channel\'s from must be a port the agent sends on (send); it has no out ports at 7:13',
      'channels[0].to: agent "source" has no in port "out" ("out" is an out port): a channel\'s to must be a port the agent receives on (recv); it has no in ports at 7:26',
    ]);
    expect(errorsOf(lines(...agents, 'channels:', '  - { from: source.out, to: sink.in }', '  - { from: source.out, to: other.in }'))).toEqual([
      'channels[1].from: port source.out is already an end of channels[0]; each port joins one channel at 8:13',
    ]);
    expect(errorsOf(lines(...agents, 'channels:', '  - { from: source.out, to: sink.in }', '  - { from: source, to: other.in }'))).toEqual([
      'channels[1].from: expected an endpoint like agent.port at 8:13',
    ]);
  });

  it('a port no channel joins is an error where the program uses it', () => {
    expect(errorsOf(lines(
      'agentos: 1',
      'agents:',
      '  a:',
      '    program:',
      '      - recv: { port: jobs, timeout: 1ms }',
      '  b: { program: producer, args: { port: jobs } }',
    ))).toEqual([
      'agents.a.program[0].recv.port: port "jobs" of agent "a" is not joined by any channel; add one like { from: <agent>.<port>, to: a.jobs } at 5:23',
      'agents.b.args.port: port "jobs" of agent "b" is not joined by any channel; add one like { from: b.jobs, to: <agent>.<port> } at 6:41',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a:', '    program: [ { send: x }, { recv: x } ]'))).toEqual([
      'agents.a.program[1].recv: port "x" is already used by send at 4:24; a port either sends or receives at 4:37',
    ]);
  });

  it('crdt steps must name a declared shared object and an op its type supports', () => {
    const head = ['agentos: 1', 'shared:', '  visits: { type: pn-counter }', '  notes: text', 'agents:', '  a:', '    program:'];
    expect(errorsOf(lines(...head, '      - crdt: { object: vists, op: inc }'))).toEqual([
      'agents.a.program[0].crdt.object: unknown shared object "vists" (did you mean "visits"?); shared: visits, notes at 8:25',
    ]);
    expect(errorsOf(lines(...head, '      - crdt: { object: visits, op: add, element: x }'))).toEqual([
      'agents.a.program[0].crdt.op: "visits" is a pn-counter: expected op inc, dec at 8:37',
    ]);
    expect(errorsOf(lines(...head, '      - crdt: { object: notes, op: insert, at: 2 }'))).toEqual([
      'agents.a.program[0].crdt: missing required key "text" for insert on a text at 8:15',
    ]);
    expect(errorsOf(lines(...head, '      - crdt: { object: visits, op: inc, amount: 2 }'))).toEqual([
      'agents.a.program[0].crdt.amount: unknown key "amount" for inc on a pn-counter; expected object, op, by at 8:42',
    ]);
    expect(errorsOf(lines(...head, '      - crdt: { object: notes, op: insert, text: "{nod}" }'))).toEqual([
      'agents.a.program[0].crdt.text: unknown placeholder {nod} (did you mean "node"?); placeholders: {agent}, {replica}, {node}, {pid} at 8:50',
    ]);
    expect(errorsOf(lines('agentos: 1', 'shared: { seen: { type: g-set } }', 'agents:', '  a: { program: [ { crdt: { object: seen, op: add, element: x } } ] }'))).toEqual([
      'shared.seen.type: expected one of pn-counter, g-counter, or-set, lww-map, lww-register, text, time-series, graph, workflow at 2:25',
    ]);
  });

  it('bids must name a declared resource and ask for no more units than it has', () => {
    const head = ['agentos: 1', 'resources: { gpu: { units: 2 } }', 'agents:', '  a:', '    program:'];
    expect(errorsOf(lines(...head, '      - bid: { resource: gpus }'))).toEqual([
      'agents.a.program[0].bid.resource: unknown resource "gpus" (did you mean "gpu"?); resources: gpu at 6:26',
    ]);
    expect(errorsOf(lines(...head, '      - bid: { resource: gpu, units: 3 }'))).toEqual([
      'agents.a.program[0].bid.units: a bid for 3 units of "gpu" can never win: the pool has 2 at 6:38',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: bidder, args: { rounds: 3 } }'))).toEqual([
      'agents.a.args: bidder needs argument "resource" (the resource to bid on) at 3:31',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: [ { release: cpu } ] }'))).toEqual([
      'agents.a.program[0].release: unknown resource "cpu"; the spec declares no resources at 3:30',
    ]);
  });

  it('nodes must exist: faults, placements, partitions', () => {
    expect(errorsOf(lines(
      'agentos: 1',
      'cluster:',
      '  nodes: 3',
      '  faults:',
      '    - { at: 10ms, crash: n3 }',
      '    - { at: 20ms, partition: [[n0, n1], [n1]] }',
      '    - { at: 30ms, heal: n1 }',
      '    - { at: 40ms }',
      '    - { at: 50ms, crash: n0, recover: n0 }',
      'agents:',
      '  a: { program: idle, node: n5 }',
      '  b: { program: idle, node: 2 }',
    ))).toEqual([
      'cluster.faults[0].crash: expected a node n0..n2 (the cluster has 3 nodes) at 5:26',
      'cluster.faults[1].partition[1][0]: node n1 is in two groups at 6:42',
      'cluster.faults[2].heal: expected heal: all at 7:25',
      'cluster.faults[3]: a fault needs one of partition, heal, crash, recover at 8:7',
      'cluster.faults[4]: one fault per item: crash, recover are in the same item at 9:7',
    ]);
    // Placements are checked against a cluster that was read without errors.
    expect(errorsOf(lines(
      'agentos: 1',
      'cluster: { nodes: 3 }',
      'agents:',
      '  a: { program: idle, node: n5 }',
      '  b: { program: idle, node: 2 }',
      '  c: { program: idle, node: n2 }',
    ))).toEqual([
      'agents.a.node: expected a node n0..n2 (the cluster has 3 nodes) or any at 4:29',
      'agents.b.node: expected a node n0..n2 (the cluster has 3 nodes) or any at 5:29',
    ]);
  });

  it('programs: unknown agents, frees without allocs, misplaced do, two steps in one item', () => {
    expect(errorsOf(lines(
      'agentos: 1',
      'agents:',
      '  a:',
      '    program:',
      '      - spawn: wroker',
      '      - free: buff',
      '      - alloc: { size: 1KiB, as: buf }',
      '      - compute: 1ms',
      '        do: []',
      '      - { sleep: 1ms, io: 1ms }',
      '      - repeat: 3',
      '      - choose: [ { weight: 0, do: [] } ]',
      '      - 42',
      '  worker: { program: idle }',
    ))).toEqual([
      'agents.a.program[0].spawn: unknown agent "wroker" (did you mean "worker"?); agents: a, worker at 5:16',
      'agents.a.program[1].free: no alloc in this program binds "buff" (did you mean "buf"?); free names the "as" of an alloc at 6:15',
      'agents.a.program[3].do: "do" belongs to a repeat step, not to compute at 9:13',
      'agents.a.program[4].io: one step per list item: "sleep" and "io" are in the same item (start a new item with -) at 10:23',
      'agents.a.program[5]: a repeat needs a "do" list of steps at 11:9',
      'agents.a.program[6].choose: expected at least one branch with a weight above 0 at 12:17',
      'agents.a.program[7]: expected a step (a mapping with one of compute, io, sleep, alloc, free, send, recv, spawn, exit, write, read, crdt, bid, release, repeat, choose, fail) at 13:9',
    ]);
  });

  it('behaviours: unknown names, args with a step list, mistyped references', () => {
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: prodcuer }'))).toEqual([
      'agents.a.program: unknown behaviour "prodcuer" (did you mean "producer"?); built-in behaviours: producer, consumer, mapper, reducer, router, worker, bidder, forager, cpu-hog, leaker, idle, or write a list of steps at 3:17',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: [ { sleep: 1ms } ], args: { count: 1 } }'))).toEqual([
      'agents.a.args: args go with a built-in behaviour (program: producer); a list of steps takes none at 3:43',
    ]);
    expect(errorsOf(lines('agentos: 1', 'shared: { seen: or-set }', 'agents:', '  a: { program: forager, args: { counter: seen } }'))).toEqual([
      'agents.a.args.counter: "seen" is a or-set; counter must name a pn-counter at 4:43',
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: router, args: { outs: [x, x] } }'))).toEqual([
      'agents.a.args.outs[1]: port "x" is listed twice at 3:43',
    ]);
  });

  it('reports many errors together, in reading order', () => {
    const errors = errorsOf(lines(
      'agentos: 1',
      'seed: -1',
      'agents:',
      '  a:',
      '    program: idle',
      '    memory: lots',
      '  b:',
      '    progam: idle',
      'channels:',
      '  - { from: a.out, to: c.in }',
      'extra: true',
    ));
    expect(errors).toEqual([
      'seed: expected a seed: an integer from 0 to 4294967295 at 2:7',
      'agents.a.memory: expected a size like 4KiB at 6:13',
      'agents.b.progam: unknown key "progam" (did you mean "program"?); expected one of program, args, replicas, node, priority, memory, restart, capabilities, budget, requires, liveness, readiness at 8:5',
      'agents.b: missing required key "program" at 8:5',
      'channels[0].to: unknown agent "c" at 10:24',
      'extra: unknown key "extra"; expected one of agentos, name, description, seed, kernel, cluster, agents, channels, shared, resources, watch, invariants, rules, autonomy, supervisors at 11:1',
    ]);
  });
});

describe('limits', () => {
  it('refuses spec text past SPEC_TEXT_CHARS_MAX before parsing it', () => {
    const text = `agentos: 1\n#${'x'.repeat(SPEC_TEXT_CHARS_MAX)}\n`;
    expect(errorsOf(text)).toEqual([`the spec is too long: ${text.length} characters, at most ${SPEC_TEXT_CHARS_MAX} at 1:1`]);
  });

  it('AGENTS_MAX, REPLICAS_MAX, PROCESSES_MAX, NODES_MAX, FAULTS_MAX', () => {
    const many = Array.from({ length: AGENTS_MAX + 1 }, (_, i) => `  a${i}: { program: idle }`);
    expect(errorsOf(lines('agentos: 1', 'agents:', ...many))).toEqual([`agents: too many agents: ${AGENTS_MAX + 1}, at most ${AGENTS_MAX} at 3:3`]);
    expect(errorsOf(lines('agentos: 1', 'agents:', `  a: { program: idle, replicas: ${REPLICAS_MAX + 1} }`))).toEqual([
      `agents.a.replicas: expected replicas: an integer from 0 to ${REPLICAS_MAX} at 3:33`,
    ]);
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a: { program: idle, replicas: 3000 }', '  b: { program: idle, replicas: 3000 }'))).toEqual([
      `agents.b: too many processes: the agents up to b start 6000, at most ${PROCESSES_MAX} at 4:6`,
    ]);
    expect(errorsOf(lines('agentos: 1', `cluster: { nodes: ${NODES_MAX + 1} }`, 'agents: { a: { program: idle } }'))).toEqual([
      `cluster.nodes: expected a node count from 1 to ${NODES_MAX} at 2:19`,
    ]);
    const faults = Array.from({ length: FAULTS_MAX + 1 }, () => '    - { at: 1ms, heal: all }');
    expect(errorsOf(lines('agentos: 1', 'cluster:', '  faults:', ...faults, 'agents: { a: { program: idle } }'))).toEqual([
      `cluster.faults: too many faults: ${FAULTS_MAX + 1}, at most ${FAULTS_MAX} at 4:5`,
    ]);
  });

  it('CHANNELS_MAX, SHARED_OBJECTS_MAX, RESOURCES_MAX, CLUSTER_HEAP_BYTES_MAX, REPEAT_COUNT_MAX', () => {
    const channels = Array.from({ length: CHANNELS_MAX + 1 }, () => '  - { from: a.out, to: b.in }');
    expect(errorsOf(lines('agentos: 1', 'agents: { a: { program: idle } }', 'channels:', ...channels))).toEqual([
      `channels: too many channels: ${CHANNELS_MAX + 1}, at most ${CHANNELS_MAX} at 4:3`,
    ]);
    const shared = Array.from({ length: SHARED_OBJECTS_MAX + 1 }, (_, i) => `  s${i}: text`);
    expect(errorsOf(lines('agentos: 1', 'shared:', ...shared, 'agents: { a: { program: idle } }'))).toEqual([
      `shared: too many shared objects: ${SHARED_OBJECTS_MAX + 1}, at most ${SHARED_OBJECTS_MAX} at 3:3`,
    ]);
    const resources = Array.from({ length: RESOURCES_MAX + 1 }, (_, i) => `  r${i}: 1`);
    expect(errorsOf(lines('agentos: 1', 'resources:', ...resources, 'agents: { a: { program: idle } }'))).toEqual([
      `resources: too many resources: ${RESOURCES_MAX + 1}, at most ${RESOURCES_MAX} at 3:3`,
    ]);
    expect(errorsOf(lines('agentos: 1', 'kernel: { memory: 256MiB }', 'cluster: { nodes: 5 }', 'agents: { a: { program: idle } }'))).toEqual([
      `kernel.memory: 5 nodes of ${256 * 1024 * 1024} bytes exceed the ${CLUSTER_HEAP_BYTES_MAX} bytes all nodes may have together at 2:19`,
    ]);
    expect(errorsOf(lines('agentos: 1', `agents: { a: { program: [ { repeat: ${REPEAT_COUNT_MAX + 1}, do: [] } ] } }`))).toEqual([
      `agents.a.program[0].repeat: expected forever or an integer from 0 to ${REPEAT_COUNT_MAX} at 2:37`,
    ]);
  });

  it('PROGRAM_STEPS_MAX, NESTING_DEPTH_MAX, CHOOSE_BRANCHES_MAX', () => {
    const steps = Array.from({ length: PROGRAM_STEPS_MAX + 1 }, () => '      - sleep: 1us');
    expect(errorsOf(lines('agentos: 1', 'agents:', '  a:', '    program:', ...steps))).toEqual([
      `agents.a.program[${PROGRAM_STEPS_MAX}]: too many steps: a program may have at most ${PROGRAM_STEPS_MAX}, repeat bodies included at ${5 + PROGRAM_STEPS_MAX}:9`,
    ]);
    let nested = '[ { sleep: 1us } ]';
    for (let i = 0; i <= NESTING_DEPTH_MAX; i++) nested = `[ { repeat: 2, do: ${nested} } ]`;
    const [depthError] = errorsOf(lines('agentos: 1', 'agents:', `  a: { program: ${nested} }`));
    expect(depthError).toMatch(new RegExp(`^agents\\.a\\.program(\\[0\\]\\.do){${NESTING_DEPTH_MAX}}\\[0\\]\\.do: too deeply nested: repeat and choose nest at most ${NESTING_DEPTH_MAX} levels at 3:\\d+$`));
    let fine = '[ { sleep: 1us } ]';
    for (let i = 0; i < NESTING_DEPTH_MAX; i++) fine = `[ { repeat: 2, do: ${fine} } ]`;
    expect(parseSpec(lines('agentos: 1', 'agents:', `  a: { program: ${fine} }`)).ok).toBe(true);
    const branches = Array.from({ length: CHOOSE_BRANCHES_MAX + 1 }, () => '{ weight: 1, do: [] }').join(', ');
    expect(errorsOf(lines('agentos: 1', 'agents:', `  a: { program: [ { choose: [ ${branches} ] } ] }`))).toEqual([
      `agents.a.program[0].choose: expected 1 to ${CHOOSE_BRANCHES_MAX} branches at 3:29`,
    ]);
  });

  it('SPEC_STEPS_MAX counts the steps of all programs', () => {
    const program = `[ ${Array.from({ length: PROGRAM_STEPS_MAX }, () => '{io: 1us}').join(',')} ]`;
    const agentCount = Math.floor(SPEC_STEPS_MAX / PROGRAM_STEPS_MAX) + 1;
    const agents = Array.from({ length: agentCount }, (_, i) => `  a${i}: { program: ${program} }`);
    const errors = errorsOf(lines('agentos: 1', 'agents:', ...agents));
    expect(errors).toEqual([
      `agents.a${agentCount - 1}: too many steps: the programs up to a${agentCount - 1} have ${agentCount * PROGRAM_STEPS_MAX}, at most ${SPEC_STEPS_MAX} at ${2 + agentCount}:${6 + String(agentCount - 1).length}`,
    ]);
  });

  it('collects at most SPEC_ERRORS_MAX errors, then says so', () => {
    const agents = Array.from({ length: SPEC_ERRORS_MAX + 20 }, (_, i) => `  a${i}: { program: idle, priority: 99 }`);
    const result = parseSpec(lines('agentos: 1', 'agents:', ...agents));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(SPEC_ERRORS_MAX + 1);
    expect(result.errors[SPEC_ERRORS_MAX].message).toBe(`too many errors: only the first ${SPEC_ERRORS_MAX} are shown`);
    expect(result.errors[SPEC_ERRORS_MAX - 1].line).toBe(2 + SPEC_ERRORS_MAX);
  });

  it('never throws on input nested deeper than the YAML parser can follow', () => {
    for (const text of ['['.repeat(10_000), '{a: '.repeat(10_000), `agentos: 1\nagents: ${'['.repeat(10_000)}`, `${'- '.repeat(10_000)}x`]) {
      const errors = errorsOf(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^the YAML is nested too deeply to read at \d+:\d+$/);
    }
  });
});
