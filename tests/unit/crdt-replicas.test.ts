// The replica table and delta header every CRDT kind shares (assembly/crdt/replicas.ts) and the
// TypeScript delta plumbing (src/crdt/replica.ts): the same rules, checked on every kind.
import { describe, expect, it } from 'vitest';
import { TextDoc, CrdtError, privateCrdtCore, setDefaultCrdtBuild, type CrdtCore } from '../../src/crdt/index';
import { tryApply } from '../../src/crdt/replica';
import { ALL_KINDS, type Replicated } from '../helpers/crdt-kinds';
import { Xoshiro128 } from '../reference/xoshiro128';

setDefaultCrdtBuild('debug');

type Maker = { name: string; create(id: number, core: CrdtCore): Replicated; op(doc: Replicated, random: Xoshiro128): void };
const makers: Maker[] = [
  { name: 'text', create: (id, core) => new TextDoc(id, { core, itemsMax: 256, charsMax: 1024 }), op: (doc) => (doc as TextDoc).insert(0, 'x') },
  ...ALL_KINDS.map((kind) => ({ name: kind.name as string, create: kind.create, op: kind.randomOp })),
];
// Kinds whose encoding is one core doc with the common replica header (BINARY.md), with its kind byte.
const headerKinds: Record<string, number> = { text: 1, 'LWW-map': 3, 'OR-set': 4, workflow: 5, 'time series': 6 };

const varint = (value: number): number[] => {
  const out: number[] = [];
  do { out.push((value & 0x7f) | (value > 0x7f ? 0x80 : 0)); value = Math.floor(value / 128); } while (value > 0);
  return out;
};
function readVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    let value = 0;
    for (let shift = 0; ; shift += 7) { const byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; if ((byte & 0x80) === 0) break; }
    values.push(value);
  }
  return values;
}
function errorCode(run: () => unknown): number | undefined {
  try { run(); return undefined; } catch (error) { if (error instanceof CrdtError) return error.code; throw error; }
}

describe.each(makers.map((maker) => [maker.name, maker] as const))('%s: replica table and header', (name, maker) => {
  const withOps = (id: number, core: CrdtCore, ops: number) => {
    const doc = maker.create(id, core);
    const random = new Xoshiro128(id);
    for (let i = 0; i < ops; i++) maker.op(doc, random);
    return doc;
  };

  it('the state vector lists the replicas with operations, in the order they were first heard of', () => {
    if (name === 'graph') return; // two OR-set state vectors, packed (src/crdt/graph.ts)
    const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 1024 });
    const a = withOps(5, core, 6), b = withOps(9, core, 6);
    expect(readVarints(a.stateVector())).toEqual([1, 5, readVarints(a.stateVector())[2]]);
    a.applyDelta(b.encodeDelta(a.stateVector()));
    const sv = readVarints(a.stateVector());
    expect(sv[0]).toBe(2);
    expect([sv[1], sv[3]]).toEqual([5, 9]); // slot order: local first, then as heard of
    expect(sv[2]).toBeGreaterThan(0);
    expect(sv[4]).toBeGreaterThan(0);
    const empty = maker.create(11, core);
    expect(Array.from(empty.stateVector())).toEqual([0]);
  });

  it('a remote state vector claiming more than we have gets nothing; one that knows nothing gets the state', () => {
    if (name === 'graph') return;
    const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 1024 });
    const a = withOps(5, core, 3);
    const fresh = maker.create(6, core);
    expect(Array.from(a.encodeDelta(Uint8Array.of(0)))).toEqual(Array.from(a.encodeState()));
    // claims 10^6 operations of replica 5, and some of a replica nobody knows
    const ahead = Uint8Array.from([2, ...varint(5), ...varint(1_000_000), ...varint(77), ...varint(3)]);
    const delta = a.encodeDelta(ahead);
    expect(delta.length).toBeLessThan(a.encodeState().length);
    if (name !== 'PN-counter') {
      // the delta names replica 5 from its nextSeq on: a doc that has none of it is not ready
      expect(tryApply(() => fresh.applyDelta(delta))).toBe(false);
    }
    fresh.applyDelta(a.encodeDelta(fresh.stateVector()));
    expect(fresh.hash()).toBe(a.hash());
  });

  it('refuses a state vector listing more entries than STATE_VECTOR_ENTRIES_MAX, and a truncated one', () => {
    const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 1024 });
    const a = withOps(5, core, 2);
    if (name === 'graph') return; // the graph unpacks first: its own errors
    expect(errorCode(() => a.encodeDelta(Uint8Array.from(varint((1 << 20) + 1))))).toBe(-7);
    expect(errorCode(() => a.encodeDelta(Uint8Array.from([2, 5])))).toBe(-7);
  });

  it('refuses a header of more replicas than CRDT_REPLICAS_MAX, one with from > to, and one it is not ready for', () => {
    const kind = headerKinds[name];
    if (kind === undefined) return;
    const core = privateCrdtCore({ ioBytes: 1 << 16, recordsMax: 1024 });
    const doc = maker.create(1, core);
    const header = (...entries: number[][]) => Uint8Array.from([1, kind, ...varint(entries.length), ...entries.flat().flatMap(varint)]);
    const tooMany = Array.from({ length: 65 }, (_, i) => [100 + i, 0, 0]);
    expect(errorCode(() => doc.applyDelta(header(...tooMany)))).toBe(-5);
    expect(errorCode(() => doc.applyDelta(header([2, 3, 1])))).toBe(-7);
    expect(errorCode(() => doc.applyDelta(header([2, 1, 4])))).toBe(-8);
    // version 2 is a deflated text state, 3 a text state with collected chars (text only)
    expect(errorCode(() => doc.applyDelta(Uint8Array.from([kind === 1 ? 4 : 3, kind, 0])))).toBe(-14);
    if (kind !== 1) expect(errorCode(() => doc.applyDelta(Uint8Array.from([3, kind, 0])))).toBe(-14);
    expect(errorCode(() => doc.applyDelta(Uint8Array.from([1, kind === 1 ? 3 : 1, 0])))).toBe(-11);
  });
});

describe('tryApply (src/crdt/replica.ts)', () => {
  it('returns false only for a not-ready delta; other errors pass through', () => {
    expect(tryApply(() => { throw new CrdtError(-8, 'test'); })).toBe(false);
    expect(tryApply(() => undefined)).toBe(true);
    expect(() => tryApply(() => { throw new CrdtError(-7, 'test'); })).toThrow(CrdtError);
    expect(() => tryApply(() => { throw new RangeError('test'); })).toThrow(RangeError);
  });

  it('a TextDoc re-reads its length after a refused merge too', () => {
    const a = new TextDoc(1), b = new TextDoc(2);
    a.insert(0, 'hello');
    const first = a.encodeDelta(b.stateVector());
    const sv = a.stateVector();
    a.insert(5, ' world');
    const second = a.encodeDelta(sv);
    expect(b.tryApplyDelta(second)).toBe(false);
    expect(b.length).toBe(0);
    b.applyDelta(first);
    expect(b.length).toBe(5);
    expect(b.tryApplyDelta(second)).toBe(true);
    expect(b.toString()).toBe('hello world');
  });
});
