// Built-in behaviours: named step programs with arguments. `program: producer` with
// `args: { count: 10, size: 256B }` expands here into the same Step[] a hand-written program
// would give, so the kernel only ever interprets steps. Each behaviour lists its arguments
// (type, default, meaning); unknown or bad arguments are spec errors like any other.

import {
  DURATION_TICKS_MAX, NAME_CHARS_MAX, PPM_ONE, PRICE_MAX, RESOURCE_UNITS_MAX, SIZE_BYTES_MAX,
} from './limits';
import { type ProgramContext, readCount, readPath } from './program';
import { didYouMean, type Field, itemPath, quoteList } from './reader';
import type { BehaviourName, SharedType, Step, TickRange } from './types';

export type ArgType =
  | { readonly type: 'count' }
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'size'; readonly min: number }
  | { readonly type: 'range' }
  | { readonly type: 'timeout' }
  | { readonly type: 'port'; readonly direction: 'in' | 'out'; readonly optional: boolean }
  | { readonly type: 'ports'; readonly direction: 'out'; readonly countMax: number }
  | { readonly type: 'probability' }
  | { readonly type: 'resource' }
  | { readonly type: 'shared'; readonly sharedType: SharedType }
  | { readonly type: 'path' }
  | { readonly type: 'oneOf'; readonly values: readonly string[] };

export type ArgValue = number | string | readonly string[] | TickRange | null;

export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  /** undefined: required. */
  readonly default?: ArgValue;
  readonly doc: string;
}

/** Arguments after validation, defaults filled in, references resolved to indices. */
export class BehaviourArgs {
  constructor(private readonly values: ReadonlyMap<string, ArgValue>, private readonly indices: ReadonlyMap<string, number>) {}
  private get(name: string): ArgValue {
    if (!this.values.has(name)) throw new Error(`behaviour argument "${name}" was not declared`);
    return this.values.get(name) as ArgValue;
  }
  count(name: string): number | null { return this.get(name) as number | null; }
  integer(name: string): number { return this.get(name) as number; }
  range(name: string): TickRange { return this.get(name) as TickRange; }
  timeout(name: string): number | null { return this.get(name) as number | null; }
  text(name: string): string { return this.get(name) as string; }
  optionalText(name: string): string | null { return this.get(name) as string | null; }
  list(name: string): readonly string[] { return this.get(name) as readonly string[]; }
  /** Index of the resource / shared object an argument names (null if the argument is absent). */
  index(name: string): number | null { return this.indices.get(name) ?? null; }
}

export interface Behaviour {
  readonly name: BehaviourName;
  readonly summary: string;
  readonly args: readonly ArgSpec[];
  readonly expand: (args: BehaviourArgs, line: number) => Step[];
}

const FOREVER = null;
const range = (minTicks: number, maxTicks = minTicks): TickRange => ({ minTicks, maxTicks });

// Step builders (channelIndex is bound to the port's channel once channels are read).
function timed(kind: 'compute' | 'io' | 'sleep', ticks: TickRange, line: number): Step[] {
  return ticks.maxTicks === 0 ? [] : [{ kind, minTicks: ticks.minTicks, maxTicks: ticks.maxTicks, line }];
}
function send(port: string, sizeBytes: number, line: number): Step {
  return { kind: 'send', port, channelIndex: -1, sizeBytes, timeoutTicks: null, line };
}
function recv(port: string, timeoutTicks: number | null, line: number): Step {
  return { kind: 'recv', port, channelIndex: -1, timeoutTicks, line };
}
function repeat(count: number | null, body: Step[], line: number): Step {
  return { kind: 'repeat', count, body, line };
}

