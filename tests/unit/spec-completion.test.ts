// The spec editor's autocomplete (src/ui/editor/completion.ts) and the cursor's YAML place
// (yaml-path.ts): keys valid at the cursor, the values a key takes, names from the outline.
import { describe, expect, it } from 'vitest';
import { completeAt } from '../../src/ui/editor/completion';
import { cursorContext } from '../../src/ui/editor/yaml-path';
import { specOutline } from '../../src/spec/outline';
import { keysOf, STEPS } from '../../src/spec/reference';
import { ALLOCATOR_KINDS, RESTART_POLICIES, RESTART_TYPES, SCHEDULER_POLICIES, SHARED_TYPES } from '../../src/spec';
import { BEHAVIOUR_NAMES } from '../../src/spec/behaviours';

/** `text` with `|` as the cursor: the labels offered there (explicitly asked for). */
function labels(textWithCursor: string, explicit = true): string[] | null {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const result = completeAt(text, offset, specOutline(text), explicit);
  return result === null ? null : result.options.map((option) => option.label);
}

function where(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const context = cursorContext(textWithCursor.replace('|', ''), offset);
  return context === null ? null : { path: context.path.join('.'), kind: context.kind, key: context.key, prefix: context.prefix };
}

const PIPELINE = [
  'agentos: 1',
  'shared: { visits: pn-counter, seen: { type: or-set } }',
  'resources: { gpu: 4 }',
  'cluster: { nodes: 3 }',
  'agents:',
  '  source:',
  '    program: producer',
  '  mapper:',
  '    replicas: 2',
  '    program:',
  '      - repeat: forever',
  '        do:',
  '          - recv: in',
  '          - send: { port: out, size: 128B }',
  '  sink: { program: consumer, args: { port: feed } }',
].join('\n');

/** PIPELINE with `line` added inside mapper's program, after its send. */
const inMapper = (line: string) => PIPELINE.replace('size: 128B }\n', `size: 128B }\n${line}\n`);

describe('the cursor\'s place in a half-typed spec', () => {
  it('block keys, list items and values', () => {
    expect(where('agentos: 1\nker|')).toEqual({ path: '', kind: 'key', key: undefined, prefix: 'ker' });
    expect(where('kernel:\n  scheduler: f|')).toEqual({ path: 'kernel', kind: 'value', key: 'scheduler', prefix: 'f' });
    expect(where('kernel:\n  quantum: 1ms\n  |')).toMatchObject({ path: 'kernel', kind: 'key', prefix: '' });
    expect(where(inMapper('          - co|'))).toMatchObject({ path: 'agents.mapper.program.[].do.[]', kind: 'key', prefix: 'co' });
    expect(where(inMapper('        d|'))).toMatchObject({ path: 'agents.mapper.program.[]', kind: 'key', prefix: 'd' });
    expect(where('cluster:\n  faults:\n    - at: 1s\n      cr|')).toMatchObject({ path: 'cluster.faults.[]', kind: 'key', prefix: 'cr' });
  });

  it('flow mappings and lists on the cursor\'s line', () => {
    expect(where('channels:\n  - { from: a.out, to: b.|')).toMatchObject({ path: 'channels.[]', kind: 'value', key: 'to', prefix: 'b.' });
    expect(where('agents:\n  a:\n    program:\n      - alloc: { size: 4KiB, a|')).toMatchObject({ path: 'agents.a.program.[].alloc', kind: 'key', prefix: 'a' });
    expect(where('agents:\n  a: { program: producer, args: { co|')).toMatchObject({ path: 'agents.a.args', kind: 'key', prefix: 'co' });
    expect(where('shared:\n  s: { type: or|')).toMatchObject({ path: 'shared.s', kind: 'value', key: 'type', prefix: 'or' });
  });

  it('nothing inside a comment or a quoted string', () => {
    expect(where('kernel:\n  # a comm|')).toBeNull();
    expect(where('name: "my sp|')).toBeNull();
  });
});

