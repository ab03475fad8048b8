// Private cores (a TextDoc or map created without the kernel's core) start with a small IO
// buffer and decode scratch and grow them, up to the ioBytes and recordsMax asked for, when a
// call needs more: a doc's wasm memory follows what it exchanges, not the capacity it was given
// (issue 14: a fresh 4 MiB IO buffer and 2^18-record scratch per doc made replay and load pay
// for memory they never used). The kernel's core (new CrdtCore without growable) never moves.
import { describe, expect, it } from 'vitest';
import { TextDoc, LwwMap, CrdtCore, CrdtError, privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';
import { Xoshiro128 } from '../reference/xoshiro128';
import { fragmentedDoc } from '../helpers/fragmented-doc';

setDefaultCrdtBuild('debug');

const BIG = { itemsMax: 1 << 16, charsMax: 1 << 20, coreOptions: { ioBytes: 1 << 22, recordsMax: 1 << 18 } };

/** A doc of many runs and tombstones: its state is larger than the start IO buffer, its records more than the start scratch. */
const fragmented = (seed: number, edits: number): TextDoc =>
  fragmentedDoc(seed, edits, BIG, (rng) => String.fromCharCode(97 + rng.below(26)).repeat(1 + rng.below(8)) + '😀');

describe('private CRDT cores grow IO and scratch on demand', () => {
  it('start small, whatever capacity was asked for', () => {
    const doc = new TextDoc(1, BIG);
    expect(doc.core.ioBytes).toBeLessThanOrEqual(1 << 16);
    // the whole wasm memory of a fresh doc: the doc's own region and a small IO, not 4 MiB + 12 MiB more
    const fixed = new TextDoc(1, { ...BIG, coreOptions: { ...BIG.coreOptions, growable: false } });
    expect(doc.core.exports.memory.buffer.byteLength).toBeLessThan(fixed.core.exports.memory.buffer.byteLength - (12 << 20));
  });

  it('encode, load (deflated and not), deltas and takeChanges grow what they need and agree with a fixed-size core', () => {
    for (const seed of [1, 2, 3]) {
      const doc = fragmented(seed, 6000);
      const text = doc.toString();
      const state = doc.encodeState();
      expect(doc.core.ioBytes).toBeGreaterThan(1 << 16); // the raw state did not fit the start buffer
      const loaded = TextDoc.fromState(state, 2, BIG);
      expect(loaded.toString()).toBe(text);
      expect(loaded.core.ioBytes).toBeGreaterThan(1 << 16); // inflating the deflated state grew it
      expect(loaded.itemCount()).toBeGreaterThan(1 << 10); // more records than the start scratch
      const fixedCore = { ...BIG, coreOptions: { ...BIG.coreOptions, growable: false } };
      const fixed = TextDoc.fromState(state, 2, fixedCore);
      expect(fixed.toString()).toBe(text);
      expect(loaded.encodeState()).toEqual(fixed.encodeState());
      // a delta from an empty replica's state vector is the whole doc
      const empty = new TextDoc(3, BIG);
      empty.applyDelta(doc.encodeDelta(empty.stateVector()));
      expect(empty.toString()).toBe(text);
      const changes = doc.takeChanges();
      const fresh = new TextDoc(4, BIG);
      fresh.applyDelta(changes);
      expect(fresh.toString()).toBe(text);
    }
  });

  it('a text doc starts small and grows its region (in place, or moved past a grown IO buffer), ending as a fixed-size doc does', () => {
    const edit = (doc: TextDoc, seed: number, edits: number) => {
      const rng = new Xoshiro128(seed);
      for (let i = 0; i < edits; i++) {
        const length = doc.length;
        if (length > 10 && rng.below(3) === 0) doc.delete(rng.below(length - 5), 1 + rng.below(4));
        else doc.insert(rng.below(length + 1), String.fromCharCode(97 + rng.below(26)).repeat(1 + rng.below(8)) + '😀');
      }
    };
    const growing = new TextDoc(1, BIG);
    const fixed = new TextDoc(1, { ...BIG, coreOptions: { ...BIG.coreOptions, growable: false } });
    const start = growing.capacity();
    expect(start.items).toBeLessThan(BIG.itemsMax);
    expect(start.chars).toBeLessThan(BIG.charsMax);
    expect(fixed.capacity()).toEqual({ items: BIG.itemsMax, chars: BIG.charsMax });
    // a fresh doc holds no region sized for 2^16 items and 2^20 chars (8 MiB)
    expect(growing.core.exports.memory.buffer.byteLength).toBeLessThan(4 << 20);
    for (const doc of [growing, fixed]) { edit(doc, 7, 4000); doc.insert(doc.length >> 1, 'y'.repeat(start.chars)); }
    const grown = growing.capacity();
    expect(grown.chars).toBeGreaterThan(start.chars); // grew in place (the doc is the last region)
    expect(growing.toString()).toBe(fixed.toString());
    growing.checkIndex();
    // encoding the state grows the IO buffer past the doc's region: the next growth moves the doc
    const ioBefore = growing.core.ioBytes;
    expect(growing.encodeState()).toEqual(fixed.encodeState());
    expect(growing.core.ioBytes).toBeGreaterThan(ioBefore);
    for (const doc of [growing, fixed]) { edit(doc, 8, 3000); doc.insert(7, 'z'.repeat(grown.chars)); }
    expect(growing.capacity().chars).toBeGreaterThan(grown.chars);
    expect(growing.toString()).toBe(fixed.toString());
    growing.checkIndex();
    expect(growing.encodeState()).toEqual(fixed.encodeState());
    // a merge into a small doc grows it too
    const merged = new TextDoc(2, BIG);
    merged.applyDelta(fixed.encodeDelta(merged.stateVector()));
    expect(merged.toString()).toBe(fixed.toString());
    merged.checkIndex();
    // and growth stops at the sizes asked for, with the errors of a full doc
    const small = new TextDoc(1, { itemsMax: 64, charsMax: 100 });
    expect(() => { small.insert(0, 'x'.repeat(101)); small.flush(); }).toThrowError(/full/);
    expect(small.capacity()).toEqual({ items: 64, chars: 100 });
  });

  it('stop at the sizes asked for: past them, the same errors as before', () => {
    const doc = fragmented(5, 3000);
    const small = new TextDoc(1, { ...BIG, coreOptions: { ioBytes: 1 << 12, recordsMax: 1 << 18 } });
    expect(() => small.applyDelta(doc.encodeState())).toThrow(CrdtError);
    expect(small.core.ioBytes).toBe(1 << 12);
    const state = doc.encodeState();
    const fewRecords = new TextDoc(1, { ...BIG, coreOptions: { ioBytes: 1 << 22, recordsMax: 64 } });
    expect(() => fewRecords.applyDelta(state)).toThrowError(/recordsMax/);
  });

  it('a map grows IO for a value larger than its start buffer', () => {
    const map = new LwwMap(1, { coreOptions: { ioBytes: 1 << 20 } });
    const big = 'x'.repeat(50_000);
    map.set('k', big);
    expect(map.get('k')).toBe(big);
    const copy = new LwwMap(2, { coreOptions: { ioBytes: 1 << 20 } });
    copy.applyDelta(map.encodeState());
    expect(copy.get('k')).toBe(big);
  });

  it('a core that is not growable (the kernel\'s) never moves its IO buffer', () => {
    const core = privateCrdtCore({ ioBytes: 1 << 12, growable: false });
    expect(core.ioBytes).toBe(1 << 12);
    expect(core.growIo(1 << 13)).toBe(false);
    const shared = new CrdtCore(privateCrdtCore().exports, {});
    expect(shared.growIo()).toBe(false);
  });
});
