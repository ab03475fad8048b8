// The Shared panel's view: every `shared` object's value on every node at the cursor (elements
// paged), which replicas differ, and since which event; and the convergence walk the timeline
// strip marks. Pure functions of a Kernel at its cursor; they never seek or change it.
//
// "Differ since": one forward pass over the journal's crdt and node events keeps, per object,
// what each replica has incorporated (know[n][k]: the seq of the newest op of replica k that
// replica n has merged; a merge carries everything its source knows). Replicas agree when every
// live replica knows the same ops; the pass remembers the last event at which they did, and the
// first op after it is where they began to differ. The values at the cursor (their hashes) are
// the truth for "differ now": ops that cancel out (inc then dec) leave replicas equal.
import type { Kernel } from '../kernel/kernel';
import { EventCode as E } from '../kernel/events';
import type { SharedValue } from '../kernel/syscalls/shared-port';

/** Elements (set members, map entries, tasks, vertices) one replica shows per page. */
export const SHARED_PAGE_ITEMS_MAX = 50;
/** Characters of a text replica the view carries. */
export const SHARED_TEXT_CHARS_VIEW_MAX = 4096;
/** Convergence points one strip carries (the earliest ones). */
export const CONVERGENCE_MARKS_MAX = 1024;

export interface SharedReplicaView {
  node: number;
  up: boolean;
  /** The value in a few words ("42", "3 elements", "128 characters", "unset"). */
  summary: string;
  /** What `shared.<object>.<node>` is in an expression. */
  numeric: number;
  /** This page of the elements (sets, maps, workflows, graphs), a text (cut), or a register's value. */
  items: string[];
  /** Elements in all (for paging); 0 for counters, texts, registers and series. */
  itemCount: number;
  /** Whether this replica's value differs from the most common one among live replicas (ties:
   *  the one the lowest node holds). */
  differs: boolean;
}

export interface SharedObjectView {
  index: number;
  name: string;
  type: string;
  replicas: SharedReplicaView[];
  /** Every live replica holds the same value. */
  converged: boolean;
  /** When live replicas differ: the first op after the last event at which they all agreed. */
  differsSince: number | null;
  /** The first element shown (paging). */
  offset: number;
}

export interface SharedView {
  cursor: number;
  objects: SharedObjectView[];
}

/** The value of every object's replicas at the cursor; `offsets[i]` pages object i's elements. */
export function sharedView(kernel: Kernel, offsets: readonly number[] = []): SharedView {
  const spec = kernel.spec;
  const shared = kernel.machine.machineCore.shared();
  const state = kernel.machine.state;
  const walk = convergenceWalk(kernel, kernel.cursor);
  const objects: SharedObjectView[] = [];
  if (!shared) return { cursor: kernel.cursor, objects };
  for (const object of spec.shared) {
    const offset = Math.max(0, Math.floor(offsets[object.index] ?? 0));
    const hashes: bigint[] = [];
    const replicas: SharedReplicaView[] = [];
    for (let node = 0; node < spec.cluster.nodeCount; node++) {
      const value = shared.value(object.index, node);
      hashes.push(shared.replicaHash(object.index, node));
      replicas.push({ node, up: state.nodeUp[node] === 1, numeric: shared.numeric(object.index, node), differs: false, ...describe(value, offset) });
    }
    const live = replicas.filter((replica) => replica.up);
    const holders = new Map<bigint, number>(); // hash -> live replicas holding it (insertion order: by node)
    for (const replica of live) holders.set(hashes[replica.node], (holders.get(hashes[replica.node]) ?? 0) + 1);
    let reference = 0n, most = 0;
    for (const [hash, count] of holders) if (count > most) { reference = hash; most = count; }
    for (const replica of live) replica.differs = hashes[replica.node] !== reference;
    const converged = !live.some((replica) => replica.differs);
    objects.push({
      index: object.index, name: object.name, type: object.type, replicas, converged,
      differsSince: converged ? null : walk.differsSince[object.index], offset,
    });
  }
  return { cursor: kernel.cursor, objects };
}

