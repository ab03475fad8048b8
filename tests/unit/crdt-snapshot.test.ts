// The CRDT state lives in the core's linear memory: copying memory back restores every doc, and
// every change marks its pages dirty for incremental snapshots.
import { describe, expect, it } from 'vitest';
import { TextDoc, LwwMap, OrSet, PNCounter, TimeSeries, privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';

setDefaultCrdtBuild('debug');

describe('CRDT docs in linear memory', () => {
  it('restoring a copy of memory restores every doc, value and hash', () => {
    const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 256 });
    const text = new TextDoc(1, { core, itemsMax: 1024, charsMax: 4096 });
    const map = new LwwMap(1, { core, entriesMax: 64, bytesMax: 4096 });
    const set = new OrSet(1, { core, entriesMax: 64, bytesMax: 4096 });
    const counter = new PNCounter(1, { core });
    const series = new TimeSeries(1, { core, pointsMax: 64 });
    text.insert(0, 'before the snapshot');
    map.set('k', 'v1');
    set.add('a');
    counter.increment(3);
    series.append(1, 10);
    const hashes = () => [text.hash(), map.hash(), set.hash(), counter.hash(), series.hash()];
    const before = hashes();
    const snapshot = new Uint8Array(core.exports.memory.buffer).slice();

    text.delete(0, 7);
    text.insert(0, 'after');
    map.set('k', 'v2');
    set.remove('a');
    counter.decrement(10);
    series.append(2, 20);
    expect(hashes()).not.toEqual(before);

    new Uint8Array(core.exports.memory.buffer).set(snapshot);
    text.refresh();
    expect(hashes()).toEqual(before);
    expect(text.toString()).toBe('before the snapshot');
    expect(map.get('k')).toBe('v1');
    expect(set.values()).toEqual(['a']);
    expect(counter.value).toBe(3);
    expect(series.count).toBe(1);
    // and it keeps working from there
    text.insert(text.length, '!');
    expect(text.toString()).toBe('before the snapshot!');
  });

  it('every CRDT change marks its pages dirty', () => {
    const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 256 });
    const text = new TextDoc(1, { core, itemsMax: 1024, charsMax: 4096 });
    const map = new LwwMap(1, { core, entriesMax: 64, bytesMax: 4096 });
    const dirtyPages = () => {
      const words = new Uint32Array(core.exports.memory.buffer, core.exports.dirtyBitmapPtr(), core.exports.dirtyBitmapWords());
      let count = 0;
      for (const word of words) for (let bit = word; bit; bit &= bit - 1) count++;
      return count;
    };
    text.flush();
    core.exports.clearDirty();
    expect(dirtyPages()).toBe(0);
    text.insert(0, 'x');
    text.flush();
    expect(dirtyPages()).toBeGreaterThan(0);
    core.exports.clearDirty();
    map.set('k', 'v');
    map.flush();
    expect(dirtyPages()).toBeGreaterThan(0);
  });
});
