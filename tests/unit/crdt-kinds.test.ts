import { describe, expect, it } from 'vitest';
import {
  LwwMap, LwwRegister, OrSet, PNCounter, GCounter, Workflow, TimeSeries, Graph, CrdtError, setDefaultCrdtBuild,
} from '../../src/crdt/index';

setDefaultCrdtBuild('debug');

interface Syncable { encodeDelta(v: Uint8Array): Uint8Array; stateVector(): Uint8Array; applyDelta(b: Uint8Array): void }
function sync(a: Syncable, b: Syncable): void {
  const toB = a.encodeDelta(b.stateVector());
  const toA = b.encodeDelta(a.stateVector());
  b.applyDelta(toB);
  a.applyDelta(toA);
}

describe('LWW-map and register', () => {
  it('the later write wins; concurrent writes at the same time go to the higher replica id', () => {
    const a = new LwwMap(1), b = new LwwMap(2);
    a.set('k', 'from a');
    b.set('k', 'from b'); // concurrent, same Lamport time: replica 2 wins
    sync(a, b);
    expect(a.get('k')).toBe('from b');
    a.set('k', 'later'); // a has seen b's write: its clock is past it
    sync(a, b);
    expect(b.get('k')).toBe('later');
    expect(a.hash()).toBe(b.hash());
  });

  it('delete is a write: a later delete removes, a concurrent later set survives', () => {
    const a = new LwwMap(1), b = new LwwMap(2);
    a.set('x', '1');
    sync(a, b);
    a.delete('x');
    sync(a, b);
    expect(b.has('x')).toBe(false);
    expect(b.size).toBe(0);
    b.set('x', 'again');
    sync(a, b);
    expect(a.entries()).toEqual([['x', 'again']]);
  });

  it('overwriting with values of any size keeps the latest, and a full arena is an error', () => {
    const map = new LwwMap(1, { entriesMax: 4, bytesMax: 64 });
    map.set('k', 'short');
    map.set('k', 'a much longer value');
    map.set('k', 'tiny');
    expect(map.get('k')).toBe('tiny');
    expect(() => { map.set('other', 'x'.repeat(100)); map.flush(); }).toThrow(CrdtError);
  });

  it('LwwRegister holds one value', () => {
    const a = new LwwRegister(1), b = new LwwRegister(2);
    a.set('one');
    sync(a.map, b.map);
    expect(b.get()).toBe('one');
  });
});

describe('OR-set', () => {
  it('add wins over a concurrent remove; a remove of what was seen removes', () => {
    const a = new OrSet(1), b = new OrSet(2);
    a.add('x'); a.add('y');
    sync(a, b);
    b.remove('x');
    a.add('x'); // concurrent re-add: survives
    b.remove('y');
    sync(a, b);
    expect(a.values()).toEqual(['x']);
    expect(b.values()).toEqual(['x']);
    expect(a.has('y')).toBe(false);
  });

  it('fromState round-trips, with unicode elements', () => {
    const a = new OrSet(9);
    for (const element of ['é', '😀', 'plain']) a.add(element);
    a.remove('plain');
    const b = OrSet.fromState(a.encodeState(), 10);
    expect(b.values()).toEqual(a.values());
    expect(b.hash()).toBe(a.hash());
  });
});

describe('counters', () => {
  it('PN-counter sums every replica; merges are idempotent', () => {
    const a = new PNCounter(1), b = new PNCounter(2);
    a.increment(10); b.decrement(3); b.increment(1);
    sync(a, b);
    sync(a, b);
    expect(a.value).toBe(8);
    expect(b.value).toBe(8);
    b.applyDelta(a.encodeState());
    expect(b.value).toBe(8);
  });

  it('G-counter refuses decrements', () => {
    const g = new GCounter(1);
    g.increment(2);
    expect(() => g.decrement()).toThrow(/cannot be decremented/);
    expect(g.value).toBe(2);
    expect(GCounter.fromState(g.encodeState(), 2).value).toBe(2);
    const pn = new PNCounter(3);
    pn.decrement(1);
    expect(() => GCounter.fromState(pn.encodeState(), 4)).toThrow(/has decrements/);
  });
});

describe('workflow', () => {
  const STATES = ['pending', 'running', 'succeeded', 'failed'];
  it('concurrent transitions resolve to the later state; going back has no effect', () => {
    const a = new Workflow(1, STATES), b = new Workflow(2, STATES);
    a.transition('build', 'pending');
    sync(a, b);
    a.transition('build', 'succeeded');
    b.transition('build', 'running');
    sync(a, b);
    expect(a.state('build')).toBe('succeeded');
    expect(b.state('build')).toBe('succeeded');
    b.transition('build', 'pending');
    expect(b.state('build')).toBe('succeeded');
    expect(() => b.transition('build', 'nope')).toThrow(/unknown workflow state/);
    expect(a.tasks()).toEqual([['build', 'succeeded']]);
  });
});

describe('time series', () => {
  it('merges every replica\'s points; windowed aggregates agree', () => {
    const a = new TimeSeries(1), b = new TimeSeries(2);
    a.append(10, 5); a.append(20, -7);
    b.append(15, 100); b.append(30, 1);
    sync(a, b);
    expect(a.count).toBe(4);
    expect(a.aggregate(0, 25)).toEqual({ count: 3, sum: 98, min: -7, max: 100 });
    expect(b.aggregate(0, 25)).toEqual(a.aggregate(0, 25));
    expect(a.aggregate(100, 200)).toEqual({ count: 0, sum: 0, min: 0, max: 0 });
    expect(a.hash()).toBe(b.hash());
  });
});

describe('graph', () => {
  it('edges to removed vertices are hidden; add-wins on vertices', () => {
    const a = new Graph(1), b = new Graph(2);
    a.addEdge('x', 'y');
    a.addEdge('y', 'z');
    sync(a, b);
    b.removeVertex('y');
    sync(a, b);
    expect(a.vertices()).toEqual(['x', 'z']);
    expect(a.edges()).toEqual([]);
    expect(a.hasEdge('x', 'y')).toBe(false);
    a.addVertex('y'); // back: its edges are visible again
    sync(a, b);
    expect(b.edges()).toEqual([['x', 'y'], ['y', 'z']]);
    expect(a.hash()).toBe(b.hash());
  });
});
