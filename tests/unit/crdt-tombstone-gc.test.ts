// Collecting text tombstones (issue 14): once every replica of a text holds the same state, all
// of them drop their tombstones at once (collectTombstones). Checked here: replicas that collect
// stay equal, char for char, to replicas that never collect, under random concurrent edits and
// merges (the kernel's: the sender encodes what the receiver's state vector lacks, the receiver
// applies it at once); the state of a doc that collected (format version 3) loads; and memory
// stays flat over a long edit-delete loop where it grew without collection.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextDoc, collectTombstones, privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';

setDefaultCrdtBuild('debug');

type Step =
  | { kind: 'insert'; replica: number; at: number; text: string }
  | { kind: 'delete'; replica: number; at: number; count: number }
  | { kind: 'merge'; from: number; to: number }
  | { kind: 'settle' };

const REPLICAS = 3;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), replica: fc.nat(REPLICAS - 1), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.string({ minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('delete' as const), replica: fc.nat(REPLICAS - 1), at: fc.double({ min: 0, max: 1, noNaN: true }), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('merge' as const), from: fc.nat(REPLICAS - 1), to: fc.nat(REPLICAS - 1) }),
  fc.record({ kind: fc.constant('settle' as const) }),
);

function world(): TextDoc[] {
  const core = privateCrdtCore();
  return Array.from({ length: REPLICAS }, (_, i) => new TextDoc(i + 1, { core, itemsMax: 1 << 12, charsMax: 1 << 15 }));
}

/** Runs the steps on a world; with `collect`, tombstones go whenever all replicas are equal. */
function run(docs: TextDoc[], steps: Step[], collect: boolean): number {
  let collected = 0;
  steps.forEach((s) => {
    if (s.kind === 'insert') {
      const doc = docs[s.replica];
      doc.insert(Math.floor(s.at * (doc.length + 1)) % (doc.length + 1), s.text);
    } else if (s.kind === 'delete') {
      const doc = docs[s.replica];
      if (doc.length === 0) return;
      const at = Math.floor(s.at * doc.length) % doc.length;
      doc.delete(at, Math.min(s.count, doc.length - at));
    } else if (s.kind === 'settle') {
      collected += settle(docs, collect);
    } else if (s.from !== s.to) {
      docs[s.to].applyDelta(docs[s.from].encodeDelta(docs[s.to].stateVector()));
      if (collect) collected += collectTombstones(docs);
    }
  });
  return collected;
}

/** Every replica merges from every other (twice round), so all end equal. */
function settle(docs: TextDoc[], collect: boolean): number {
  const steps: Step[] = [];
  for (let round = 0; round < 2; round++) {
    for (let from = 0; from < docs.length; from++) for (let to = 0; to < docs.length; to++) steps.push({ kind: 'merge', from, to });
  }
  return run(docs, steps, collect);
}

describe('text tombstone collection', () => {
  it('replicas that collect read the same text as replicas that never do, after every step', () => {
    const seed = Number(process.env.GC_SEED ?? 0x7a11) >>> 0;
    let collectedRuns = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), (steps) => {
        const plain = world(), gc = world();
        // step by step in both worlds: the same edits land at the same places
        let collected = 0;
        for (const s of steps) {
          run(plain, [s], false);
          collected += run(gc, [s], true);
          for (let i = 0; i < REPLICAS; i++) expect(gc[i].toString(), `replica ${i} (seed ${seed})`).toBe(plain[i].toString());
        }
        for (let i = 0; i < REPLICAS; i++) gc[i].checkIndex();
        settle(plain, false);
        settle(gc, true);
        const text = plain[0].toString();
        for (let i = 0; i < REPLICAS; i++) {
          expect(plain[i].toString()).toBe(text);
          expect(gc[i].toString(), `settled replica ${i} (seed ${seed})`).toBe(text);
          expect(gc[i].tombstones().count, 'settled replicas collect everything').toBe(0);
          // the state of a doc that collected (version 3 when it did) loads as it is
          const state = gc[i].encodeState();
          if (gc[i].collected() > 0) expect(state[0]).toBe(3);
          expect(TextDoc.fromState(state, 9).toString()).toBe(text);
        }
        if (collected > 0) collectedRuns++;
      }),
      { seed, numRuns: 150 },
    );
    // the property must have exercised collection, not only docs without tombstones
    expect(collectedRuns, `seed ${seed}`).toBeGreaterThan(10);
  });

  it('the same concurrent inserts next to collected chars order as without collection', () => {
    // n0 and n1 both insert where "bcd" was deleted and collected, at once: each one's right
    // origin is (without collection) the first tombstone, (with it) the visible "e"
    for (const collect of [false, true]) {
      const docs = world();
      docs[0].insert(0, 'abcdef');
      settle(docs, collect);
      docs[1].delete(1, 3);
      settle(docs, collect);
      expect(docs[0].collected()).toBe(collect ? 3 : 0);
      docs[0].insert(1, 'X');
      docs[1].insert(1, 'Y');
      docs[2].insert(2, 'Z');
      settle(docs, collect);
      for (const doc of docs) expect(doc.toString()).toBe(docs[0].toString());
      expect(docs[0].toString()).toMatch(/^a[XY]{2}eZf$|^aXYeZf$|^aYXeZf$/);
    }
  });

  it('a long edit-delete loop across three replicas keeps memory flat', () => {
    const footprint = (docs: TextDoc[]) => docs.map((d) => ({ items: d.itemCount(), chars: d.charsUsed() }));
    const loop = (collect: boolean) => {
      const docs = world();
      docs[0].insert(0, 'the quick brown fox jumps over the lazy dog');
      settle(docs, collect);
      const samples: { items: number; chars: number }[][] = [];
      for (let i = 0; i < 600; i++) {
        const writer = docs[i % 3];
        const at = (i * 7) % (writer.length + 1);
        writer.insert(at, `edit ${i} `);
        // the next replica deletes what the writer typed after a merge, then all settle
        run(docs, [{ kind: 'merge', from: i % 3, to: (i + 1) % 3 }], collect);
        docs[(i + 1) % 3].delete(at, `edit ${i} `.length);
        if (i % 3 === 2) {
          settle(docs, collect);
          if (i % 150 === 149) samples.push(footprint(docs));
        }
      }
      return samples;
    };
    const collected = loop(true);
    const kept = loop(false);
    console.log('edit-delete loop, per 150 edits (items, chars of replica 0): collected', collected.map((s) => [s[0].items, s[0].chars]), 'kept', kept.map((s) => [s[0].items, s[0].chars]));
    const first = collected[0], last = collected[collected.length - 1];
    for (let r = 0; r < REPLICAS; r++) {
      // flat: the last sample holds no more than the first (the text itself is the same size)
      expect(last[r].items).toBeLessThanOrEqual(first[r].items);
      expect(last[r].chars).toBeLessThanOrEqual(first[r].chars);
      // without collection the same loop grows with every edit
      expect(kept[kept.length - 1][r].chars).toBeGreaterThan(kept[0][r].chars + 1500);
      expect(kept[kept.length - 1][r].items).toBeGreaterThan(kept[0][r].items + 100);
    }
  });
});
