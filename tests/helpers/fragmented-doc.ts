// A text doc of many short runs and tombstones (a seeded edit loop: a third deletes, the rest
// insert `piece(rng)` at a random place): states larger than a private core's start IO buffer and
// scratch, for the CRDT load and growth tests.
import { TextDoc, type TextDocOptions } from '../../src/crdt/index';
import { Xoshiro128 } from '../reference/xoshiro128';

export function fragmentedDoc(seed: number, edits: number, options: TextDocOptions, piece: (rng: Xoshiro128) => string): TextDoc {
  const rng = new Xoshiro128(seed);
  const doc = new TextDoc(1, options);
  for (let i = 0; i < edits; i++) {
    const length = doc.length;
    if (length > 10 && rng.below(3) === 0) doc.delete(rng.below(length - 5), 1 + rng.below(4));
    else {
      const at = rng.below(length + 1);
      doc.insert(at, piece(rng));
    }
  }
  return doc;
}