describe('completions', () => {
  it('keys valid at the cursor, from the reference, without those already written', () => {
    expect(labels('agentos: 1\n|')).toEqual(keysOf('top').filter((key) => key !== 'agentos'));
    expect(labels('kernel:\n  scheduler: fair\n  |')).toEqual(keysOf('kernel').filter((key) => key !== 'scheduler'));
    expect(labels('agents:\n  a:\n    program: idle\n    re|')).toEqual(keysOf('agent').filter((key) => key !== 'program'));
    expect(labels('agents:\n  a:\n    program: idle\n    restart:\n      |')).toEqual(keysOf('restart'));
    expect(labels('channels:\n  - from: a.out\n    |')).toEqual(keysOf('channel').filter((key) => key !== 'from'));
    expect(labels('resources:\n  gpu: { u|')).toEqual(keysOf('resource'));
  });

  it('a key is inserted with its colon', () => {
    const result = completeAt('kernel:\n  sch', 'kernel:\n  sch'.length, specOutline(''), false);
    expect(result?.options.find((option) => option.label === 'scheduler')?.apply).toBe('scheduler: ');
    expect(result?.from).toBe('kernel:\n  '.length);
  });

  it('enum values: scheduler, allocator, restart, shared types, behaviours', () => {
    expect(labels('kernel:\n  scheduler: |')).toEqual([...SCHEDULER_POLICIES]);
    expect(labels('kernel: { allocator: |')).toEqual([...ALLOCATOR_KINDS]);
    expect(labels('agents:\n  a:\n    restart: |')).toEqual([...RESTART_POLICIES, ...RESTART_TYPES]);
    expect(labels('shared:\n  s:\n    type: |')).toEqual([...SHARED_TYPES]);
    expect(labels('agents:\n  a:\n    program: |')).toEqual([...BEHAVIOUR_NAMES]);
    expect(labels('cluster:\n  topology: |')).toEqual(['mesh', 'star', 'ring']);
  });

  it('steps in a program, and only `do` beside a repeat', () => {
    expect(labels(inMapper('          - |'))).toEqual(STEPS.map((step) => step.kind));
    expect(labels(inMapper('      - repeat: 3\n        |'))).toEqual(['do']);
    expect(labels(inMapper('      - compute: 1ms\n        |'))).toBeNull();
    expect(labels('agents:\n  a:\n    program:\n      - send: { port: out, |')).toEqual(['size', 'timeout']);
    expect(labels('agents:\n  a:\n    program:\n      - choose:\n          - |')).toEqual(['weight', 'do']);
  });

  it('names the spec declares: ports for channels, agents, nodes, resources, shared objects', () => {
    expect(labels(`${PIPELINE}\nchannels:\n  - { from: |`)).toEqual(['source.out', 'mapper.out']);
    expect(labels(`${PIPELINE}\nchannels:\n  - { from: source.out, to: |`)).toEqual(['mapper.in', 'sink.feed']);
    expect(labels(inMapper('          - spawn: |'))).toEqual(['source', 'mapper', 'sink']);
    expect(labels(inMapper('          - send: |'))).toEqual(['out']);
    expect(labels(inMapper('          - release: |'))).toEqual(['gpu']);
    expect(labels(PIPELINE.replace('    replicas: 2', '    node: |'))).toEqual(['n0', 'n1', 'n2', 'any']);
  });

  it('CRDT ops of the object\'s type, and their arguments', () => {
    expect(labels(inMapper('          - crdt: { object: |'))).toEqual(['visits', 'seen']);
    expect(labels(inMapper('          - crdt: { object: seen, op: |'))).toEqual(['add', 'remove']);
    expect(labels(inMapper('          - crdt: { object: visits, op: inc, |'))).toEqual(['by']);
    expect(labels(inMapper('          - crdt: { object: seen, op: add, |'))).toEqual(['element']);
  });

  it('behaviour arguments, and their values', () => {
    expect(labels('agents:\n  a:\n    program: router\n    args: { |')).toEqual(['count', 'outs', 'policy', 'work', 'size', 'in']);
    expect(labels('agents:\n  a:\n    args:\n      po|\n    program: router')).toEqual(['count', 'outs', 'policy', 'work', 'size', 'in']);
    expect(labels('agents:\n  a: { program: router, args: { policy: |')).toEqual(['round-robin', 'random']);
    expect(labels('resources: { gpu: 2 }\nagents:\n  a:\n    program: bidder\n    args: { resource: |')).toEqual(['gpu']);
    expect(labels('shared: { food: pn-counter, s: or-set }\nagents:\n  a:\n    program: forager\n    args: { counter: |')).toEqual(['food']);
  });

  it('offers nothing without a typed prefix unless asked, nor where nothing fits', () => {
    expect(labels('kernel:\n  |', false)).toBeNull();
    expect(labels('kernel:\n  s|', false)).toContain('scheduler'); // CodeMirror filters by the prefix
    expect(labels('name: |')).toBeNull();
    expect(labels('agents:\n  a:\n    memory: |')).toBeNull();
  });
});
