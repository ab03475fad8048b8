// Heap fragmentation over virtual time, for the Memory and Metrics panels: the journal says
// which blocks were allocated and freed (heap/allocated, heap/freed), which processes ended
// (their blocks all go: exits, failures, kills, node crashes) and which allocator switches
// happened (user/intervened), but not where the blocks lie. So the heap events are replayed on a
// scratch core's allocator (not the kernel's: its heap is the session's state), which, being
// deterministic, hands out the very block ids the journal recorded (checked on every allocation;
// a mismatch ends the series there). External fragmentation (1 - largest free / free, in ‰) is
// read at the end of each bucket, for every node. Never seeks or changes the kernel.
import type { Core } from '../core/core';
import type { Kernel } from '../kernel/kernel';
import { EventCode as E, InterventionKind } from '../kernel/events';
import { ALLOCATOR_CODES } from '../kernel/syscalls/world';
import { blocksPerNode } from '../kernel/syscalls/core-ports';
import { allocatorOf, granuleOf } from '../spec/types';
import { ALLOC_SLOTS_MAX } from '../kernel/program/opcodes';

export interface HeapHistory {
  /** Per node: fragmentation (‰) at the end of each bucket; NaN after the series ended. */
  fragmentationPermille: Float64Array[];
  /** Events replayed; less than the cursor when the replay disagreed with the journal. */
  events: number;
}

const NO_OWNER = -1;

/** Buckets of `bucketTicks` ticks, `count` of them, over the branch up to the cursor. */
export function heapHistory(kernel: Kernel, scratch: Core, bucketTicks: number, count: number): HeapHistory {
  const journal = kernel.machine.journal;
  const spec = kernel.spec;
  const { layout } = kernel.machine.state;
  const nodes = spec.cluster.nodeCount, procsMax = layout.procsMax;
  const heap = scratch.heap;
  scratch.exports.releaseAllRegions();
  heap.configure(nodes, blocksPerNode(nodes), procsMax);
  for (let node = 0; node < nodes; node++) heap.init(node, allocatorOf(spec.kernel, node), spec.kernel.heapBytes, granuleOf(spec.kernel));

  const series = Array.from({ length: nodes }, () => new Float64Array(count).fill(Number.NaN));
  // Owners: one per process while it has blocks, from a per-node pool (any key will do: what
  // matters is which blocks one process holds, and the order it got them).
  const ownerOf = new Int32Array(procsMax).fill(NO_OWNER);
  const nodeOf = new Int32Array(procsMax);
  const freeOwners = Array.from({ length: nodes }, () => Array.from({ length: procsMax }, (_, i) => procsMax - 1 - i));
  const release = (pid: number, forget = false) => {
    if (forget) {
      named.fill(NO_OWNER, pid * ALLOC_SLOTS_MAX, (pid + 1) * ALLOC_SLOTS_MAX);
      total[pid] = 0;
    }
    const owner = ownerOf[pid];
    if (owner === NO_OWNER) return;
    heap.freeAll(nodeOf[pid], owner);
    freeOwners[nodeOf[pid]].push(owner);
    ownerOf[pid] = NO_OWNER;
  };
  // Each process's named blocks (alloc slot -> block, size) and heap total, to replay a live
  // migration as the kernel does it (kernel/autonomy/migrate.ts moveOnCore).
  const named = new Int32Array(procsMax * ALLOC_SLOTS_MAX).fill(NO_OWNER);
  const namedSize = new Float64Array(procsMax * ALLOC_SLOTS_MAX);
  const total = new Float64Array(procsMax);
  const migrate = (pid: number, to: number): boolean => {
    const owner = freeOwners[to].pop();
    if (owner === undefined) return false;
    let sum = 0;
    for (let slot = 0; slot < ALLOC_SLOTS_MAX; slot++) {
      const at = pid * ALLOC_SLOTS_MAX + slot;
      if (named[at] === NO_OWNER) continue;
      const block = heap.alloc(to, owner, namedSize[at]);
      if (block < 0) return false;
      named[at] = block;
      sum += namedSize[at];
    }
    if (total[pid] - sum > 0 && heap.alloc(to, owner, total[pid] - sum) < 0) return false;
    release(pid);
    ownerOf[pid] = owner;
    nodeOf[pid] = to;
    return true;
  };
  let bucket = 0;
  const sampleUntil = (tick: number) => {
    for (; bucket < count && (bucket + 1) * bucketTicks <= tick; bucket++) {
      for (let node = 0; node < nodes; node++) series[node][bucket] = heap.stats(node).fragmentationPermille;
    }
  };
  const events = kernel.cursor;
  let seq = 0;
  for (; seq < events; seq++) {
    const type = journal.type(seq);
    if (type !== E['heap/allocated'] && type !== E['heap/freed'] && type !== E['process/exited'] && type !== E['process/failed']
      && type !== E['node/crashed'] && type !== E['user/intervened'] && type !== E['heal/restarted'] && type !== E['process/migrated']) continue;
    sampleUntil(journal.tick(seq));
    const pid = journal.pid(seq), node = journal.node(seq);
    if (type === E['heap/allocated']) {
      if (ownerOf[pid] === NO_OWNER) {
        const owner = freeOwners[node].pop();
        if (owner === undefined) break;
        ownerOf[pid] = owner;
        nodeOf[pid] = node;
      }
      if (heap.alloc(node, ownerOf[pid], journal.b(seq)) !== journal.a(seq)) break;
      named[pid * ALLOC_SLOTS_MAX + journal.c(seq)] = journal.a(seq);
      namedSize[pid * ALLOC_SLOTS_MAX + journal.c(seq)] = journal.b(seq);
      total[pid] += journal.b(seq);
    } else if (type === E['heap/freed']) {
      if (ownerOf[pid] === NO_OWNER || heap.free(node, ownerOf[pid], journal.a(seq)) !== 0) break;
      named[pid * ALLOC_SLOTS_MAX + journal.c(seq)] = NO_OWNER;
      total[pid] -= journal.b(seq);
    } else if (type === E['process/migrated']) {
      // A live process's blocks move (a failover's were freed by the crash: it has no owner).
      if (ownerOf[pid] !== NO_OWNER && !migrate(pid, journal.b(seq))) break;
    } else if (type === E['process/exited'] || type === E['process/failed'] || type === E['heal/restarted']) {
      release(pid, true);
    } else if (type === E['node/crashed']) {
      for (let p = 0; p < ownerOf.length; p++) if (ownerOf[p] !== NO_OWNER && nodeOf[p] === node) release(p, true);
    } else {
      const kind = journal.a(seq);
      if (kind === InterventionKind.kill || kind === InterventionKind.killTree) release(pid, true);
      else if (kind === InterventionKind.allocator && heap.setAllocator(node, ALLOCATOR_CODES[journal.b(seq)]) !== 0) break;
    }
  }
  if (seq === events) {
    sampleUntil(Number.POSITIVE_INFINITY);
  }
  return { fragmentationPermille: series, events: seq };
}
