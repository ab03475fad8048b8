// Loading a whole text state (issue 14, "text load"): what a load costs beyond the decode. A
// deflated state is inflated once (a retry inflates the whole body again: the long session's
// state went through three before its IO buffer was large enough).
import { describe, expect, it, vi } from 'vitest';
import * as fflate from 'fflate';
import { TextDoc, setDefaultCrdtBuild } from '../../src/crdt/index';
import { Xoshiro128 } from '../reference/xoshiro128';

vi.mock('fflate', async (importOriginal) => {
  const original = await importOriginal<typeof import('fflate')>();
  return { ...original, inflateSync: vi.fn(original.inflateSync) };
});

setDefaultCrdtBuild('debug');

const BIG = { itemsMax: 1 << 18, charsMax: 1 << 20, coreOptions: { ioBytes: 1 << 22, recordsMax: 1 << 18 } };

/** A doc of many runs and tombstones whose state inflates past the start IO buffer (64 KiB) several times over. */
function fragmented(seed: number, edits: number): TextDoc {
  const rng = new Xoshiro128(seed);
  const doc = new TextDoc(1, BIG);
  for (let i = 0; i < edits; i++) {
    const length = doc.length;
    if (length > 10 && rng.below(3) === 0) doc.delete(rng.below(length - 5), 1 + rng.below(4));
    else doc.insert(rng.below(length + 1), 'abcdefghij'.slice(rng.below(5)) + String.fromCharCode(97 + rng.below(26)).repeat(1 + rng.below(8)));
  }
  return doc;
}

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
