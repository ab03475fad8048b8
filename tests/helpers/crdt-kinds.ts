// The non-text CRDTs behind one interface, so the property and simulation tests run the same
// laws over each: random local ops, a value to compare, and the delta API.
import { LwwMap, OrSet, PNCounter, Workflow, TimeSeries, Graph, type CrdtCore } from '../../src/crdt/index';
import type { Xoshiro128 } from '../reference/xoshiro128';

export interface Replicated {
  encodeState(): Uint8Array;
  stateVector(): Uint8Array;
  encodeDelta(remote: Uint8Array): Uint8Array;
  applyDelta(bytes: Uint8Array): void;
  tryApplyDelta(bytes: Uint8Array): boolean;
  hash(): bigint;
}

export interface Kind<D extends Replicated> {
  name: string;
  create(replicaId: number, core: CrdtCore): D;
  /** One random local op; returns a check that the op took effect locally (or undefined). */
  randomOp(doc: D, random: Xoshiro128): void;
  value(doc: D): unknown;
}

const KEYS = ['a', 'b', 'c', 'd', 'é', 'long key with spaces', '😀'];
const pick = <T>(random: Xoshiro128, items: readonly T[]): T => items[random.below(items.length)];

export const mapKind: Kind<LwwMap> = {
  name: 'LWW-map',
  create: (id, core) => new LwwMap(id, { core, entriesMax: 256, bytesMax: 1 << 16 }),
  randomOp(doc, random) {
    const key = pick(random, KEYS);
    if (random.below(4) === 0) {
      doc.delete(key);
      if (doc.has(key)) throw new Error(`delete of ${key} did not take effect locally`);
    } else {
      const value = `v${random.below(1000)}`;
      doc.set(key, value);
      if (doc.get(key) !== value) throw new Error(`set of ${key} did not take effect locally`);
    }
  },
  value: (doc) => doc.entries(),
};

export const setKind: Kind<OrSet> = {
  name: 'OR-set',
  create: (id, core) => new OrSet(id, { core, entriesMax: 256, recordsMax: 1 << 13, bytesMax: 1 << 16 }),
  randomOp(doc, random) {
    const element = pick(random, KEYS);
    if (random.below(3) === 0) {
      doc.remove(element);
      if (doc.has(element)) throw new Error(`remove of ${element} did not take effect locally`);
    } else {
      doc.add(element);
      if (!doc.has(element)) throw new Error(`add of ${element} did not take effect locally`);
    }
  },
  value: (doc) => doc.values(),
};

export const counterKind: Kind<PNCounter> = {
  name: 'PN-counter',
  create: (id, core) => new PNCounter(id, { core }),
  randomOp(doc, random) {
    const before = doc.value;
    const amount = random.below(100);
    if (random.below(3) === 0) doc.decrement(amount); else doc.increment(amount);
    if (Math.abs(doc.value - before) !== amount) throw new Error('counter op did not take effect locally');
  },
  value: (doc) => doc.value,
};

const STATES = ['pending', 'running', 'succeeded', 'failed'] as const;
export const workflowKind: Kind<Workflow> = {
  name: 'workflow',
  create: (id, core) => new Workflow(id, STATES, { core, entriesMax: 64, bytesMax: 1 << 12 }),
  randomOp(doc, random) {
    const task = pick(random, KEYS);
    const state = pick(random, STATES);
    const before = doc.state(task);
    doc.transition(task, state);
    const after = doc.state(task);
    const order: readonly string[] = STATES;
    const expected = before === undefined || order.indexOf(state) >= order.indexOf(before) ? state : before;
    if (after !== expected) throw new Error(`transition of ${task} to ${state} from ${before} gave ${after}`);
  },
  value: (doc) => doc.tasks(),
};

export const timeSeriesKind: Kind<TimeSeries> = {
  name: 'time series',
  create: (id, core) => new TimeSeries(id, { core, pointsMax: 1 << 12 }),
  randomOp(doc, random) {
    const before = doc.count;
    doc.append(random.below(1000), random.below(2000) - 1000);
    if (doc.count !== before + 1) throw new Error('append did not take effect locally');
  },
  value: (doc) => [doc.count, doc.aggregate(0, 500), doc.aggregate(250, 1000)],
};

export const graphKind: Kind<Graph> = {
  name: 'graph',
  create: (id, core) => new Graph(id, { core, entriesMax: 256, recordsMax: 1 << 13, bytesMax: 1 << 16 }),
  randomOp(doc, random) {
    const a = pick(random, KEYS), b = pick(random, KEYS);
    const action = random.below(6);
    if (action < 2) doc.addVertex(a);
    else if (action < 4) { doc.addEdge(a, b); if (!doc.hasEdge(a, b)) throw new Error('added edge is not visible'); }
    else if (action < 5) { doc.removeVertex(a); if (doc.hasVertex(a)) throw new Error('removed vertex is still there'); }
    else doc.removeEdge(a, b);
  },
  value: (doc) => [doc.vertices(), doc.edges()],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ALL_KINDS: Kind<any>[] = [mapKind, setKind, counterKind, workflowKind, timeSeriesKind, graphKind];
