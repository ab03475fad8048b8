// The kernel's ports (ports.ts) over the real wasm core: the only file that knows both.
import type { Core } from '../../core/core';
import { SCHED_REASONS } from '../../core/sched';
import { allocatorOf, granuleOf } from '../../spec/types';
import type { KernelContext } from '../context';
import type { CoreMemory } from '../journal/snapshots';
import type { MachineCore } from '../sim/machine';
import { ALLOC_FAILED, type CorePorts, type Pick } from './ports';
import { createSharedObjects, type SharedObjects } from './shared-port';
import { heapImageChunks } from '../../core/heap';

/** Heap blocks each node's allocator can track (a heap with more live blocks fails allocations):
 *  64Ki per node, less on big clusters so the core's metadata stays near 32 MiB. */
export const blocksPerNode = (nodeCount: number) => Math.max(4096, Math.min(1 << 16, Math.floor((1 << 20) / nodeCount)));
/** Ticks a waiting process ages by one priority level under the priority policy, in quanta. */
export const AGING_QUANTA = 64;

export function createMachineCore(core: Core): MachineCore {
  const { sched, heap } = core;
  const exports = core.exports;
  const pickResult: Pick = { slot: 0, reason: 0, value: 0, sliceTicks: 0 };
  let shared: SharedObjects | undefined;
  const check = (what: string, code: number) => {
    if (code < 0) throw new Error(`kernel: core ${what} failed with code ${code}`);
  };

  const ports: CorePorts = {
    sched: {
      configure: (nodeCount, slotsPerNode) => sched.configure(nodeCount, slotsPerNode),
      setTiming: (node, quantumTicks) => check('sched timing', sched.setTiming(node, quantumTicks, quantumTicks * AGING_QUANTA)),
      setPolicy: (node, policy) => check('sched policy', sched.setPolicy(node, policy)),
      add: (node, slot, nice) => check('sched add', sched.add(node, slot, nice)),
      remove: (node, slot) => check('sched remove', sched.remove(node, slot)),
      block: (node, slot) => check('sched block', sched.block(node, slot)),
      wake: (node, slot) => check('sched wake', sched.wake(node, slot)),
      requeue: (node, slot) => check('sched requeue', sched.requeue(node, slot)),
      charge: (node, slot, ticks) => check('sched charge', sched.charge(node, slot, ticks)),
      setNice: (node, slot, nice) => check('sched nice', sched.setNice(node, slot, nice)),
      pick(node) {
        const choice = sched.pick(node);
        if (choice.pid === null) return undefined;
        pickResult.slot = choice.pid;
        pickResult.reason = SCHED_REASONS.indexOf(choice.reason);
        pickResult.value = choice.value;
        pickResult.sliceTicks = choice.sliceTicks;
        return pickResult;
      },
    },
    heap: {
      setAllocator: (node, allocator) => check('heap allocator', heap.setAllocator(node, allocator)),
      canSwitch: (node, allocator) => allocator !== 'buddy' || heap.allocator(node) === 'buddy' || heap.stats(node).usedBlocks === 0,
      alloc(node, owner, size) {
        const block = heap.alloc(node, owner, size);
        return block < 0 ? ALLOC_FAILED : block;
      },
      free(node, owner, block) {
        const code = heap.free(node, owner, block);
        if (code !== 0) throw new Error(`kernel: core heap free of block ${block} (owner ${owner}, node n${node}) failed with code ${code}`);
      },
      freeAll: (node, owner) => heap.freeAll(node, owner),
      freeBytes: (node) => exports.heapFreeBytes(node) >>> 0,
    },
  };

  const pageBytes = exports.snapshotPageBytes();
  const bitmapStart = exports.dirtyBitmapPtr();
  const memory: CoreMemory = {
    bytes: () => new Uint8Array(exports.memory.buffer),
    pageBytes,
    dirtyPages() {
      const words = new Uint32Array(exports.memory.buffer, exports.dirtyBitmapPtr(), exports.dirtyBitmapWords());
      const pages: number[] = [];
      for (let word = 0; word < words.length; word++) {
        let bits = words[word];
        while (bits !== 0) {
          const bit = 31 - Math.clz32(bits & -bits);
          pages.push(word * 32 + bit);
          bits &= bits - 1;
        }
      }
      return pages;
    },
    clearDirty: () => exports.clearDirty(),
    excluded(page) {
      const start = page * pageBytes, end = start + pageBytes;
      const bitmapEnd = bitmapStart + exports.dirtyBitmapBytes();
      return start < bitmapEnd && end > bitmapStart;
    },
  };

  return {
    ports,
    prng: core.prng,
    memory,
    restored: () => shared?.restored(),
    shared: () => shared,
    stateChunks: () => stateChunks(exports, shared !== undefined),
    configure(ctx: KernelContext) {
      const { spec, layout } = ctx;
      exports.releaseAllRegions();
      exports.crdtReset();
      ports.sched.configure(layout.nodeCount, layout.procsMax);
      for (let node = 0; node < layout.nodeCount; node++) {
        ports.sched.setTiming(node, spec.kernel.quantumTicks);
        ports.sched.setPolicy(node, spec.kernel.scheduler);
      }
      const allocators = Array.from({ length: layout.nodeCount }, (_, node) => allocatorOf(spec.kernel, node));
      // The heap's main region, then the CRDT objects' regions, then (at the first init) the heap's
      // id index: every region stateHash reads sits where it sat before the index existed (core 0.3).
      heap.configure(layout.nodeCount, blocksPerNode(layout.nodeCount), layout.procsMax);
      shared = spec.shared.length > 0 ? createSharedObjects(core, ctx) : undefined;
      for (let node = 0; node < layout.nodeCount; node++) heap.init(node, allocators[node], spec.kernel.heapBytes, granuleOf(spec.kernel));
      ports.shared = shared;
      exports.markAllDirty();
    },
  };
}