export const BEHAVIOURS: readonly Behaviour[] = [
  {
    name: 'producer',
    summary: 'sends `count` messages of `size` on `port`, one every `every`',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'messages to send, or forever' },
      { name: 'size', type: { type: 'size', min: 0 }, default: 64, doc: 'size of each message' },
      { name: 'every', type: { type: 'range' }, default: range(100), doc: 'sleep between messages (a duration or a range)' },
      { name: 'port', type: { type: 'port', direction: 'out', optional: false }, default: 'out', doc: 'out port' },
    ],
    expand: (a, line) => [
      repeat(a.count('count'), [send(a.text('port'), a.integer('size'), line), ...timed('sleep', a.range('every'), line)], line),
    ],
  },
  {
    name: 'consumer',
    summary: 'receives `count` messages on `port`, computing `work` for each',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'messages to receive, or forever' },
      { name: 'work', type: { type: 'range' }, default: range(50), doc: 'compute per message' },
      { name: 'timeout', type: { type: 'timeout' }, default: null, doc: 'give up waiting for a message after this long (then go on)' },
      { name: 'port', type: { type: 'port', direction: 'in', optional: false }, default: 'in', doc: 'in port' },
    ],
    expand: (a, line) => [
      repeat(a.count('count'), [recv(a.text('port'), a.timeout('timeout'), line), ...timed('compute', a.range('work'), line)], line),
    ],
  },
  {
    name: 'mapper',
    summary: 'for each message on `in`: compute, allocate a buffer, send a result on `out`, free',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'messages to map, or forever' },
      { name: 'work', type: { type: 'range' }, default: range(200), doc: 'compute per message' },
      { name: 'buffer', type: { type: 'size', min: 0 }, default: 4096, doc: 'working memory per message (0B: none)' },
      { name: 'size', type: { type: 'size', min: 0 }, default: 128, doc: 'size of each result' },
      { name: 'in', type: { type: 'port', direction: 'in', optional: false }, default: 'in', doc: 'in port' },
      { name: 'out', type: { type: 'port', direction: 'out', optional: false }, default: 'out', doc: 'out port' },
    ],
    expand: (a, line) => {
      const buffer = a.integer('buffer');
      const body: Step[] = [recv(a.text('in'), null, line), ...timed('compute', a.range('work'), line)];
      if (buffer > 0) body.push({ kind: 'alloc', sizeBytes: buffer, name: 'buf', line });
      body.push(send(a.text('out'), a.integer('size'), line));
      if (buffer > 0) body.push({ kind: 'free', name: 'buf', line });
      return [repeat(a.count('count'), body, line)];
    },
  },
  {
    name: 'reducer',
    summary: 'keeps `state` allocated; per batch of `batch` messages on `in`, writes `size` to `output`',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'batches to reduce, or forever' },
      { name: 'batch', type: { type: 'integer', min: 1, max: 1_000_000 }, default: 100, doc: 'messages per batch' },
      { name: 'work', type: { type: 'range' }, default: range(20), doc: 'compute per message' },
      { name: 'state', type: { type: 'size', min: 0 }, default: 16384, doc: 'memory held for the whole run (0B: none)' },
      { name: 'output', type: { type: 'path' }, default: '/reduced', doc: 'file each batch result is appended to' },
      { name: 'size', type: { type: 'size', min: 0 }, default: 1024, doc: 'bytes written per batch' },
      { name: 'in', type: { type: 'port', direction: 'in', optional: false }, default: 'in', doc: 'in port' },
    ],
    expand: (a, line) => {
      const state = a.integer('state');
      const count = a.count('count');
      const steps: Step[] = [];
      if (state > 0) steps.push({ kind: 'alloc', sizeBytes: state, name: 'state', line });
      const batch = repeat(a.integer('batch'), [recv(a.text('in'), null, line), ...timed('compute', a.range('work'), line)], line);
      steps.push(repeat(count, [batch, { kind: 'write', path: a.text('output'), sizeBytes: a.integer('size'), line }], line));
      if (state > 0 && count !== null) steps.push({ kind: 'free', name: 'state', line });
      return steps;
    },
  },
  {
    name: 'router',
    summary: 'forwards each message on `in` to one of `outs` (round-robin or random)',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'round-robin: rounds (one message per out); random: messages; or forever' },
      { name: 'outs', type: { type: 'ports', direction: 'out', countMax: 16 }, default: ['out'], doc: 'out ports' },
      { name: 'policy', type: { type: 'oneOf', values: ['round-robin', 'random'] }, default: 'round-robin', doc: 'how an out is picked' },
      { name: 'work', type: { type: 'range' }, default: range(10), doc: 'compute per message' },
      { name: 'size', type: { type: 'size', min: 0 }, default: 64, doc: 'size of each forwarded message' },
      { name: 'in', type: { type: 'port', direction: 'in', optional: false }, default: 'in', doc: 'in port' },
    ],
    expand: (a, line) => {
      const outs = a.list('outs');
      const head = (): Step[] => [recv(a.text('in'), null, line), ...timed('compute', a.range('work'), line)];
      if (a.text('policy') === 'random') {
        const branches = outs.map((port) => ({ weight: 1, body: [send(port, a.integer('size'), line)] }));
        return [repeat(a.count('count'), [...head(), { kind: 'choose', branches, weightTotal: outs.length, line }], line)];
      }
      return [repeat(a.count('count'), outs.flatMap((port) => [...head(), send(port, a.integer('size'), line)]), line)];
    },
  },
  {
    name: 'worker',
    summary: 'runs `jobs` jobs: (recv on `in`), hold `memory`, compute `work`, (send on `out`), think',
    args: [
      { name: 'jobs', type: { type: 'count' }, default: FOREVER, doc: 'jobs to run, or forever' },
      { name: 'work', type: { type: 'range' }, default: range(1000), doc: 'compute per job' },
      { name: 'memory', type: { type: 'size', min: 0 }, default: 0, doc: 'memory held during a job (0B: none)' },
      { name: 'think', type: { type: 'range' }, default: range(0), doc: 'sleep between jobs (0us: none)' },
      { name: 'size', type: { type: 'size', min: 0 }, default: 64, doc: 'size of each result sent on out' },
      { name: 'in', type: { type: 'port', direction: 'in', optional: true }, default: null, doc: 'in port to take each job from (none: jobs need no input)' },
      { name: 'out', type: { type: 'port', direction: 'out', optional: true }, default: null, doc: 'out port to send each result on (none: no result)' },
    ],
    expand: (a, line) => {
      const input = a.optionalText('in');
      const output = a.optionalText('out');
      const memory = a.integer('memory');
      const body: Step[] = [];
      if (input !== null) body.push(recv(input, null, line));
      if (memory > 0) body.push({ kind: 'alloc', sizeBytes: memory, name: 'job', line });
      body.push(...timed('compute', a.range('work'), line));
      if (output !== null) body.push(send(output, a.integer('size'), line));
      if (memory > 0) body.push({ kind: 'free', name: 'job', line });
      body.push(...timed('sleep', a.range('think'), line));
      return [repeat(a.count('jobs'), body, line)];
    },
  },
  {
    name: 'bidder',
    summary: 'bids `price` for `units` of `resource`, holds them for `hold`, releases, thinks, again',
    args: [
      { name: 'resource', type: { type: 'resource' }, doc: 'the resource to bid on' },
      { name: 'rounds', type: { type: 'count' }, default: FOREVER, doc: 'bids to make, or forever' },
      { name: 'units', type: { type: 'integer', min: 1, max: RESOURCE_UNITS_MAX }, default: 1, doc: 'units per bid' },
      { name: 'price', type: { type: 'integer', min: 0, max: PRICE_MAX }, default: 10, doc: 'credits offered per bid' },
      { name: 'hold', type: { type: 'range' }, default: range(5000), doc: 'compute while holding the units' },
      { name: 'think', type: { type: 'range' }, default: range(1000), doc: 'sleep between rounds' },
      { name: 'timeout', type: { type: 'timeout' }, default: null, doc: 'give up a bid after this long (then hold nothing and go on)' },
    ],
    expand: (a, line) => {
      const resource = a.text('resource');
      const resourceIndex = a.index('resource') ?? -1;
      return [repeat(a.count('rounds'), [
        { kind: 'bid', resource, resourceIndex, units: a.integer('units'), price: a.integer('price'), timeoutTicks: a.timeout('timeout'), line },
        ...timed('compute', a.range('hold'), line),
        { kind: 'release', resource, resourceIndex, line },
        ...timed('sleep', a.range('think'), line),
      ], line)];
    },
  },
  {
    name: 'forager',
    summary: 'searches (compute), finds food with probability `find`: counts it in `counter`, rests',
    args: [
      { name: 'trips', type: { type: 'count' }, default: FOREVER, doc: 'searches to make, or forever' },
      { name: 'search', type: { type: 'range' }, default: range(200, 2000), doc: 'compute per search' },
      { name: 'find', type: { type: 'probability' }, default: 250_000, doc: 'probability a search finds food' },
      { name: 'rest', type: { type: 'range' }, default: range(1000), doc: 'sleep after a find' },
      { name: 'counter', type: { type: 'shared', sharedType: 'pn-counter' }, default: null, doc: 'a shared pn-counter incremented on each find (none: not counted)' },
    ],
    expand: (a, line) => {
      const find = a.integer('find');
      const counter = a.optionalText('counter');
      const found: Step[] = [];
      if (counter !== null) found.push({ kind: 'crdt', object: counter, objectIndex: a.index('counter') ?? -1, op: { name: 'counter/inc', amount: 1 }, line });
      found.push(...timed('sleep', a.range('rest'), line));
      return [repeat(a.count('trips'), [
        ...timed('compute', a.range('search'), line),
        { kind: 'choose', branches: [{ weight: find, body: found }, { weight: PPM_ONE - find, body: [] }], weightTotal: PPM_ONE, line },
      ], line)];
    },
  },
  {
    name: 'cpu-hog',
    summary: 'computes in slices of `slice`, `count` times or forever, never yielding by itself',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'slices, or forever' },
      { name: 'slice', type: { type: 'range' }, default: range(10_000), doc: 'compute per slice' },
    ],
    expand: (a, line) => [repeat(a.count('count'), timed('compute', a.range('slice'), line), line)],
  },
  {
    name: 'leaker',
    summary: 'allocates `size` every `every` and never frees it (rebinding one name): a memory leak',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'allocations, or forever' },
      { name: 'size', type: { type: 'size', min: 1 }, default: 4096, doc: 'bytes per allocation' },
      { name: 'every', type: { type: 'range' }, default: range(1000), doc: 'sleep between allocations' },
    ],
    expand: (a, line) => [repeat(a.count('count'), [
      { kind: 'alloc', sizeBytes: a.integer('size'), name: 'leak', line },
      ...timed('sleep', a.range('every'), line),
    ], line)],
  },
  {
    name: 'idle',
    summary: 'sleeps `period` at a time, `count` times or forever',
    args: [
      { name: 'count', type: { type: 'count' }, default: FOREVER, doc: 'sleeps, or forever' },
      { name: 'period', type: { type: 'range' }, default: range(100_000), doc: 'each sleep' },
    ],
    expand: (a, line) => [repeat(a.count('count'), [{ kind: 'sleep', minTicks: a.range('period').minTicks, maxTicks: a.range('period').maxTicks, line }], line)],
  },
];

