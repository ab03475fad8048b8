// The spec's `shared` objects on the CRDT core: one replica per node of each object, all in the
// kernel's core (so snapshots and stateHash cover them). Replica ids are node indices.
import type { Core } from '../../core/core';
import { CrdtCore, CrdtError, LwwMap, OrSet, PNCounter, TextDoc } from '../../crdt/index';
import type { CrdtOp } from '../../spec/types';
import type { KernelContext } from '../context';
import type { SharedPort } from './ports';

/** Capacities of one replica (a full replica turns an operation into a limit event). */
export const SHARED_TEXT_ITEMS_MAX = 1 << 14;
export const SHARED_TEXT_CHARS_MAX = 1 << 17;
export const SHARED_KEYS_MAX = 1 << 12;
export const SHARED_KEY_BYTES_MAX = 1 << 18;
const IO_BYTES = 1 << 20;
const RECORDS_MAX = 1 << 14;

/** apply() result when the replica is full: the operation did not happen. */
export const SHARED_FULL = -1;

type Replica = PNCounter | OrSet | LwwMap | TextDoc;

export interface SharedObjects extends SharedPort {
  /** Observable value of a replica, for views and tests. */
  value(object: number, node: number): number | string | string[] | [string, string][];
  replicaHash(object: number, node: number): bigint;
  /** A replica's value as one integer: a counter's value, a set's or map's size, a text's length. */
  measure(object: number, node: number): number;
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
          case 'or-set': row.push(new OrSet(node, { core: crdt, entriesMax: SHARED_KEYS_MAX, bytesMax: SHARED_KEY_BYTES_MAX })); break;
          case 'lww-map': row.push(new LwwMap(node, { core: crdt, entriesMax: SHARED_KEYS_MAX, bytesMax: SHARED_KEY_BYTES_MAX })); break;
          case 'text': row.push(new TextDoc(node, { core: crdt, itemsMax: SHARED_TEXT_ITEMS_MAX, charsMax: SHARED_TEXT_CHARS_MAX })); break;
        }
      }
      replicas.push(row);
    }
  }

  const fill = (text: string, node: number, pid: number, state: { agent: string; replica: number }) =>
    text.replace(/\{(agent|replica|node|pid)\}/g, (_, name: string) =>
      name === 'agent' ? state.agent : name === 'replica' ? String(state.replica) : name === 'node' ? `n${node}` : String(pid));

  function applyOp(replica: Replica, op: CrdtOp, substitute: (text: string) => string): number {
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
    }
  }

  return {
    apply(node, object, opIndex, pid, who) {
      const { op } = compiled.crdtOps[opIndex];
      try {
        return applyOp(replicas[object][node], op, (text) => fill(text, node, pid, who));
      } catch (error) {
        if (error instanceof CrdtError) return SHARED_FULL;
        throw error;
      }
    },
    merge(object, from, to) {
      const source = replicas[object][from], target = replicas[object][to];
      target.applyDelta(source.encodeDelta(target.stateVector()));
      if (target instanceof TextDoc) target.refresh();
    },
    value(object, node) {
      const replica = replicas[object][node];
      if (replica instanceof PNCounter) return replica.value;
      if (replica instanceof OrSet) return replica.values().sort();
      if (replica instanceof LwwMap) return replica.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return replica.toString();
    },
    replicaHash: (object, node) => replicas[object][node].hash(),
    measure(object, node) {
      const replica = replicas[object][node];
      if (replica instanceof PNCounter) return replica.value;
      if (replica instanceof TextDoc) return replica.length;
      return replica.size;
    },
    restored() {
      for (const row of replicas) for (const replica of row) if ('refresh' in replica) (replica as TextDoc | OrSet | LwwMap).refresh();
    },
  };
}

function clamp(value: number): number {
  return Math.max(-0x80000000, Math.min(0x7fffffff, value));
}
