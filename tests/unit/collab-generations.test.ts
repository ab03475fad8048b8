// The shared draft's docs per generation (src/collab/session.ts): a generation a tab no longer
// needs is disposed (TextDoc.dispose), so its private core serves the tab's next doc instead of
// every generation taking a fresh wasm instance and leaving the old one to the garbage collector.
import { describe, expect, it } from 'vitest';
import { setDefaultCrdtBuild, type TextDoc } from '../../src/crdt/index';
import { collabTabs } from '../helpers/collab-tabs';

setDefaultCrdtBuild('release');

const disposed = (doc: TextDoc): boolean => {
  try { doc.toString(); return false; } catch (error) { return /disposed/.test((error as Error).message); }
};

describe('generations of the shared draft', () => {
  it('a replaced or adopted generation is disposed, and the tabs go on with a few cores, not one per generation', () => {
    const { open, settle } = collabTabs(1 << 20);
    const a = open(1), b = open(2);
    settle();
    const cores = new Set<unknown>();
    for (let round = 0; round < 12; round++) {
      const oldA = a.doc, oldB = b.doc;
      a.replace(`name: round ${round}\n`);
      expect(disposed(oldA)).toBe(true);
      settle(); // b adopts a's new generation
      expect(disposed(oldB)).toBe(true);
      expect(b.text).toBe(`name: round ${round}\n`);
      b.edit([{ at: 0, remove: 0, insert: '#' }]);
      settle();
      expect(a.text).toBe(b.text);
      cores.add(a.doc.core).add(b.doc.core);
    }
    // each tab's dropped generation (and the seed's scratch doc) hands its core on
    expect(cores.size).toBeLessThanOrEqual(4);
  });

  it('a compacting tab keeps the generation it compacted away until the next one, then disposes it', () => {
    const { open, settle } = collabTabs(64);
    const a = open(1), b = open(2);
    settle();
    let compacted: TextDoc | undefined;
    for (let round = 0; round < 400; round++) {
      const before = a.doc;
      const generation = a.generation.n;
      a.edit([{ at: 0, remove: 0, insert: 'a' }]);
      a.edit([{ at: 0, remove: 1, insert: '' }]);
      if (a.generation.n !== generation) {
        // kept: b's edits in it still carry over
        expect(disposed(before)).toBe(false);
        if (compacted) expect(disposed(compacted)).toBe(true);
        compacted = before;
      }
      b.edit([{ at: [...b.text].length, remove: 0, insert: String(round % 10) }]);
      if (round % 3 === 0) settle();
    }
    settle();
    expect(compacted).toBeDefined();
    expect(a.text).toBe(b.text);
    expect(a.text).toBe(`name: shared\n${Array.from({ length: 400 }, (_, i) => String(i % 10)).join('')}`);
  });
});
