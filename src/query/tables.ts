// The kernel's side of KernelQL: the journal as column batches and the state at the cursor as
// rows. Pure reads of a Kernel (never seeks or runs it); runs in the kernel worker and in Node.
// Everything here is bounded: a batch is at most EVENT_BATCH_MAX events, the heap map at most
// HEAP_RANGES_MAX ranges per node, a shared value's text at most SHARED_TEXT_CHARS.
import { decisionSettings } from './decisions';
import type { Kernel } from '../kernel/kernel';
import { Scalar, STATUS_NAMES } from '../kernel/state';

/** Events per batch: one journal chunk, about 2 MiB of columns, ~50 ms to insert. */
export const EVENT_BATCH_MAX = 1 << 16;
export const HEAP_RANGES_MAX = 4096;
export const SHARED_TEXT_CHARS = 4096;

/** Events from..from+count-1 of the journal, column by column (transferable buffers). */
export interface EventBatch {
  from: number;
  count: number;
  tick: Float64Array;
  type: Uint8Array;
  node: Uint8Array;
  pid: Int32Array;
  cause: Int32Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
}

export type Cell = number | string | null;

/** The state tables at the cursor, as rows in the columns of schema.ts. */
export interface StateTables {
  cursor: number;
  processes: Cell[][];
  channels: Cell[][];
  nodes: Cell[][];
  heap_blocks: Cell[][];
  shared: Cell[][];
  /** Each node's policy and allocator, each resource's auction, as the spec sets them (the decisions view reads them). */
  decision_settings?: Cell[][];
}

export function eventBatch(kernel: Kernel, from: number, count: number): EventBatch {
  const journal = kernel.machine.journal;
  const n = Math.max(0, Math.min(count, EVENT_BATCH_MAX, journal.length - from));
  const batch: EventBatch = {
    from, count: n,
    tick: new Float64Array(n), type: new Uint8Array(n), node: new Uint8Array(n), pid: new Int32Array(n),
    cause: new Int32Array(n), a: new Int32Array(n), b: new Int32Array(n), c: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const seq = from + i;
    batch.tick[i] = journal.tick(seq);
    batch.type[i] = journal.type(seq);
    batch.node[i] = journal.node(seq);
    batch.pid[i] = journal.pid(seq);
    batch.cause[i] = journal.cause(seq);
    batch.a[i] = journal.a(seq);
    batch.b[i] = journal.b(seq);
    batch.c[i] = journal.c(seq);
  }
  return batch;
}

/** The buffers of a batch, for Comlink.transfer. */
export const batchBuffers = (batch: EventBatch): ArrayBuffer[] =>
  [batch.tick, batch.type, batch.node, batch.pid, batch.cause, batch.a, batch.b, batch.c].map((column) => column.buffer as ArrayBuffer);

export function stateTables(kernel: Kernel): StateTables {
  const { spec } = kernel;
  const { state } = kernel.machine;
  const agentName = (pid: number): string | null => (pid >= 0 && pid < state.scalars[Scalar.nextPid] ? spec.agents[state.procAgent[pid]]?.name ?? null : null);

  const processes: Cell[][] = [];
  for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) {
    processes.push([
      pid, agentName(pid), state.procReplica[pid], state.procNode[pid], STATUS_NAMES[state.procStatus[pid]], state.procNice[pid],
      state.procCpuTicks[pid], state.procHeapBytes[pid], state.procSent[pid], state.procReceived[pid], state.procRestarts[pid],
    ]);
  }

  const channels: Cell[][] = spec.channels.map((channel) => [
    channel.index, `${channel.from.agent}.${channel.from.port}->${channel.to.agent}.${channel.to.port}`,
    `${channel.from.agent}.${channel.from.port}`, `${channel.to.agent}.${channel.to.port}`, channel.capacity,
    state.chanQueued[channel.index], state.chanInFlight[channel.index], state.chanSent[channel.index],
    state.chanDelivered[channel.index], state.chanDropped[channel.index],
  ]);

  const nodes: Cell[][] = [];
  const heapBlocks: Cell[][] = [];
  const procsMax = state.layout.procsMax;
  for (let node = 0; node < spec.cluster.nodeCount; node++) {
    const stats = kernel.core.heap.stats(node);
    const running = state.nodeRunning[node];
    nodes.push([node, `n${node}`, state.nodeUp[node], state.nodeGroup[node], state.nodeRunnable[node], running >= 0 ? running : null, stats.usedBytes, stats.freeBytes]);
    for (const range of kernel.core.heap.map(node, HEAP_RANGES_MAX)) {
      const pid = range.owner === null ? null : range.owner < procsMax ? state.slotPid[node * procsMax + range.owner] : -1;
      heapBlocks.push([node, range.address, range.size, pid !== null && pid >= 0 ? pid : null, pid !== null && pid >= 0 ? agentName(pid) : null]);
    }
  }

  const shared: Cell[][] = [];
  const objects = kernel.machine.machineCore.shared();
  if (objects) {
    for (const object of spec.shared) {
      for (let node = 0; node < spec.cluster.nodeCount; node++) {
        const value = objects.value(object.index, node);
        // design.md: what the expression shared.<object>.<node> is (a counter's value, a set's and a
        // map's size, a text's length, ...: SharedObjects.numeric); the value in full as text.
        const number = objects.numeric(object.index, node);
        const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
        shared.push([object.name, object.type, `n${node}`, number, text.length > SHARED_TEXT_CHARS ? `${text.slice(0, SHARED_TEXT_CHARS)}…` : text]);
      }
    }
  }

  return { cursor: kernel.cursor, processes, channels, nodes, heap_blocks: heapBlocks, shared, decision_settings: decisionSettings(spec) };
}
