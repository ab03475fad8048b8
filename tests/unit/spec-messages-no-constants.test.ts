// A spec error is read by the person who wrote the spec: it says the limit's value, never the
// name of the constant in the code that holds it (issue 10: "expected replicas: an integer from 0
// to 4096 (REPLICAS_MAX)"). Over generated out-of-range values for every key the reference lists
// with an integer range, and over lists one longer than their limit.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECTIONS, keyExampleSpec } from '../../src/spec/reference';
import { AGENTS_MAX, CHANNELS_MAX, FAULTS_MAX, RESOURCES_MAX, SHARED_OBJECTS_MAX, SPEC_TEXT_CHARS_MAX, formatSpecError, parseSpec } from '../../src/spec';

const CONSTANT_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

function messagesOf(text: string): string[] {
  const result = parseSpec(text);
  return result.ok ? [] : result.errors.map(formatSpecError);
}

const ranged = SECTIONS.flatMap((section) => section.keys.flatMap((entry) => {
  const range = /^integer (-?\d+)\.\.(-?\d+)$/.exec(entry.type);
  return range ? [{ section, entry, min: Number(range[1]), max: Number(range[2]) }] : [];
}));

describe('no spec error names a constant of the code', () => {
  it('the reference lists the integer-ranged keys (the test below covers them)', () => {
    expect(ranged.map(({ section, entry }) => `${section.id}.${entry.key}`)).toEqual(expect.arrayContaining(['agent.replicas', 'channel.capacity', 'autonomy.replicas', 'cluster.nodes']));
  });

  for (const { section, entry, min, max } of ranged) {
    it(`${section.id}.${entry.key} (${min}..${max}), out of range`, () => {
      const outside = fc.oneof(fc.integer({ min: max + 1, max: max + 1 + 2 * max }), fc.integer({ min: min - 1000, max: min - 1 }));
      fc.assert(fc.property(outside, (value) => {
        const messages = messagesOf(keyExampleSpec(section, { ...entry, example: `${entry.key}: ${value}` }));
        expect(messages.length, `${entry.key}: ${value} is refused`).toBeGreaterThan(0);
        for (const message of messages) expect(message).not.toMatch(CONSTANT_NAME);
      }), { numRuns: 30 });
    });
  }

  const many = (count: number, line: (index: number) => string) => Array.from({ length: count }, (_, index) => line(index)).join('\n');
  const idle = 'agents:\n  demo: { program: idle }';
  const lists: [string, string][] = [
    ['agents', `agentos: 1\nagents:\n${many(AGENTS_MAX + 1, (index) => `  a${index}: { program: idle }`)}\n`],
    ['channels', `agentos: 1\nagents:\n  s: { program: producer }\n  r: { program: consumer }\nchannels:\n${many(CHANNELS_MAX + 1, () => '  - { from: s.out, to: r.in }')}\n`],
    ['faults', `agentos: 1\ncluster:\n  nodes: 2\n  faults:\n${many(FAULTS_MAX + 1, () => '    - { at: 1ms, crash: n1 }')}\n${idle}\n`],
    ['resources', `agentos: 1\nresources:\n${many(RESOURCES_MAX + 1, (index) => `  r${index}: { units: 1 }`)}\n${idle}\n`],
    ['shared', `agentos: 1\nshared:\n${many(SHARED_OBJECTS_MAX + 1, (index) => `  s${index}: { type: g-counter }`)}\n${idle}\n`],
    ['the text', `agentos: 1\n#${'x'.repeat(SPEC_TEXT_CHARS_MAX)}\n`],
  ];
  for (const [what, text] of lists) {
    it(`${what}, past its limit`, () => {
      const messages = messagesOf(text);
      expect(messages.length, `${what} past its limit is refused`).toBeGreaterThan(0);
      for (const message of messages) expect(message).not.toMatch(CONSTANT_NAME);
    });
  }
});
