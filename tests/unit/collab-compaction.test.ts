// Tombstones of a long editing session in the shared draft (src/collab): without collecting them
// the doc grows with every insert/delete cycle; with compaction (a new generation from the text
// alone, adopted by every tab) it stays flat, and edits still on their way in the old generation
// are carried over, not lost.
import { describe, expect, it } from 'vitest';
import { setDefaultCrdtBuild } from '../../src/crdt/index';
import { CollabSession, COMPACT_ITEMS } from '../../src/collab/session';
import type { Message } from '../../src/collab/protocol';
import { collabTabs } from '../helpers/collab-tabs';

setDefaultCrdtBuild('release');

const CYCLES = 100_000;

function loop(compactItems: number) {
  let ids = 0;
  const posted: Message[] = [];
  const tab = new CollabSession(
    { replicaId: 1, post: (message) => posted.push(message), newGenerationId: () => (++ids).toString(16).padStart(16, '0'), compactItems, itemsMax: 1 << 17, charsMax: 1 << 18 },
    'agentos: 1\nname: loop\n',
  );
  const samples: { cycle: number; items: number; stateBytes: number; rawBytes: number; memoryBytes: number }[] = [];
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    // type a character somewhere in the first line, then delete it: the text never changes
    const at = 3 + (cycle % 7);
    tab.edit([{ at, remove: 0, insert: 'x' }]);
    tab.edit([{ at, remove: 1, insert: '' }]);
    posted.length = 0;
    if (cycle % 10_000 === 0) {
      samples.push({
        cycle,
        items: tab.doc.itemCount(),
        // what a saved draft keeps (deflated), and the version-1 encoding before deflate
        stateBytes: tab.save().state.length,
        rawBytes: tab.doc.encodeDelta(new Uint8Array([0])).length,
        memoryBytes: tab.doc.core.exports.memory.buffer.byteLength,
      });
    }
  }
  expect(tab.text).toBe('agentos: 1\nname: loop\n');
  return { samples, generation: tab.generation };
}

describe('collab: tombstones of a long session', () => {
  it(`memory stays flat over ${CYCLES.toLocaleString('en')} insert/delete cycles with compaction, and grows without`, () => {
    const without = loop(Infinity);
    const withGc = loop(COMPACT_ITEMS);
    console.log('without compaction', JSON.stringify(without.samples.filter((_, i) => i % 3 === 0 || i === 9)));
    console.log('with compaction   ', JSON.stringify(withGc.samples.filter((_, i) => i % 3 === 0 || i === 9)), 'generation', withGc.generation.n);
    // without: one tombstone per cycle, and the state carries them all
    const first = without.samples[0];
    const last = without.samples[without.samples.length - 1];
    expect(last.items).toBeGreaterThan(9 * first.items);
    expect(last.rawBytes).toBeGreaterThan(5 * first.rawBytes);
    expect(last.stateBytes).toBeGreaterThan(2 * first.stateBytes);
    // with: bounded by COMPACT_ITEMS whatever the session's length, and the same wasm memory
    // (a doc reserves its regions when it is created: the items are what fills them)
    for (const sample of withGc.samples) {
      expect(sample.items).toBeLessThanOrEqual(COMPACT_ITEMS + 1);
      expect(sample.rawBytes).toBeLessThan(first.rawBytes);
      expect(sample.stateBytes).toBeLessThan(first.stateBytes);
      expect(sample.memoryBytes).toBe(withGc.samples[0].memoryBytes);
    }
    // (two edits a cycle; a tombstone next to another merges into it now and then)
    expect(withGc.generation.n).toBeGreaterThan(CYCLES / (2 * COMPACT_ITEMS));
  }, 300_000);

  it('edits another tab made in the old generation while one compacted are carried over, in both tabs', () => {
    const { open, settle } = collabTabs(64);
    const a = open(1);
    const b = open(2);
    settle();
    for (let round = 0; round < 200; round++) {
      // both type at once; a's edits compact its doc now and then, while b's are on their way
      a.edit([{ at: 0, remove: 0, insert: 'a' }]);
      a.edit([{ at: 0, remove: 1, insert: '' }]);
      b.edit([{ at: [...b.text].length, remove: 0, insert: String(round % 10) }]);
      if (round % 3 === 0) settle();
    }
    settle();
    expect(a.text).toBe(b.text);
    expect(a.generation).toEqual(b.generation);
    expect(a.generation.n).toBeGreaterThan(2);
    // every digit b typed is there, in order
    expect(a.text).toBe(`name: shared\n${Array.from({ length: 200 }, (_, i) => String(i % 10)).join('')}`);
  });
});
