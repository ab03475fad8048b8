import { describe, expect, it } from 'vitest';
import { TextDoc, CrdtError, privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';
import { Xoshiro128 } from '../reference/xoshiro128';
import { loadTrace, traceAvailable, TRACE_MISSING } from '../helpers/trace';

setDefaultCrdtBuild('debug');

function sync(a: TextDoc, b: TextDoc): void {
  const toB = a.encodeDelta(b.stateVector());
  const toA = b.encodeDelta(a.stateVector());
  b.applyDelta(toB);
  a.applyDelta(toA);
}

describe('TextDoc (wasm FugueMax text CRDT)', () => {
  it('inserts and deletes by code point, with astral characters', () => {
    const doc = new TextDoc(1);
    doc.insert(0, 'a😀c');
    expect(doc.length).toBe(3);
    doc.insert(2, 'b');
    expect(doc.toString()).toBe('a😀bc');
    doc.delete(1, 1);
    expect(doc.toString()).toBe('abc');
    expect(doc.length).toBe(3);
    expect(() => doc.insert(4, 'x')).toThrow(RangeError);
    expect(() => doc.delete(2, 2)).toThrow(RangeError);
  });

  it('a typing run is one item, and deleting inside it splits and re-merges', () => {
    const doc = new TextDoc(1);
    for (const [i, ch] of [...'hello world'].entries()) doc.insert(i, ch);
    expect(doc.itemCount()).toBe(1);
    doc.delete(2, 3);
    expect(doc.toString()).toBe('he world');
    expect(doc.itemCount()).toBe(3);
    doc.delete(1, 1);
    // he[llo] -> h[ello]: the deleted pieces merge into one tombstone
    expect(doc.itemCount()).toBe(3);
  });

  it('concurrent typing runs at one place do not interleave', () => {
    const a = new TextDoc(1);
    const b = new TextDoc(2);
    a.insert(0, '[]');
    sync(a, b);
    for (const [i, ch] of [...'abc'].entries()) a.insert(1 + i, ch);
    for (const [i, ch] of [...'xyz'].entries()) b.insert(1 + i, ch);
    sync(a, b);
    expect(a.toString()).toBe(b.toString());
    expect(['[abcxyz]', '[xyzabc]']).toContain(a.toString());
    expect(a.hash()).toBe(b.hash());
  });

  it('three replicas typing char by char at the same place keep their runs whole', () => {
    const docs = [new TextDoc(30), new TextDoc(10), new TextDoc(20)];
    docs[0].insert(0, '<>');
    for (const doc of docs.slice(1)) doc.applyDelta(docs[0].encodeState());
    const words = ['alpha', 'beta', 'gamma'];
    // interleave the keystrokes in time, each replica typing forward after its own text
    for (let i = 0; i < 5; i++) {
      docs.forEach((doc, r) => { if (i < words[r].length) doc.insert(1 + i, words[r][i]); });
    }
    for (const a of docs) for (const b of docs) if (a !== b) b.applyDelta(a.encodeDelta(b.stateVector()));
    const text = docs[0].toString();
    for (const doc of docs) expect(doc.toString()).toBe(text);
    const inner = text.slice(1, -1);
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map((o) => o.map((r) => words[r]).join(''));
    expect(orders).toContain(inner);
  });

  it('concurrent runs typed backwards (each char before the last) do not interleave either', () => {
    const a = new TextDoc(1);
    const b = new TextDoc(2);
    a.insert(0, '[]');
    sync(a, b);
    for (const ch of [...'cba']) a.insert(1, ch); // types "abc" right to left
    for (const ch of [...'zyx']) b.insert(1, ch);
    sync(a, b);
    expect(a.toString()).toBe(b.toString());
    expect(['[abcxyz]', '[xyzabc]']).toContain(a.toString());
  });

  it('concurrent insert and delete of the same range converge', () => {
    const a = new TextDoc(10);
    const b = new TextDoc(20);
    a.insert(0, 'abcdef');
    sync(a, b);
    a.delete(1, 4);
    b.insert(3, 'XY');
    b.delete(0, 1);
    sync(a, b);
    expect(a.toString()).toBe('XYf');
    expect(b.toString()).toBe('XYf');
  });

  it('fromState continues the same replica and keeps the value', () => {
    const a = new TextDoc(7);
    a.insert(0, 'one two three');
    a.delete(3, 4);
    const b = TextDoc.fromState(a.encodeState(), 7);
    expect(b.toString()).toBe('one three');
    b.insert(0, '>');
    const c = TextDoc.fromState(b.encodeState(), 8);
    c.applyDelta(a.encodeState()); // old state of the same replica: nothing new
    expect(c.toString()).toBe('>one three');
  });

  it('refuses a delta that builds on unseen changes, and accepts it after them', () => {
    const a = new TextDoc(1);
    const b = new TextDoc(2);
    a.insert(0, 'abc');
    const first = a.encodeDelta(b.stateVector());
    const svAfterFirst = TextDoc.fromState(first, 3).stateVector();
    a.insert(3, 'def');
    const second = a.encodeDelta(svAfterFirst);
    expect(b.tryApplyDelta(second)).toBe(false);
    expect(() => b.applyDelta(second)).toThrow(CrdtError);
    b.applyDelta(first);
    expect(b.tryApplyDelta(second)).toBe(true);
    expect(b.toString()).toBe('abcdef');
  });

  it('rejects malformed and truncated encodings with a clear error, without trapping', () => {
    const a = new TextDoc(1);
    a.insert(0, 'hello');
    a.delete(1, 2);
    const state = a.encodeState();
    const b = new TextDoc(2);
    expect(() => b.applyDelta(new Uint8Array([9, 1, 0]))).toThrow(/format version/);
    for (let cut = 1; cut < state.length; cut++) {
      const fresh = new TextDoc(3);
      expect(() => fresh.applyDelta(state.subarray(0, cut))).toThrow(CrdtError);
    }
    const random = new Xoshiro128(5);
    for (let round = 0; round < 200; round++) {
      const bytes = state.slice();
      bytes[2 + random.below(bytes.length - 2)] = random.below(256);
      const fresh = new TextDoc(3);
      try { fresh.applyDelta(bytes); } catch (error) { expect(error).toBeInstanceOf(CrdtError); }
    }
  });

  it('takeChanges sends only the edits since the last take, however large the document', () => {
    const a = new TextDoc(1, { itemsMax: 1 << 14 });
    const b = new TextDoc(2, { itemsMax: 1 << 14 });
    a.insert(0, 'x'.repeat(5000));
    for (let i = 0; i < 2000; i += 2) a.delete(i / 2 + 1, 1); // 1000 tombstones: a large delete set
    b.applyDelta(a.takeChanges());
    expect(b.toString()).toBe(a.toString());
    a.insert(10, 'hi');
    a.delete(100, 3);
    const small = a.takeChanges();
    expect(small.length).toBeLessThan(64);
    expect(a.encodeDelta(b.stateVector()).length).toBeGreaterThan(1000); // the delete set, every time
    b.applyDelta(small);
    expect(b.toString()).toBe(a.toString());
    // nothing new: an empty delta that applies anywhere
    b.applyDelta(a.takeChanges());
    expect(b.toString()).toBe(a.toString());
  });

  it('takeChanges after more scattered deletes than its log holds sends the whole delete set', () => {
    const a = new TextDoc(1, { itemsMax: 1 << 14 });
    const b = new TextDoc(2, { itemsMax: 1 << 14 });
    a.insert(0, 'ab'.repeat(3000));
    b.applyDelta(a.takeChanges());
    b.insert(0, '>'); // b's own change, which a's next delta does not need
    for (let i = 0; i < 3000; i++) a.delete(i + 1, 1); // 3000 separate ranges: the log overflows
    a.insert(0, '<');
    b.applyDelta(a.takeChanges());
    a.applyDelta(b.takeChanges());
    expect(a.toString()).toBe('<>' + 'a'.repeat(3000));
    expect(b.toString()).toBe(a.toString());
  });

  it('reports a full doc as an error, not a trap', () => {
    const doc = new TextDoc(1, { itemsMax: 8, charsMax: 16 });
    doc.insert(0, '0123456789');
    expect(() => { doc.insert(10, 'abcdefghij'); doc.flush(); }).toThrow(/no room for more characters/);
    const small = new TextDoc(1, { itemsMax: 6, charsMax: 1000 });
    expect(() => {
      for (let i = 0; i < 20; i++) small.insert(0, 'x'), small.insert(1 + i, 'y');
      small.flush();
    }).toThrow(/no free items/);
  });

  it('docs sharing one core keep their batched edits apart', () => {
    const core = privateCrdtCore({ ioBytes: 4096 });
    const a = new TextDoc(1, { core });
    const b = new TextDoc(2, { core });
    a.insert(0, 'aaa');
    b.insert(0, 'bbb');
    a.insert(3, 'A'.repeat(3000)); // more than the IO buffer: flushed in pieces
    b.delete(0, 1);
    expect(a.toString()).toBe('aaa' + 'A'.repeat(3000));
    expect(b.toString()).toBe('bb');
  });

  it.runIf(traceAvailable())('replays the sveltecomponent trace one patch at a time to its endContent', () => {
    const trace = loadTrace();
    const doc = new TextDoc(1);
    doc.insert(0, trace.startContent);
    for (const [pos, del, text] of trace.patches) {
      if (del) doc.delete(pos, del);
      if (text) doc.insert(pos, text);
    }
    expect(doc.toString()).toBe(trace.endContent);
    const loaded = TextDoc.fromState(doc.encodeState(), 2);
    expect(loaded.toString()).toBe(trace.endContent);
    expect(loaded.hash()).toBe(doc.hash());
  });

  it.runIf(traceAvailable())('replays the trace split between two replicas that merge at random points', () => {
    const trace = loadTrace();
    for (const seed of [1, 2, 3]) {
      const random = new Xoshiro128(seed);
      const replicas = [new TextDoc(1), new TextDoc(2)];
      replicas[0].insert(0, trace.startContent);
      sync(replicas[0], replicas[1]);
      let active = 0;
      for (const [pos, del, text] of trace.patches) {
        // switch editor now and then: the next one first merges what the other did
        if (random.below(50) === 0) {
          const next = 1 - active;
          if (random.below(2) === 0) sync(replicas[0], replicas[1]);
          else replicas[next].applyDelta(replicas[active].encodeDelta(replicas[next].stateVector()));
          active = next;
        }
        const doc = replicas[active];
        if (del) doc.delete(pos, del);
        if (text) doc.insert(pos, text);
      }
      sync(replicas[0], replicas[1]);
      expect(replicas[0].toString(), `SEED=${seed}`).toBe(trace.endContent);
      expect(replicas[1].toString(), `SEED=${seed}`).toBe(trace.endContent);
      expect(replicas[0].hash()).toBe(replicas[1].hash());
    }
  });

  it.skipIf(traceAvailable())('the editing trace is missing', () => {
    throw new Error(TRACE_MISSING);
  });
});