export const BEHAVIOUR_NAMES: readonly BehaviourName[] = BEHAVIOURS.map((behaviour) => behaviour.name);

export function findBehaviour(name: string): Behaviour | undefined {
  return BEHAVIOURS.find((behaviour) => behaviour.name === name);
}

/**
 * Validates `args` against a behaviour (registering the ports it uses in the context) and
 * expands it into steps. `argsField` is null when the agent gives no args; `programField` is
 * where errors about defaults (a default port never connected) point.
 */
export function expandBehaviour(context: ProgramContext, behaviour: Behaviour, argsField: Field | null, programField: Field): Step[] | null {
  const reader = context.reader;
  const given = new Map<string, Field>();
  let ok = true;
  if (argsField !== null && !reader.isEmpty(argsField)) {
    const entries = reader.entries(argsField, `a mapping of ${behaviour.name} arguments`);
    if (entries === null) return null;
    const names = behaviour.args.map((arg) => arg.name);
    for (const entry of entries) {
      if (!names.includes(entry.key)) {
        reader.fail(entry.keyField, `unknown argument "${entry.key}" for ${behaviour.name}${didYouMean(entry.key, names)}; arguments: ${names.length ? quoteList(names) : 'none'}`);
        ok = false;
      } else {
        given.set(entry.key, entry.value);
      }
    }
  }
  const values = new Map<string, ArgValue>();
  const indices = new Map<string, number>();
  for (const arg of behaviour.args) {
    const field = given.get(arg.name);
    if (field === undefined) {
      if (arg.default === undefined) {
        reader.fail(argsField ?? programField, `${behaviour.name} needs argument "${arg.name}" (${arg.doc})`);
        ok = false;
        continue;
      }
      values.set(arg.name, arg.default);
      if (!registerDefaultPorts(context, arg, programField)) ok = false;
      continue;
    }
    const value = readArg(context, arg, field, indices);
    if (value === undefined) ok = false;
    else values.set(arg.name, value);
  }
  if (!ok) return null;
  return behaviour.expand(new BehaviourArgs(values, indices), reader.position(programField.offset).line);
}