/**
 * The parts of core memory that are state, as the streams stateHash reads: the PRNG, then the
 * regions less the CRDT core's IO buffer and decode scratch (working memory whose leftovers depend
 * on history, not state) and less the heap's id index (reserved last: a cache layout, not state),
 * with the heap's main region read as its canonical image (heapImage: the layout by id), so the
 * hash is the one core 0.3 gave.
 */
function stateChunks(exports: Core['exports'], withCrdt: boolean): Array<Iterable<Uint8Array>> {
  const memory = () => new Uint8Array(exports.memory.buffer);
  const streams: Array<Iterable<Uint8Array>> = [[memory().subarray(exports.prngStatePtr(), exports.prngStatePtr() + 16)]];
  const base = exports.regionsBase(), top = exports.regionsTop();
  const holes: number[][] = [];
  if (withCrdt) {
    holes.push([exports.crdtIoPtr(), exports.crdtIoPtr() + exports.crdtIoBytes()]);
    holes.push([exports.crdtScratchPtr(), exports.crdtScratchPtr() + exports.crdtScratchBytes()]);
  }
  if (exports.heapIndexBytes() > 0) holes.push([exports.heapIndexFloor(), exports.heapIndexPtr() + exports.heapIndexBytes()]);
  holes.sort((a, b) => a[0] - b[0]);
  const ranges: Array<[number, number]> = [];
  let start = base;
  for (const [from, to] of holes) {
    if (from > start) ranges.push([start, from]);
    start = Math.max(start, to);
  }
  if (start < top) ranges.push([start, top]);
  const heapStart = exports.heapStatePtr(), heapEnd = heapStart + exports.heapStateBytes();
  for (const [from, to] of ranges) {
    if (heapEnd <= heapStart || heapEnd <= from || heapStart >= to) { streams.push([memory().subarray(from, to)]); continue; }
    if (heapStart < from || heapEnd > to) throw new Error('stateHash: the heap region straddles a hole');
    streams.push((function* () {
      yield memory().subarray(from, heapStart);
      for (const chunk of heapImageChunks(exports)) yield chunk;
      yield memory().subarray(heapEnd, to);
    })());
  }
  return streams;
}
