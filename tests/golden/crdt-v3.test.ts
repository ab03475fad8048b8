// CRDT format v3 golden encodings (a text state of a doc that collected tombstones: version 1
// whose seqs may have gaps and whose origins may name collected chars; BINARY.md): bytes written
// by format version 3 must decode, forever, to the same value and hash; versions 1 and 2 still
// decode (crdt-v1.test.ts, crdt-v2.test.ts). Never edit a block; add one for every later version.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextDoc, CrdtError, setDefaultCrdtBuild } from '../../src/crdt/index';

setDefaultCrdtBuild('debug');
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));

// Two replicas: "The quick brown fox 😀 jumps", "quick " deleted while the other typed "wörld ",
// both collected; then more typing and a delete across a collected gap, not collected yet.
const TEXT_V3 = '03010201001e02001807820100360e01355f0085013b020000ae010090030100380109c008000c0201010092090100382db1808080005b61652077c3b6726c642062726f776e20666f7820f09f9880206a756d7073206f76657220746865206c617a7920646f6700';

describe('CRDT binary format v3 (golden)', () => {
  it('text: a state with collected chars (gaps in both replicas\' seqs) and live tombstones', () => {
    const doc = TextDoc.fromState(bytes(TEXT_V3), 100);
    expect(doc.toString()).toBe('[ae wörld brown fox 😀 jumps over the lazy dog');
    expect(doc.hash()).toBe(15370002490672176606n);
    doc.checkIndex();
    expect(doc.tombstones().count).toBe(3);
    // it goes on editing and re-encodes as version 3
    doc.insert(1, 'x');
    expect(doc.toString()).toBe('[xae wörld brown fox 😀 jumps over the lazy dog');
    expect(doc.encodeState()[0]).toBe(3);
    expect(TextDoc.fromState(doc.encodeState(), 101).toString()).toBe(doc.toString());
  });

  it('text: a version-3 state with any byte changed loads or is refused with a CrdtError, never traps', () => {
    const seed = Number(process.env.V3_SEED ?? 0x3c0) >>> 0;
    const golden = bytes(TEXT_V3);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(golden.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }), (changes) => {
        const state = golden.slice();
        for (const [at, value] of changes) state[at] = value;
        let doc: TextDoc | undefined;
        try {
          doc = TextDoc.fromState(state, 100);
        } catch (error) {
          expect(error, `seed ${seed}`).toBeInstanceOf(CrdtError);
          return;
        }
        doc.checkIndex();
        doc.insert(0, 'y');
        doc.delete(0, Math.min(2, doc.length));
        doc.checkIndex();
      }),
      { seed, numRuns: 400 },
    );
  });
});
