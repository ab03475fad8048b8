// The editor's text of an opened trial or link reproduces it: its seed written into the text.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSpec } from '../../src/spec/parse';
import { textWithSeed } from '../../src/spec/seeded-text';

const dir = new URL('../../public/examples/', import.meta.url);
const examples = readdirSync(dir).filter((name) => name.endsWith('.yaml') && !name.includes('.experiment.') && !name.includes('.evolve.'));

/** The spec without where things are written (a seed line added moves the lines below it). */
const withoutPlaces = (spec: unknown) => JSON.parse(JSON.stringify(spec, (key, value) => (key === 'line' || key === 'column' ? undefined : value)));

const specOf = (text: string) => {
  const parsed = parseSpec(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((error) => error.message).join('; '));
  return parsed.spec;
};

describe('textWithSeed', () => {
  it('sets the seed of every example (with or without a seed line, CRLF too) and changes nothing else', () => {
    expect(examples.length).toBeGreaterThan(10);
    for (const name of examples) {
      const original = readFileSync(new URL(name, dir), 'utf8');
      const variants = [original, original.replace(/^seed:.*\n/m, ''), original.replace(/\n/g, '\r\n')];
      fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(...variants), (seed, text) => {
        const next = textWithSeed(text, seed);
        const before = specOf(text), after = specOf(next);
        expect(after.seed, name).toBe(seed);
        expect(withoutPlaces({ ...after, seed: 0 }), name).toEqual(withoutPlaces({ ...before, seed: 0 }));
        // only the seed line differs
        const changed = next.split(/\r?\n/).filter((line) => !text.split(/\r?\n/).includes(line));
        expect(changed, name).toEqual([`seed: ${seed}`]);
      }), { numRuns: 20, seed: 7 });
    }
  });

  it('keeps a comment on the seed line, and returns the text as it is when it already says the seed or does not parse', () => {
    const text = 'agentos: 1\nname: s\nseed: 7   # the usual\nagents:\n  a:\n    program:\n      - compute: 1ms\n';
    expect(textWithSeed(text, 1)).toBe(text.replace('seed: 7   # the usual', 'seed: 1   # the usual'));
    expect(textWithSeed(text, 7)).toBe(text);
    expect(textWithSeed('agentos: 1\nname: [', 3)).toBe('agentos: 1\nname: [');
    // a flow-style spec has no line to change: left as it is (the caller says which seed ran)
    const flow = '{agentos: 1, name: f, seed: 2, agents: {a: {program: [{compute: 1ms}]}}}';
    expect(textWithSeed(flow, 5)).toBe(flow);
  });
});
