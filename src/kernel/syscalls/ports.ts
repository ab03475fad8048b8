// What the kernel needs from the wasm core, as narrow interfaces. core-ports.ts implements them
// over the real core; nothing else in the kernel knows the core's ABI. Slots are the per-node
// process-table indices the core uses; the kernel maps its global pids onto them.
import type { AllocatorKind, SchedulerPolicy } from '../../spec/types';

export interface Pick {
  slot: number;
  reason: number;
  value: number;
  sliceTicks: number;
}

export interface SchedulerPort {
  configure(nodeCount: number, slotsPerNode: number): void;
  setTiming(node: number, quantumTicks: number): void;
  setPolicy(node: number, policy: SchedulerPolicy): void;
  add(node: number, slot: number, nice: number): void;
  remove(node: number, slot: number): void;
  block(node: number, slot: number): void;
  wake(node: number, slot: number): void;
  /** A preempted process goes back to the run queue. */
  requeue(node: number, slot: number): void;
  charge(node: number, slot: number, ticks: number): void;
  setNice(node: number, slot: number, nice: number): void;
  /** The next process to run, or undefined if none is runnable. The result object is reused. */
  pick(node: number): Pick | undefined;
}

export const ALLOC_FAILED = -1;

export interface HeapPort {
  /** Switches node's allocator, blocks staying where they are (HeapPort.canSwitch says whether it may). */
  setAllocator(node: number, allocator: AllocatorKind): void;
  /** Whether setAllocator may switch node to `allocator` now: buddy needs an empty heap. */
  canSwitch(node: number, allocator: AllocatorKind): boolean;
  /** The block's id, or ALLOC_FAILED when the heap cannot satisfy it. */
  alloc(node: number, owner: number, size: number): number;
  /** Frees owner's block. */
  free(node: number, owner: number, block: number): void;
  /** Frees every block of owner. */
  freeAll(node: number, owner: number): number;
  /** Bytes of the node's heap not in use (the allocator's count). */
  freeBytes(node: number): number;
}

/** The spec's `shared` objects: one replica per node in the CRDT core. */
export interface SharedPort {
  /** Applies CRDT operation `op` (an index into the compiled crdtOps) on node's replica; returns
   *  the replica's observable value summary after it (a count, a size or a length); `tick` is
   *  the time a time series' point carries. */
  apply(node: number, object: number, op: number, pid: number, who: { agent: string; replica: number }, tick: number): number;
  /** Merges replica `from` into replica `to` of an object (on message delivery, on heal). */
  merge(object: number, from: number, to: number): void;
}

export interface CorePorts {
  sched: SchedulerPort;
  heap: HeapPort;
  shared?: SharedPort;
}
