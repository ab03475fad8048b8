// Merge laws of the text CRDT, checked with fast-check on random concurrent histories:
// merge is commutative, associative and idempotent; decode(encode(x)) = x; deltas applied in
// any order, with duplicates, converge to the merge of the full states.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextDoc, privateCrdtCore, setDefaultCrdtBuild, type CrdtCore } from '../../src/crdt/index';

setDefaultCrdtBuild('debug');
const SEED = 4242;
const RUNS = 60;
const DOC_OPTIONS = { itemsMax: 4096, charsMax: 8192 };

type Op =
  | { kind: 'insert'; replica: number; at: number; text: string }
  | { kind: 'delete'; replica: number; at: number; count: number }
  | { kind: 'sync'; replica: number; from: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), replica: fc.nat(2), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', 'c', 'é', '😀', ' ') }) }),
  fc.record({ kind: fc.constant('delete' as const), replica: fc.nat(2), at: fc.double({ min: 0, max: 1, noNaN: true }), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('sync' as const), replica: fc.nat(2), from: fc.nat(2) }),
);

interface History { docs: TextDoc[]; deltas: Uint8Array[]; core: CrdtCore }

/** Runs ops on three replicas; records each replica's deltas as a chain (each builds on the last). */
function play(ops: Op[], ids: number[]): History {
  const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 4096 });
  const docs = ids.map((id) => new TextDoc(id, { core, ...DOC_OPTIONS }));
  const lastVector: Uint8Array[] = docs.map(() => new Uint8Array([0]));
  const deltas: Uint8Array[] = [];
  for (const op of ops) {
    const doc = docs[op.replica];
    if (op.kind === 'insert') {
      doc.insert(Math.min(doc.length, Math.floor(op.at * (doc.length + 1))), op.text);
    } else if (op.kind === 'delete') {
      if (doc.length === 0) continue;
      const pos = Math.min(doc.length - 1, Math.floor(op.at * doc.length));
      doc.delete(pos, Math.min(op.count, doc.length - pos));
    } else if (op.from !== op.replica) {
      doc.applyDelta(docs[op.from].encodeDelta(doc.stateVector()));
    }
    doc.checkIndex();
    deltas.push(doc.encodeDelta(lastVector[op.replica]));
    lastVector[op.replica] = doc.stateVector();
  }
  return { docs, deltas, core };
}

function merged(core: CrdtCore, states: Uint8Array[]): TextDoc {
  const doc = new TextDoc(1000, { core, ...DOC_OPTIONS });
  for (const state of states) doc.applyDelta(state);
  return doc;
}

function same(a: TextDoc, b: TextDoc): void {
  expect(a.toString()).toBe(b.toString());
  expect(a.hash()).toBe(b.hash());
  expect(Array.from(a.stateVector()).sort()).toEqual(Array.from(b.stateVector()).sort());
}

const historyArbitrary = fc.record({
  ops: fc.array(opArbitrary, { minLength: 1, maxLength: 40 }),
  ids: fc.uniqueArray(fc.nat(50), { minLength: 3, maxLength: 3 }),
});

describe('text CRDT merge laws (fast-check)', () => {
  it('merge is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ ops, ids }) => {
        const { docs, core } = play(ops, ids);
        const [a, b, c] = docs.map((doc) => doc.encodeState());
        same(merged(core, [a, b]), merged(core, [b, a]));
        const ab = merged(core, [a, b]).encodeState();
        const bc = merged(core, [b, c]).encodeState();
        same(merged(core, [ab, c]), merged(core, [a, bc]));
        same(merged(core, [a, a, a]), merged(core, [a]));
        same(merged(core, [a]), docs[0]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('decode(encode(x)) = x, and encoding a decoded state is a fixed point', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ ops, ids }) => {
        const { docs, core } = play(ops, ids);
        for (const doc of docs) {
          const decoded = TextDoc.fromState(doc.encodeState(), doc.replicaId, { core, ...DOC_OPTIONS });
          same(decoded, doc);
          const once = decoded.encodeState();
          const twice = TextDoc.fromState(once, 77, { core, ...DOC_OPTIONS }).encodeState();
          expect(Array.from(twice)).toEqual(Array.from(once));
        }
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('deltas in any order, with duplicates, converge to the merge of the full states', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), ({ ops, ids }, shuffle) => {
        const { docs, deltas, core } = play(ops, ids);
        const expected = merged(core, docs.map((doc) => doc.encodeState()));
        // shuffled, with some deltas twice
        const queue = [...deltas, ...deltas.filter((_, i) => shuffle[i % shuffle.length] % 3 === 0)];
        for (let i = queue.length - 1; i > 0; i--) {
          const j = shuffle[i % shuffle.length] % (i + 1);
          [queue[i], queue[j]] = [queue[j], queue[i]];
        }
        const target = new TextDoc(999, { core, ...DOC_OPTIONS });
        let waiting = queue;
        for (let round = 0; round < queue.length + 1 && waiting.length > 0; round++) {
          waiting = waiting.filter((delta) => !target.tryApplyDelta(delta));
        }
        expect(waiting.length).toBe(0);
        same(target, expected);
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });

  it('each writer sends takeChanges() after its edits; delivered whenever ready, every replica converges', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ ops, ids }) => {
        const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 4096 });
        const docs = ids.map((id) => new TextDoc(id, { core, ...DOC_OPTIONS }));
        const inbox: Uint8Array[][] = docs.map(() => []);
        const drain = (r: number) => {
          for (let round = 0; round <= inbox[r].length && inbox[r].length > 0; round++) {
            inbox[r] = inbox[r].filter((delta) => !docs[r].tryApplyDelta(delta));
          }
        };
        const send = (r: number) => {
          const delta = docs[r].takeChanges();
          docs.forEach((_, other) => { if (other !== r) inbox[other].push(delta); });
        };
        for (const op of ops) {
          const doc = docs[op.replica];
          if (op.kind === 'insert') {
            doc.insert(Math.min(doc.length, Math.floor(op.at * (doc.length + 1))), op.text);
          } else if (op.kind === 'delete') {
            if (doc.length === 0) continue;
            const pos = Math.min(doc.length - 1, Math.floor(op.at * doc.length));
            doc.delete(pos, Math.min(op.count, doc.length - pos));
          } else {
            // 'sync' here: the writer sends its changes, the other one takes in what is ready
            send(op.replica);
            drain(op.from);
          }
        }
        docs.forEach((_, r) => send(r));
        docs.forEach((_, r) => drain(r));
        docs.forEach((_, r) => expect(inbox[r].length).toBe(0));
        for (const doc of docs) doc.checkIndex();
        const expected = merged(core, docs.map((doc) => doc.encodeState()));
        for (const doc of docs) same(doc, expected);
      }),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });
});
