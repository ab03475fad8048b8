// The in-app reference: an entry's place never just repeats its name (issue 10: the top-level keys
// read "agentos agentos").
import { describe, expect, it } from 'vitest';
import { REFERENCE_ENTRIES } from '../../src/ui/reference/entries';

describe('the in-app reference entries', () => {
  it('no entry says where it goes with its own name alone', () => {
    expect(REFERENCE_ENTRIES.filter((entry) => entry.where === entry.name).map((entry) => entry.id)).toEqual([]);
  });

  it('a top-level key says it is written at the top level; a nested one gives its path', () => {
    const where = (id: string) => REFERENCE_ENTRIES.find((entry) => entry.id === id)?.where;
    expect(where('top.agentos')).toBe('top level of the spec');
    expect(where('kernel.scheduler')).toBe('kernel.scheduler');
  });
});
