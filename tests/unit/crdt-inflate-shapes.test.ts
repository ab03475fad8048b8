// src/crdt/compressed.ts keeps two objects alive that walk the hidden-class transitions fflate's
// inflate state object walks, so V8 keeps the optimized inflate across full GCs (a text load is
// 4x slower without). That holds only while fflate writes its state fields in the order copied
// there: this test reads fflate's sources (every build a bundler may pick) and fails when an
// upgrade changes them, so the copy is updated with it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TextDoc } from '../../src/crdt/index';

const BUILDS = ['esm/index.mjs', 'esm/browser.js', 'lib/index.cjs', 'lib/browser.cjs'];
const ORDERS = [
  'inflt(data, { i: 2 }, opts && opts.out, opts && opts.dictionary)',
  'st.b = bt += l, st.p = pos = t * 8, st.f = final;',
  'st.l = lm, st.p = lpos, st.b = bt, st.f = final;',
  'final = 1, st.m = lbt, st.d = dm, st.n = dbt;',
];

describe('the inflate shapes kept by src/crdt/compressed.ts', () => {
  for (const build of BUILDS) {
    it(`match the field order of fflate's ${build}`, () => {
      const source = readFileSync(new URL(`../../node_modules/fflate/${build}`, import.meta.url), 'utf8');
      for (const order of ORDERS) expect(source, `fflate ${build} no longer has: ${order}`).toContain(order);
    });
  }

  it('do not change what a deflated state loads to', () => {
    const doc = new TextDoc(1);
    const text = 'the quick brown fox jumps over the lazy dog; '.repeat(40);
    doc.insert(0, text);
    doc.delete(10, 30);
    const state = doc.encodeState();
    expect(state[0]).toBe(2);
    for (let round = 0; round < 3; round++) expect(TextDoc.fromState(state, 2 + round).toString()).toBe(doc.toString());
  });
});
