// The spec's `shared` objects on the CRDT core: one replica per node of each object, all in the
// kernel's core (so snapshots and stateHash cover them). Replica ids are node indices.
import type { Core } from '../../core/core';
import { CrdtCore, CrdtError, collectTombstones, GCounter, Graph, LwwMap, LwwRegister, OrSet, PNCounter, TextDoc, TimeSeries, Workflow } from '../../crdt/index';
import type { CrdtOp } from '../../spec/types';
import type { KernelContext } from '../context';
import type { SharedPort } from './ports';

/** Capacities of one replica (a full replica turns an operation into a limit event). */
export const SHARED_TEXT_ITEMS_MAX = 1 << 14;
export const SHARED_TEXT_CHARS_MAX = 1 << 17;
export const SHARED_KEYS_MAX = 1 << 12;
export const SHARED_KEY_BYTES_MAX = 1 << 18;
export const SHARED_SERIES_POINTS_MAX = 1 << 14;
export const SHARED_REGISTER_BYTES_MAX = 1 << 16;
const IO_BYTES = 1 << 20;
const RECORDS_MAX = 1 << 14;

/** apply() result when the replica is full: the operation did not happen. */
export const SHARED_FULL = -1;

type Replica = PNCounter | GCounter | OrSet | LwwMap | LwwRegister | TextDoc | TimeSeries | Graph | Workflow;

/** A replica's observable value: a counter's value, a set's elements, a map's or workflow's
 * [key, value] entries (sorted), a text, a register's value (null: never set), a time series'
 * point count, sum, min and max, a graph's vertices and visible edges. */
export type SharedValue =
  | number | string | null | string[] | [string, string][]
  | { readonly count: number; readonly sum: number; readonly min: number; readonly max: number }
  | { readonly vertices: string[]; readonly edges: [string, string][] };

export interface SharedObjects extends SharedPort {
  /** Observable value of a replica, for views and tests. */
  value(object: number, node: number): SharedValue;
  /** The integer an expression sees for `shared.<object>.<node>` (design.md): a counter's value, a
   * set's, map's or workflow's size, a text's length, a register's value as an integer (0 when not
   * an integer or unset), a series' point count, a graph's vertex count. */
  numeric(object: number, node: number): number;
  replicaHash(object: number, node: number): bigint;
  /** Counts the operations and merges applied to an object's replicas: its values (numeric,
   * replicaHash) can differ only after it moved (or after a restore of the core's memory). */
  version(object: number): number;
  /** A text replica's memory in use: live items (runs), code points in its arena, deleted
   * code points still held (tombstones); null for other types. For tests and views. */
  footprint(object: number, node: number): { items: number; chars: number; tombstones: number } | null;
  /** After the core's memory was restored: drop what the TypeScript side caches. */
  restored(): void;
}

