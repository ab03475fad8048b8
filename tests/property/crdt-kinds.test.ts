// Merge laws for every non-text CRDT (LWW-map, OR-set, PN-counter, workflow, time series,
// graph), with fast-check: merge is commutative, associative and idempotent; decode(encode(x))
// = x; deltas applied in any order, with duplicates, converge to the merge of the full states.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { privateCrdtCore, setDefaultCrdtBuild, type CrdtCore } from '../../src/crdt/index';
import { ALL_KINDS, type Kind, type Replicated } from '../helpers/crdt-kinds';
import { Xoshiro128 } from '../reference/xoshiro128';

setDefaultCrdtBuild('debug');
const SEED = 777;
const RUNS = 40;

type Step = { replica: number; sync: boolean; from: number; seed: number };
const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  replica: fc.nat(2), sync: fc.boolean(), from: fc.nat(2), seed: fc.nat(),
});
const historyArbitrary = fc.record({
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 30 }),
  ids: fc.uniqueArray(fc.nat(50), { minLength: 3, maxLength: 3 }),
});

function play<D extends Replicated>(kind: Kind<D>, steps: Step[], ids: number[]) {
  const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 64 });
  const docs = ids.map((id) => kind.create(id, core));
  const lastVector: Uint8Array[] = docs.map((doc) => doc.stateVector());
  const deltas: Uint8Array[] = [];
  for (const step of steps) {
    const doc = docs[step.replica];
    if (step.sync && step.from !== step.replica) doc.applyDelta(docs[step.from].encodeDelta(doc.stateVector()));
    else kind.randomOp(doc, new Xoshiro128(step.seed));
    deltas.push(doc.encodeDelta(lastVector[step.replica]));
    lastVector[step.replica] = doc.stateVector();
  }
  return { core, docs, deltas };
}

function merged<D extends Replicated>(kind: Kind<D>, core: CrdtCore, states: Uint8Array[]): D {
  const doc = kind.create(1000, core);
  for (const state of states) doc.applyDelta(state);
  return doc;
}

function same<D extends Replicated>(kind: Kind<D>, a: D, b: D): void {
  expect(kind.value(a)).toEqual(kind.value(b));
  expect(a.hash()).toBe(b.hash());
}

describe.each(ALL_KINDS.map((kind) => [kind.name, kind] as const))('%s merge laws (fast-check)', (_, kind) => {
  it('merge is commutative, associative and idempotent', () => {
    fc.assert(fc.property(historyArbitrary, ({ steps, ids }) => {
      const { core, docs } = play(kind, steps, ids);
      const [a, b, c] = docs.map((doc) => doc.encodeState());
      same(kind, merged(kind, core, [a, b]), merged(kind, core, [b, a]));
      const ab = merged(kind, core, [a, b]).encodeState();
      const bc = merged(kind, core, [b, c]).encodeState();
      same(kind, merged(kind, core, [ab, c]), merged(kind, core, [a, bc]));
      same(kind, merged(kind, core, [a, a, a]), merged(kind, core, [a]));
    }), { seed: SEED, numRuns: RUNS });
  });

  it('decode(encode(x)) = x', () => {
    fc.assert(fc.property(historyArbitrary, ({ steps, ids }) => {
      const { core, docs } = play(kind, steps, ids);
      for (const doc of docs) same(kind, merged(kind, core, [doc.encodeState()]), doc);
    }), { seed: SEED + 1, numRuns: RUNS });
  });

  it('deltas in any order, with duplicates, converge to the merge of the full states', () => {
    fc.assert(fc.property(historyArbitrary, fc.array(fc.nat(), { minLength: 1, maxLength: 100 }), ({ steps, ids }, shuffle) => {
      const { core, docs, deltas } = play(kind, steps, ids);
      const expected = merged(kind, core, docs.map((doc) => doc.encodeState()));
      const queue = [...deltas, ...deltas.filter((_, i) => shuffle[i % shuffle.length] % 3 === 0)];
      for (let i = queue.length - 1; i > 0; i--) {
        const j = shuffle[i % shuffle.length] % (i + 1);
        [queue[i], queue[j]] = [queue[j], queue[i]];
      }
      const target = kind.create(999, core);
      let waiting = queue;
      for (let round = 0; round < queue.length + 1 && waiting.length > 0; round++) {
        waiting = waiting.filter((delta) => !target.tryApplyDelta(delta));
      }
      expect(waiting.length).toBe(0);
      same(kind, target, expected);
    }), { seed: SEED + 2, numRuns: RUNS });
  });
});
