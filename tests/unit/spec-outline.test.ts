// The outline the checker sends with every check (src/spec/outline.ts, src/worker/spec-check.ts):
// names a half-typed spec declares, for autocomplete; and the Reference's entries and search.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { specOutline } from '../../src/spec/outline';
import { checkSpecText } from '../../src/worker/spec-check';
import { REFERENCE_ENTRIES, searchReference } from '../../src/ui/reference/entries';
import { BEHAVIOURS, STEP_KINDS } from '../../src/spec';
import { CRDT_OP_REFS, SECTIONS } from '../../src/spec/reference';

describe('the outline of a spec', () => {
  it('agents with the ports their programs or behaviours use, shared objects, resources, nodes', () => {
    const outline = specOutline([
      'agentos: 1',
      'cluster: { nodes: 3 }',
      'shared: { visits: pn-counter, seen: { type: or-set }, odd: { type: nope } }',
      'resources: { gpu: 4 }',
      'agents:',
      '  r: { program: router, args: { outs: [a, b], in: feed } }',
      '  w: { program: worker }',
      '  m:',
      '    program:',
      '      - repeat: forever',
      '        do:',
      '          - recv: { port: jobs, timeout: 1ms }',
      '          - choose: [ { weight: 1, do: [ { send: done } ] } ]',
      '  broken:',
      '    program: [ { send: ',   // half-typed: the rest is still read
    ].join('\n'));
    expect(outline.nodeCount).toBe(3);
    expect(outline.shared).toEqual([{ name: 'visits', type: 'pn-counter' }, { name: 'seen', type: 'or-set' }, { name: 'odd', type: null }]);
    expect(outline.resources).toEqual(['gpu']);
    expect(outline.agents.map((agent) => [agent.name, agent.ports.map((port) => `${port.direction} ${port.name}`)])).toEqual([
      ['r', ['out a', 'out b', 'in feed']],
      ['w', []],
      ['m', ['in jobs', 'out done']],
      ['broken', []],
    ]);
  });

  it('never throws, whatever the text (generated edits of an example)', () => {
    const spec = readFileSync(new URL('../../public/examples/swarm.yaml', import.meta.url), 'utf8');
    fc.assert(fc.property(fc.nat(spec.length), fc.nat(spec.length), fc.string({ maxLength: 8 }), (from, length, inserted) => {
      const text = spec.slice(0, from) + inserted + spec.slice(from + (length % 40));
      const check = checkSpecText(text);
      expect(Array.isArray(check.problems)).toBe(true);
      expect(check.outline.agents.length).toBeLessThanOrEqual(256);
    }), { numRuns: 200, seed: 1206 });
  });

  it('a check of a good spec has no problems, of a bad one every problem', () => {
    expect(checkSpecText(readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8')).problems).toEqual([]);
    const bad = checkSpecText('agentos: 1\nkernel: { scheduler: fastest, quantm: 1ms }\nagents:\n  w: { program: worker, memory: lots }\n');
    expect(bad.problems.map((problem) => `${problem.line}:${problem.column} ${problem.path}`)).toEqual(['2:22 kernel.scheduler', '2:31 kernel.quantm', '4:33 agents.w.memory']);
  });
});

describe('the Reference\'s entries', () => {
  it('hold every key, step, CRDT op, behaviour and behaviour argument, each with an example', () => {
    const ids = new Set(REFERENCE_ENTRIES.map((entry) => entry.id));
    expect(ids.size).toBe(REFERENCE_ENTRIES.length);
    for (const section of SECTIONS) for (const key of section.keys) expect(ids).toContain(`${section.id}.${key.key}`);
    for (const kind of STEP_KINDS) expect(ids).toContain(`step.${kind}`);
    for (const op of CRDT_OP_REFS) expect(ids).toContain(`crdt.${op.type}.${op.op}`);
    for (const behaviour of BEHAVIOURS) {
      expect(ids).toContain(`behaviour.${behaviour.name}`);
      for (const arg of behaviour.args) expect(ids).toContain(`behaviour.${behaviour.name}.${arg.name}`);
    }
    for (const entry of REFERENCE_ENTRIES) expect(entry.example.trim(), entry.id).not.toBe('');
  });

  it('search: every word must match; a name that is the query comes first', () => {
    expect(searchReference('scheduler')[0].id).toBe('kernel.scheduler');
    expect(searchReference('router policy')[0].id).toBe('behaviour.router.policy');
    expect(searchReference('eevdf').map((entry) => entry.id)).toContain('kernel.scheduler');
    expect(searchReference('zzzz nothing')).toEqual([]);
    expect(searchReference('')).toHaveLength(REFERENCE_ENTRIES.length);
  });
});
