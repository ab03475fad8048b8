// Differential test: the wasm text CRDT and a plain character-level YjsMod / FugueMax reference
// (tests/reference/crdt-text.ts), fed the same concurrent edits and merges, must show the same
// text on every replica at every step, so the order of concurrent inserts is exactly FugueMax.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextDoc, privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';
import { ReferenceText } from '../reference/crdt-text';

setDefaultCrdtBuild('debug');

type Op =
  | { kind: 'insert'; replica: number; at: number; text: string }
  | { kind: 'delete'; replica: number; at: number; count: number }
  | { kind: 'merge'; replica: number; from: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), replica: fc.nat(2), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', 'c', 'd') }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), replica: fc.nat(2), at: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('merge' as const), replica: fc.nat(2), from: fc.nat(2) }) },
);

describe('text CRDT against the FugueMax reference', () => {
  it('same text on every replica after every op', () => {
    fc.assert(fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 60 }), fc.uniqueArray(fc.nat(20), { minLength: 3, maxLength: 3 }), (ops, ids) => {
      const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 2048 });
      const docs = ids.map((id) => new TextDoc(id, { core, itemsMax: 4096, charsMax: 8192 }));
      const references = ids.map((id) => new ReferenceText(id));
      for (const op of ops) {
        const doc = docs[op.replica], reference = references[op.replica];
        if (op.kind === 'insert') {
          const pos = op.at % (doc.length + 1);
          doc.insert(pos, op.text);
          reference.insert(pos, op.text);
        } else if (op.kind === 'delete') {
          if (doc.length === 0) continue;
          const pos = op.at % doc.length;
          const count = Math.min(op.count, doc.length - pos);
          doc.delete(pos, count);
          reference.delete(pos, count);
        } else if (op.from !== op.replica) {
          doc.applyDelta(docs[op.from].encodeDelta(doc.stateVector()));
          reference.merge(references[op.from]);
        }
        expect(doc.toString()).toBe(reference.toString());
      }
    }), { seed: 31337, numRuns: 200 });
  });
});
