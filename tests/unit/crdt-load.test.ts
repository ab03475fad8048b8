// Loading a whole text state (issue 14, "text load"): what a load costs beyond the decode. A
// deflated state is inflated once (a retry inflates the whole body again: the long session's
// state went through three before its IO buffer was large enough).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fflate from 'fflate';
import fc from 'fast-check';
import { TextDoc, collectTombstones, privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';
import { Xoshiro128 } from '../reference/xoshiro128';
import { fragmentedDoc } from '../helpers/fragmented-doc';

vi.mock('fflate', async (importOriginal) => {
  const original = await importOriginal<typeof import('fflate')>();
  return { ...original, inflateSync: vi.fn(original.inflateSync) };
});

setDefaultCrdtBuild('debug');

const BIG = { itemsMax: 1 << 18, charsMax: 1 << 20, coreOptions: { ioBytes: 1 << 22, recordsMax: 1 << 18 } };

/** A doc of many runs and tombstones whose state inflates past the start IO buffer (64 KiB) several times over. */
const fragmented = (seed: number, edits: number): TextDoc =>
  fragmentedDoc(seed, edits, BIG, (rng) => 'abcdefghij'.slice(rng.below(5)) + String.fromCharCode(97 + rng.below(26)).repeat(1 + rng.below(8)));

describe('loading a text state', () => {
  it('inflates a deflated state once, however far past the start IO buffer it inflates', () => {
    const doc = fragmented(7, 30_000);
    const state = doc.encodeState();
    expect(state[0]).toBe(2);
    const inflate = vi.mocked(fflate.inflateSync);
    inflate.mockClear();
    const loaded = TextDoc.fromState(state, 2, BIG);
    expect(loaded.toString()).toBe(doc.toString());
    expect(loaded.core.ioBytes).toBeGreaterThan(1 << 18); // it did need more than the start buffer, x4
    expect(inflate).toHaveBeenCalledTimes(1);
  });
});

describe('the chars of a loaded state', () => {
  it('read back as typed: ASCII runs (taken eight at a time) around 2-, 3- and 4-byte UTF-8 at every offset', () => {
    const seed = Number(process.env.LOAD_SEED ?? 0x10ad) >>> 0;
    const piece = fc.oneof(fc.string({ minLength: 0, maxLength: 20 }), fc.constantFrom('é', '€', '😀', 'ab€', 'abcdefg😀', '\u007f\u0080'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), piece), { minLength: 1, maxLength: 30 }), fc.nat(5), (inserts, deletes) => {
        const doc = new TextDoc(1);
        for (const [at, text] of inserts) doc.insert(at % (doc.length + 1), text);
        for (let i = 0; i < deletes && doc.length > 2; i++) doc.delete(i % (doc.length - 1), 1);
        const text = doc.toString();
        const loaded = TextDoc.fromState(doc.encodeState(), 2);
        expect(loaded.toString(), `seed ${seed}`).toBe(text);
        expect(loaded.hash()).toBe(doc.hash());
        loaded.dispose();
        doc.dispose();
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe('a whole state into an empty doc', () => {
  it('is linked as it is (its runs sorted by replica and seq, origins found through the table), for states of many replicas, collected or not', () => {
    const rng = new Xoshiro128(0x50f7);
    for (let trial = 0; trial < 12; trial++) {
      const replicas = Array.from({ length: 2 + rng.below(5) }, (_, i) => new TextDoc(1000 * trial + 7 * i + 1));
      for (let round = 0; round < 8; round++) {
        for (const doc of replicas) {
          for (let i = 0; i < 1 + rng.below(20); i++) {
            const length = doc.length;
            if (length > 6 && rng.below(3) === 0) doc.delete(rng.below(length - 3), 1 + rng.below(3));
            else doc.insert(rng.below(length + 1), 'ab😀cdefghijk'.slice(rng.below(10)));
          }
        }
        const hub = replicas[rng.below(replicas.length)];
        for (const doc of replicas) if (doc !== hub) hub.applyDelta(doc.encodeDelta(hub.stateVector()));
        for (const doc of replicas) if (doc !== hub) doc.applyDelta(hub.encodeDelta(doc.stateVector()));
        // every third trial collects tombstones midway: a version-3 state, with gaps in the seqs
        if (trial % 3 === 0 && round === 4) expect(collectTombstones(replicas)).toBeGreaterThan(0);
      }
      const source = replicas[0];
      if (trial % 3 === 0) expect(source.encodeState()[0]).toBe(3);
      const loaded = TextDoc.fromState(source.encodeState(), 99);
      // a sort that got the order wrong fails the checks and falls back to item-by-item integration
      expect(loaded.core.exports.crdtTextLinkedWhole(), `trial ${trial}`).toBe(1);
      expect(loaded.toString()).toBe(source.toString());
      expect(loaded.encodeState()).toEqual(source.encodeState());
      loaded.checkIndex();
      // and it edits on from there as the source does
      loaded.insert(0, 'z'); source.insert(0, 'z');
      expect(loaded.toString()).toBe(source.toString());
      for (const doc of [...replicas, loaded]) doc.dispose();
    }
  });
});

describe('a whole state decoded straight into the items', () => {
  it('writes no records to the decode scratch, and ends as a load through the scratch does', () => {
    const source = fragmented(11, 3000);
    const state = source.encodeState();
    const core = privateCrdtCore({ ioBytes: 1 << 20, recordsMax: 1 << 14, growable: false });
    const doc = new TextDoc(2, { core, itemsMax: 1 << 16, charsMax: 1 << 18 });
    const exports = core.exports;
    const scratch = new Uint8Array(exports.memory.buffer, exports.crdtScratchPtr(), exports.crdtScratchBytes());
    scratch.fill(0xab);
    doc.applyDelta(state);
    expect(exports.crdtTextLinkedWhole()).toBe(1);
    const items = doc.itemCount();
    expect(items).toBeGreaterThan(500);
    // records (40 bytes each) would fill items * 40 bytes; the sort and the origin table use the
    // unused records area's first items * 8 bytes (and a little more): past half of it, nothing
    const after = new Uint8Array(exports.memory.buffer, exports.crdtScratchPtr() + items * 20, items * 20);
    expect(after.every((byte) => byte === 0xab)).toBe(true);
    // the same doc as one loaded through the scratch (an empty doc whose items were all collected)
    const other = new TextDoc(3, { core, itemsMax: 1 << 16, charsMax: 1 << 18 });
    other.insert(0, 'gone');
    other.delete(0, 4);
    other.collect();
    other.applyDelta(state);
    expect(exports.crdtTextLinkedWhole()).toBe(1);
    expect(doc.encodeState()).toEqual(state);
    for (const loaded of [doc, other]) {
      expect(loaded.toString()).toBe(source.toString());
      loaded.checkIndex();
    }
    expect(doc.itemCount()).toBe(other.itemCount());
    expect(doc.tombstones()).toEqual(other.tombstones());
  });

  it('is integrated item by item when it is not in document order, from items that read as unused again', () => {
    // one writer's own changes from its start (takeChanges): runs in seq order, not document order
    const rng = new Xoshiro128(0x1d);
    let integrated = 0;
    for (let trial = 0; trial < 20; trial++) {
      const writer = new TextDoc(5);
      for (let i = 0; i < 30 + rng.below(60); i++) {
        const length = writer.length;
        if (length > 4 && rng.below(4) === 0) writer.delete(rng.below(length - 2), 1 + rng.below(2));
        else writer.insert(rng.below(length + 1), 'abcé😀'.slice(rng.below(4)));
      }
      const changes = writer.takeChanges();
      // a private doc (decoded into its items, which grew first) and one on a fixed core
      const fixed = { core: privateCrdtCore({ growable: false, ioBytes: 1 << 16, recordsMax: 1 << 10 }), itemsMax: 1 << 12, charsMax: 1 << 14 };
      for (const options of [{}, fixed]) {
        const reader = new TextDoc(6, options);
        reader.applyDelta(changes);
        if (reader.core.exports.crdtTextLinkedWhole() === 0) integrated++;
        expect(reader.toString(), `trial ${trial}`).toBe(writer.toString());
        reader.checkIndex();
        expect(reader.encodeState()).toEqual(TextDoc.fromState(writer.encodeState(), 7).encodeState());
        reader.dispose();
      }
      writer.dispose();
    }
    expect(integrated).toBeGreaterThan(20); // most of them: the fallback is what this tests
  });

  it('falls back after sorting in the chars area (cleared, then overwritten by the chars): the doc grows in place and edits on', () => {
    // thousands of chars typed front to back and back to front: sorted in the chars area (their
    // keys fit in the chars they write), then not in document order
    const writer = new TextDoc(5);
    for (let i = 0; i < 1500; i++) writer.insert(i % 2 === 0 ? 0 : writer.length, `w${i % 10}`.repeat(10));
    const changes = writer.takeChanges();
    const reader = new TextDoc(6);
    reader.applyDelta(changes);
    expect(reader.core.exports.crdtTextLinkedWhole()).toBe(0);
    expect(reader.toString()).toBe(writer.toString());
    const start = reader.capacity();
    // past its capacity: the region grows in place, the chars area's old place becomes index blocks
    const rng = new Xoshiro128(0xc4a5);
    for (let i = 0; i < 40_000; i++) {
      const at = rng.below(writer.length + 1);
      writer.insert(at, 'x'); reader.insert(at, 'x');
    }
    expect(reader.capacity().items).toBeGreaterThan(start.items);
    expect(reader.toString()).toBe(writer.toString());
    reader.checkIndex();
    expect(TextDoc.fromState(reader.encodeState(), 8).toString()).toBe(writer.toString());
  });
});

describe('a disposed private doc serves the next one', () => {
  // each test its own core options, so no test takes a core another one disposed
  let nextIo = 1 << 20;
  let SMALL = { itemsMax: 1 << 16, charsMax: 1 << 18, coreOptions: { ioBytes: nextIo, recordsMax: 1 << 16 } };
  beforeEach(() => { nextIo += 64; SMALL = { ...SMALL, coreOptions: { ...SMALL.coreOptions, ioBytes: nextIo } }; });

  /** Two replicas editing concurrently, merged, some of it collected: a doc with several replicas, tombstones and a compacted arena. */
  function busy(seed: number): TextDoc {
    const rng = new Xoshiro128(seed);
    const a = new TextDoc(10 + seed, SMALL), b = new TextDoc(20 + seed, SMALL);
    for (let round = 0; round < 6; round++) {
      for (const doc of [a, b]) {
        for (let i = 0; i < 40; i++) {
          const length = doc.length;
          if (length > 8 && rng.below(3) === 0) doc.delete(rng.below(length - 4), 1 + rng.below(3));
          else doc.insert(rng.below(length + 1), 'xyz😀é'.slice(rng.below(4)) + String.fromCharCode(97 + rng.below(26)));
        }
      }
      a.applyDelta(b.encodeDelta(a.stateVector()));
      b.applyDelta(a.encodeDelta(b.stateVector()));
      if (round === 3) { a.collect(); b.collect(); }
    }
    b.dispose();
    return a;
  }

  it('reuses the core and region, and then reads, edits and encodes exactly as a fresh doc', () => {
    for (const seed of [1, 2, 3, 4]) {
      const source = fragmented(seed, 1500);
      const state = source.encodeState();
      const old = busy(seed);
      const oldCore = old.core;
      old.dispose();
      const reused = TextDoc.fromState(state, 5, SMALL);
      expect(reused.core === oldCore).toBe(true); // no fresh wasm instance
      const fresh = new TextDoc(5, { ...SMALL, coreOptions: { ...SMALL.coreOptions, growable: true, ioBytes: SMALL.coreOptions.ioBytes + 1 } });
      fresh.applyDelta(state);
      expect(fresh.core === oldCore).toBe(false);
      const rng = new Xoshiro128(100 + seed);
      for (let i = 0; i < 300; i++) {
        const length = reused.length;
        expect(fresh.length).toBe(length);
        if (length > 5 && rng.below(2) === 0) { const at = rng.below(length - 3); reused.delete(at, 2); fresh.delete(at, 2); }
        else { const at = rng.below(length + 1); reused.insert(at, 'qé😀'); fresh.insert(at, 'qé😀'); }
      }
      expect(reused.toString()).toBe(fresh.toString());
      expect(reused.hash()).toBe(fresh.hash());
      expect(reused.encodeState()).toEqual(fresh.encodeState());
      expect(reused.stateVector()).toEqual(fresh.stateVector());
      expect(reused.tombstones()).toEqual(fresh.tombstones());
      expect(reused.collected()).toBe(0);
      reused.checkIndex();
      reused.dispose();
      fresh.dispose();
    }
  });

  it('a disposed doc throws on use; its handle is no longer its own', () => {
    const doc = new TextDoc(1, SMALL);
    doc.insert(0, 'hello');
    doc.dispose();
    doc.dispose(); // twice is harmless
    expect(() => doc.insert(0, 'x')).toThrow(/disposed/);
    expect(() => doc.delete(0, 0)).toThrow(/disposed/);
    expect(() => doc.toString()).toThrow(/disposed/);
    expect(() => doc.encodeState()).toThrow(/disposed/);
    expect(() => doc.applyDelta(new TextDoc(2).encodeState())).toThrow(/disposed/);
    const next = new TextDoc(3, SMALL);
    expect(next.core === doc.core).toBe(true);
    expect(next.toString()).toBe('');
    expect(() => doc.toString()).toThrow(/disposed/);
    next.dispose();
  });

  it('keeps the last two, and serves only docs of the same core options within their limits', () => {
    const docs = [0, 1, 2].map((i) => new TextDoc(i + 1, SMALL));
    const cores = docs.map((doc) => doc.core);
    for (const doc of docs) doc.dispose();
    const taken = [new TextDoc(7, SMALL), new TextDoc(8, SMALL), new TextDoc(9, SMALL)];
    expect(taken[0].core === cores[2]).toBe(true); // the last disposed first
    expect(taken[1].core === cores[1]).toBe(true);
    expect(cores.includes(taken[2].core)).toBe(false); // the first disposed was dropped
    // (the pool is empty again) other core options, or smaller limits than the disposed doc grew to: a fresh core
    taken[0].dispose();
    const other = new TextDoc(1, { ...SMALL, coreOptions: { ioBytes: 1 << 19 } });
    expect(other.core === taken[0].core).toBe(false);
    expect(new TextDoc(1, SMALL).core === taken[0].core).toBe(true);
    const grown = fragmented(9, 20_000);
    expect(grown.capacity().items).toBeGreaterThan(1 << 14);
    const grownCore = grown.core;
    grown.dispose();
    expect(new TextDoc(2, { ...BIG, itemsMax: 1 << 14 }).core === grownCore).toBe(false);
    expect(new TextDoc(2, BIG).core === grownCore).toBe(true);
  });

  it('a kernel-core doc is only retired: its core serves no private doc', () => {
    const core = new TextDoc(1, SMALL).core;
    const onCore = new TextDoc(2, { core });
    onCore.dispose();
    expect(() => onCore.toString()).toThrow(/disposed/);
    expect(new TextDoc(3, SMALL).core === core).toBe(false);
  });
});
