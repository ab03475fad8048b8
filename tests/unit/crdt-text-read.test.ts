// TextDoc.toString reads the text from the core as UTF-8 (a lone surrogate, which UTF-8 cannot
// hold, read as UTF-16 from there), in chunks as large as the core's IO buffer. Checked against a
// model that knows nothing of either: the text as an array of code points (a surrogate pair typed
// in one insert is one; a lone surrogate is one of its own), over every kind of character, a
// leading byte order mark, and IO buffers small enough that chunks end inside every width.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextDoc, privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';

setDefaultCrdtBuild('debug');

/** How TextDoc.insert splits a string: a high surrogate followed by a low one is one code point. */
function codePoints(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit < 0xdc00 && next >= 0xdc00 && next < 0xe000) { out.push(text.slice(i, i + 2)); i++; }
    else out.push(text[i]);
  }
  return out;
}

const piece = fc.oneof(
  fc.string({ minLength: 0, maxLength: 12 }),
  fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
  fc.constantFrom('\ufeff', '\ud800', '\udfff', '\udc00x', 'a\ud83d', '\ude00b', '😀', 'é€😀', '\u007f\u0080\u07ff\u0800\uffff', 'x'.repeat(40)),
);

describe('TextDoc.toString', () => {
  it('gives back every code point typed, surrogates and a byte order mark included, whatever the chunk size', () => {
    const seed = Number(process.env.READ_SEED ?? 0x7e4d) >>> 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), piece), { minLength: 1, maxLength: 25 }), fc.array(fc.tuple(fc.nat(), fc.nat(4))), fc.constantFrom(64, 72, 100, 4096),
        (inserts, deletes, ioBytes) => {
          const doc = new TextDoc(1, { core: privateCrdtCore({ ioBytes }) });
          const whole = new TextDoc(1); // the default IO buffer, which holds the state
          const model: string[] = [];
          for (const [at, text] of inserts) {
            const pos = at % (model.length + 1);
            doc.insert(pos, text);
            whole.insert(pos, text);
            model.splice(pos, 0, ...codePoints(text));
          }
          for (const [at, count] of deletes) {
            if (model.length === 0) break;
            const pos = at % model.length;
            const n = Math.min(count + 1, model.length - pos);
            doc.delete(pos, n);
            whole.delete(pos, n);
            model.splice(pos, n);
          }
          expect(doc.toString(), `seed ${seed}`).toBe(model.join(''));
          const loaded = TextDoc.fromState(whole.encodeState(), 2);
          expect(loaded.toString(), `seed ${seed}`).toBe(model.join(''));
        }),
      { seed, numRuns: 300 },
    );
  });

  it('keeps a leading byte order mark and a lone surrogate at the very start and end', () => {
    for (const text of ['\ufeffhello', '\ud800', '\udc00abc\ud800', '\ufeff', 'abc\ufeffdef']) {
      const doc = new TextDoc(1);
      doc.insert(0, text);
      expect(doc.toString()).toBe(text);
    }
  });
});