function describe(value: SharedValue, offset: number): Pick<SharedReplicaView, 'summary' | 'items' | 'itemCount'> {
  const page = <T>(list: readonly T[], show: (item: T) => string) => ({
    items: list.slice(offset, offset + SHARED_PAGE_ITEMS_MAX).map(show), itemCount: list.length,
  });
  const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
  if (typeof value === 'number') return { summary: String(value), items: [], itemCount: 0 };
  if (value === null) return { summary: 'unset', items: [], itemCount: 0 };
  if (typeof value === 'string') {
    // A register's value or a text: texts are cut for the view, registers are short.
    const cut = value.length > SHARED_TEXT_CHARS_VIEW_MAX ? `${value.slice(0, SHARED_TEXT_CHARS_VIEW_MAX)}…` : value;
    return { summary: plural([...value].length, 'character'), items: [cut], itemCount: 0 };
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && Array.isArray(value[0])) {
      return { summary: plural(value.length, 'entry').replace('entrys', 'entries'), ...page(value as [string, string][], ([key, item]) => `${key} = ${item}`) };
    }
    return { summary: plural(value.length, 'element'), ...page(value as string[], (item) => item) };
  }
  if ('vertices' in value) {
    return {
      summary: `${plural(value.vertices.length, 'vertex').replace('vertexs', 'vertices')}, ${plural(value.edges.length, 'edge')}`,
      ...page([...value.vertices.map((vertex) => `○ ${vertex}`), ...value.edges.map(([from, to]) => `${from} → ${to}`)], (item) => item),
    };
  }
  return { summary: `${plural(value.count, 'point')}, sum ${value.sum}, min ${value.min}, max ${value.max}`, items: [], itemCount: 0 };
}

export interface ConvergenceWalk {
  /** Per object: the op after which its live replicas began to differ (null: they agree). */
  differsSince: (number | null)[];
  /** Cursors (seq + 1) at which, after a heal or a node's recovery, every object's live
   *  replicas had come to agree at least once: the network's repair took effect. Oldest first. */
  converged: number[];
}

/** One pass over the events before `cursor` (see the top of this file). */
export function convergenceWalk(kernel: Kernel, cursor: number): ConvergenceWalk {
  const journal = kernel.machine.journal;
  const spec = kernel.spec;
  const N = spec.cluster.nodeCount, objects = spec.shared.length;
  const differsSince: (number | null)[] = new Array(objects).fill(null);
  const converged: number[] = [];
  if (objects === 0) return { differsSince, converged };
  const know = new Float64Array(objects * N * N).fill(-1); // know[(o * N + n) * N + k]
  const lagging = new Int32Array(objects); // live (n, k) pairs with know[n][k] < newest[k]
  const up = new Uint8Array(N).fill(1);
  const newest = (o: number, k: number) => {
    let most = -1;
    for (let n = 0; n < N; n++) if (up[n]) most = Math.max(most, know[(o * N + n) * N + k]);
    return most;
  };
  const recount = (o: number) => {
    let count = 0;
    for (let k = 0; k < N; k++) {
      const most = newest(o, k);
      for (let n = 0; n < N; n++) if (up[n] && know[(o * N + n) * N + k] < most) count++;
    }
    lagging[o] = count;
  };
  // Objects that have not yet agreed since the last heal or recovery (none pending: no mark due).
  const pending = new Uint8Array(objects);
  let pendingCount = 0;
  const settle = (o: number, seq: number, before: number) => {
    if (lagging[o] !== 0) return;
    if (before > 0) differsSince[o] = null;
    if (pending[o]) {
      pending[o] = 0;
      if (--pendingCount === 0 && converged.length < CONVERGENCE_MARKS_MAX) converged.push(seq + 1);
    }
  };
  const end = Math.min(cursor, journal.length);
  for (let seq = 0; seq < end; seq++) {
    const type = journal.type(seq);
    if (type === E['crdt/applied']) {
      const o = journal.a(seq), n = journal.node(seq);
      const before = lagging[o];
      // Every other live replica now lags on n's ops (if it did not already).
      for (let m = 0; m < N; m++) if (m !== n && up[m] && know[(o * N + m) * N + n] === know[(o * N + n) * N + n]) lagging[o]++;
      know[(o * N + n) * N + n] = seq;
      if (before === 0 && lagging[o] > 0) differsSince[o] = seq;
    } else if (type === E['crdt/merged']) {
      const o = journal.a(seq), from = journal.b(seq), to = journal.c(seq);
      const before = lagging[o];
      for (let k = 0; k < N; k++) {
        const mine = know[(o * N + to) * N + k], theirs = know[(o * N + from) * N + k];
        if (theirs <= mine) continue;
        know[(o * N + to) * N + k] = theirs;
        if (up[to] && theirs === newest(o, k)) lagging[o]--;
      }
      if (!up[from]) recount(o); // a source that knows more than every live replica moves the target
      settle(o, seq, before);
    } else if (type === E['net/healed']) {
      pending.fill(1);
      pendingCount = objects;
    } else if (type === E['node/crashed'] || type === E['node/recovered']) {
      up[journal.node(seq)] = type === E['node/recovered'] ? 1 : 0;
      if (type === E['node/recovered']) { pending.fill(1); pendingCount = objects; }
      for (let o = 0; o < objects; o++) {
        const before = lagging[o];
        recount(o);
        settle(o, seq, before);
      }
    }
  }
  return { differsSince, converged };
}