export function createSharedObjects(core: Core, ctx: KernelContext): SharedObjects {
  const { spec, compiled } = ctx;
  const replicas: Replica[][] = [];
  if (spec.shared.length > 0) {
    const crdt = new CrdtCore(core.exports, { ioBytes: IO_BYTES, recordsMax: RECORDS_MAX });
    for (const object of spec.shared) {
      const row: Replica[] = [];
      for (let node = 0; node < spec.cluster.nodeCount; node++) {
        switch (object.type) {
          case 'pn-counter': row.push(new PNCounter(node, { core: crdt })); break;
          case 'g-counter': row.push(new GCounter(node, { core: crdt })); break;
          case 'or-set': row.push(new OrSet(node, { core: crdt, entriesMax: SHARED_KEYS_MAX, bytesMax: SHARED_KEY_BYTES_MAX })); break;
          case 'lww-map': row.push(new LwwMap(node, { core: crdt, entriesMax: SHARED_KEYS_MAX, bytesMax: SHARED_KEY_BYTES_MAX })); break;
          case 'lww-register': row.push(new LwwRegister(node, { core: crdt, entriesMax: 4, bytesMax: SHARED_REGISTER_BYTES_MAX })); break;
          case 'text': row.push(new TextDoc(node, { core: crdt, itemsMax: SHARED_TEXT_ITEMS_MAX, charsMax: SHARED_TEXT_CHARS_MAX })); break;
          case 'time-series': row.push(new TimeSeries(node, { core: crdt, pointsMax: SHARED_SERIES_POINTS_MAX })); break;
          case 'graph': row.push(new Graph(node, { core: crdt, entriesMax: SHARED_KEYS_MAX, bytesMax: SHARED_KEY_BYTES_MAX })); break;
          case 'workflow': row.push(new Workflow(node, object.states, { core: crdt, entriesMax: SHARED_KEYS_MAX, bytesMax: SHARED_KEY_BYTES_MAX })); break;
        }
      }
      replicas.push(row);
    }
  }

  const fill = (text: string, node: number, pid: number, state: { agent: string; replica: number }) =>
    text.replace(/\{(agent|replica|node|pid)\}/g, (_, name: string) =>
      name === 'agent' ? state.agent : name === 'replica' ? String(state.replica) : name === 'node' ? `n${node}` : String(pid));

  function applyOp(replica: Replica, op: CrdtOp, substitute: (text: string) => string, tick: number): number {
    switch (op.name) {
      case 'counter/inc': (replica as PNCounter).increment(op.amount); return clamp((replica as PNCounter).value);
      case 'counter/dec': (replica as PNCounter).decrement(op.amount); return clamp((replica as PNCounter).value);
      case 'set/add': (replica as OrSet).add(substitute(op.element)); return (replica as OrSet).size;
      case 'set/remove': (replica as OrSet).remove(substitute(op.element)); return (replica as OrSet).size;
      case 'map/set': (replica as LwwMap).set(substitute(op.key), substitute(op.value)); return (replica as LwwMap).size;
      case 'map/delete': (replica as LwwMap).delete(substitute(op.key)); return (replica as LwwMap).size;
      case 'text/insert': {
        const doc = replica as TextDoc;
        const at = op.at === 'end' ? doc.length : Math.min(op.at, doc.length);
        doc.insert(at, substitute(op.text));
        doc.flush();
        return doc.length;
      }
      case 'text/delete': {
        const doc = replica as TextDoc;
        const at = Math.min(op.at, doc.length);
        doc.delete(at, Math.min(op.count, doc.length - at));
        doc.flush();
        return doc.length;
      }
      case 'register/set': {
        const value = substitute(op.value);
        (replica as LwwRegister).set(value);
        (replica as LwwRegister).map.flush();
        return registerInteger(value);
      }
      case 'series/append': {
        const series = replica as TimeSeries;
        series.append(tick, op.value);
        return series.count;
      }
      case 'graph/addVertex': (replica as Graph).addVertex(substitute(op.vertex)); return graphSize(replica as Graph);
      case 'graph/removeVertex': (replica as Graph).removeVertex(substitute(op.vertex)); return graphSize(replica as Graph);
      case 'graph/addEdge': (replica as Graph).addEdge(substitute(op.from), substitute(op.to)); return graphSize(replica as Graph);
      case 'graph/removeEdge': (replica as Graph).removeEdge(substitute(op.from), substitute(op.to)); return graphSize(replica as Graph);
      case 'workflow/transition': {
        const workflow = replica as Workflow;
        workflow.transition(substitute(op.task), workflow.states[op.state]);
        return workflow.size;
      }
    }
  }

  const versions = new Float64Array(spec.shared.length);
  return {
    apply(node, object, opIndex, pid, who, tick) {
      const { op } = compiled.crdtOps[opIndex];
      versions[object]++;
      try {
        return applyOp(replicas[object][node], op, (text) => fill(text, node, pid, who), tick);
      } catch (error) {
        if (error instanceof CrdtError) return SHARED_FULL;
        throw error;
      }
    },
    merge(object, from, to) {
      versions[object]++;
      const source = replicas[object][from], target = replicas[object][to];
      target.applyDelta(source.encodeDelta(target.stateVector()));
      if (target instanceof TextDoc) {
        target.refresh();
        // when this merge left every replica with the same state, their tombstones go (all at
        // once: no replica can name a collected char afterwards); values do not change
        collectTombstones(replicas[object] as TextDoc[]);
      }
    },
    footprint(object, node) {
      const replica = replicas[object][node];
      if (!(replica instanceof TextDoc)) return null;
      return { items: replica.itemCount(), chars: replica.charsUsed(), tombstones: replica.tombstones().count };
    },
    value(object, node) {
      const replica = replicas[object][node];
      if (replica instanceof PNCounter) return replica.value; // and GCounter
      if (replica instanceof OrSet) return replica.values().sort(byText);
      if (replica instanceof LwwMap) return replica.entries().sort(byKey);
      if (replica instanceof Workflow) return replica.tasks().sort(byKey);
      if (replica instanceof LwwRegister) return replica.get() ?? null;
      if (replica instanceof TimeSeries) return replica.aggregate(0, Number.MAX_SAFE_INTEGER);
      if (replica instanceof Graph) return { vertices: replica.vertices().sort(byText), edges: replica.edges().sort(byKey) };
      return replica.toString();
    },
    numeric(object, node) {
      const replica = replicas[object][node];
      if (replica instanceof PNCounter) return clamp(replica.value);
      if (replica instanceof OrSet || replica instanceof LwwMap || replica instanceof Workflow) return replica.size;
      if (replica instanceof LwwRegister) return registerInteger(replica.get() ?? '');
      if (replica instanceof TimeSeries) return replica.count;
      if (replica instanceof Graph) return graphSize(replica);
      return replica.length;
    },
    replicaHash: (object, node) => replicas[object][node].hash(),
    version: (object) => versions[object],
    restored() {
      for (let object = 0; object < versions.length; object++) versions[object]++;
      for (const row of replicas) {
        for (const replica of row) {
          if (replica instanceof LwwRegister) replica.map.refresh();
          else if (replica instanceof Graph) { replica.vertexSet.refresh(); replica.edgeSet.refresh(); }
          else if ('refresh' in replica) replica.refresh();
        }
      }
    },
  };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = ([a, x]: [string, string], [b, y]: [string, string]) => byText(a, b) || byText(x, y);

/** A register's value as an integer when it is one (within i32), else 0. */
function registerInteger(value: string): number {
  if (!/^-?\d{1,10}$/.test(value)) return 0;
  return clamp(Number(value));
}

function graphSize(graph: Graph): number {
  return graph.vertexSet.size;
}

function clamp(value: number): number {
  return Math.max(-0x80000000, Math.min(0x7fffffff, value));
}