/** Registers the ports a default argument uses; false if one clashes with a port used the other way. */
function registerDefaultPorts(context: ProgramContext, arg: ArgSpec, programField: Field): boolean {
  const value = arg.default;
  if (arg.type.type === 'port' && typeof value === 'string') return context.usePort(value, arg.type.direction, programField);
  if (arg.type.type === 'ports' && Array.isArray(value)) return value.every((port) => context.usePort(port, 'out', programField));
  return true;
}

/** One argument's value; undefined when it was wrong (the error is recorded). */
function readArg(context: ProgramContext, arg: ArgSpec, field: Field, indices: Map<string, number>): ArgValue | undefined {
  const reader = context.reader;
  const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
  const type = arg.type;
  switch (type.type) {
    case 'count':
      return readCount(reader, field);
    case 'integer':
      return orUndefined(reader.integer(field, type.min, type.max));
    case 'size':
      return orUndefined(reader.size(field, type.min, SIZE_BYTES_MAX));
    case 'range':
      return orUndefined(reader.tickRange(field, DURATION_TICKS_MAX));
    case 'timeout':
      if (reader.isEmpty(field)) return null;
      return orUndefined(reader.duration(field, 1, DURATION_TICKS_MAX));
    case 'probability':
      return orUndefined(reader.probability(field));
    case 'path':
      return orUndefined(readPath(context, field));
    case 'oneOf':
      return orUndefined(reader.oneOf(field, type.values));
    case 'port': {
      if (type.optional && reader.isEmpty(field)) return null;
      const port = reader.name(field, NAME_CHARS_MAX, 'a port name');
      if (port === null || !context.usePort(port, type.direction, field)) return undefined;
      return port;
    }
    case 'ports': {
      const items = reader.items(field, 'a list of port names');
      if (items === null) return undefined;
      if (items.length === 0 || items.length > type.countMax) {
        reader.fail(field, `expected 1 to ${type.countMax} port names`);
        return undefined;
      }
      const ports: string[] = [];
      for (const [index, item] of items.entries()) {
        const port = reader.name({ ...item, path: itemPath(field.path, index) }, NAME_CHARS_MAX, 'a port name');
        if (port === null) return undefined;
        if (ports.includes(port)) {
          reader.fail(item, `port "${port}" is listed twice`);
          return undefined;
        }
        if (!context.usePort(port, type.direction, item)) return undefined;
        ports.push(port);
      }
      return ports;
    }
    case 'resource': {
      const name = reader.name(field, NAME_CHARS_MAX, 'a resource name');
      const entry = name === null ? null : context.resource(name, field);
      if (name === null || entry === null) return undefined;
      indices.set(arg.name, entry.index);
      return name;
    }
    case 'shared': {
      if (reader.isEmpty(field)) return null;
      const name = reader.name(field, NAME_CHARS_MAX, 'a shared object name');
      const entry = name === null ? null : context.sharedObject(name, field);
      if (name === null || entry === null) return undefined;
      if (entry.type !== null && entry.type !== type.sharedType) {
        reader.fail(field, `"${name}" is a ${entry.type}; ${arg.name} must name a ${type.sharedType}`);
        return undefined;
      }
      indices.set(arg.name, entry.index);
      return name;
    }
  }
}
