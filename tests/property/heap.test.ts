// Differential tests: random alloc/free/realloc/freeAll sequences and live policy switches on the
// wasm allocator (debug build), for each of its four policies and both granules (16 and 8 bytes), and
// on the TypeScript model (tests/reference/heap-model.ts) give the same block ids, addresses,
// sizes, errors, accounting, fragmentation figures and memory map; invariants after every op.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDebugCore } from '../helpers/core';
import { HeapModel, ALLOCATOR_TLSF, ALLOCATOR_BUDDY, ALLOCATOR_FIRST_FIT, ALLOCATOR_BEST_FIT, NONE } from '../reference/heap-model';
import { HEAP_ALLOCATORS, HEAP_GRANULES } from '../../src/core/heap';
import type { Core } from '../../src/core/core';

const OWNERS = 6;
type Op =
  | { kind: 'alloc'; pid: number; bytes: number }
  | { kind: 'free'; pick: number; pid?: number }
  | { kind: 'freeAll'; pid: number }
  | { kind: 'realloc'; pick: number; bytes: number; pid?: number }
  | { kind: 'switch'; allocator: number };

// Sizes skewed small, some large, a few zero or huge (errors).
const bytes = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 256 }) },
  { weight: 3, arbitrary: fc.integer({ min: 257, max: 8192 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8193, max: 70000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 31 + 1, 2 ** 31) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('alloc' as const), pid: fc.integer({ min: 0, max: OWNERS }), bytes }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat(), pid: fc.integer({ min: 0, max: OWNERS }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('freeAll' as const), pid: fc.integer({ min: 0, max: OWNERS }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('realloc' as const), pick: fc.nat(), bytes }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('realloc' as const), pick: fc.nat(), bytes, pid: fc.integer({ min: 0, max: OWNERS }) }) },
);
const switchArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constant('switch' as const), allocator: fc.integer({ min: 1, max: 4 }) });

export function expectSameHeap(core: Core, node: number, model: HeapModel): void {
  const stats = core.heap.stats(node);
  expect(stats.freeBytes, 'free bytes').toBe(model.freeBytes);
  expect(stats.usedBlocks, 'used blocks').toBe(model.usedBlocks);
  expect(stats.freeBlocks, 'free blocks').toBe(model.freeBlocks);
  expect(stats.largestFreeBytes, 'largest free').toBe(model.largestFree());
  expect(stats.fragmentationPermille, 'fragmentation').toBe(model.fragmentationPermille());
  expect(stats.peakUsedBytes, 'peak').toBe(model.peakUsedBytes);
  expect(stats.failedAllocs, 'failed allocs').toBe(model.failedAllocs);
  for (let pid = 0; pid < model.ownersMax; pid++) {
    const owner = core.heap.owner(node, pid);
    expect([owner.bytesInUse, owner.peakBytes, owner.blockCount], `owner ${pid}`).toEqual([model.ownerBytes[pid], model.ownerPeak[pid], model.ownerBlocks[pid]]);
  }
  const map = core.heap.map(node).map((r) => [r.address, r.size, r.owner ?? NONE]);
  expect(map, 'memory map').toEqual(model.map());
}

describe('allocator: wasm vs TypeScript model (differential)', () => {
  const policies = [['tlsf', ALLOCATOR_TLSF], ['buddy', ALLOCATOR_BUDDY], ['first-fit', ALLOCATOR_FIRST_FIT], ['best-fit', ALLOCATOR_BEST_FIT]] as const;
  for (const granule of HEAP_GRANULES) for (const [name, allocator] of policies) {
    it(`${name}, ${granule}-byte granules: same ids, addresses and figures; invariants after every op; freeing all coalesces`, async () => {
      const core = await loadDebugCore();
      const heapSizes = fc.oneof(fc.integer({ min: 1, max: 4096 }).map((g) => g * granule), fc.constantFrom(48 * 1024, 1 << 20, 3 * (1 << 20) + 4096, 3 * (1 << 20) + granule * 3));
      await fc.assert(
        fc.asyncProperty(heapSizes, fc.integer({ min: 64, max: 200 }), fc.array(opArb, { minLength: 20, maxLength: 200, size: 'max' }), fc.array(fc.tuple(fc.nat(), switchArb), { maxLength: 3 }), async (heapBytes, blocks, plain, switches) => {
          const ops = plain.slice();
          for (const [at, op] of switches) ops.splice(at % (ops.length + 1), 0, op);
          core.exports.releaseAllRegions();
          core.heap.configure(2, blocks, OWNERS);
          core.heap.init(1, name, heapBytes, granule);
          expect(core.heap.stats(1).granuleBytes).toBe(granule);
          const model = new HeapModel(blocks, OWNERS);
          expect(model.init(allocator, heapBytes, granule)).toBe(0);
          const live: Array<[number, number]> = []; // [pid, block]
          for (const op of ops) {
            if (op.kind === 'alloc') {
              const ours = core.heap.alloc(1, op.pid, op.bytes);
              expect(ours, JSON.stringify(op)).toBe(model.alloc(op.pid, op.bytes));
              if (ours >= 0) {
                expect(core.heap.blockAddress(1, ours)).toBe(model.address[ours]);
                expect(core.heap.blockSize(1, ours)).toBe(model.size[ours]);
                if (model.allocator !== ALLOCATOR_BUDDY) expect(model.size[ours]).toBe(Math.ceil(op.bytes / granule) * granule);
                live.push([op.pid, ours]);
              }
            } else if (op.kind === 'free') {
              const [owner, block] = live.length ? live[op.pick % live.length] : [0, op.pick % 300];
              const pid = op.pid ?? owner;
              const ours = core.heap.free(1, pid, block);
              expect(ours, JSON.stringify(op)).toBe(model.free(pid, block));
              if (ours === 0) live.splice(op.pick % live.length, 1);
            } else if (op.kind === 'realloc') {
              const index = live.length ? op.pick % live.length : -1;
              const [owner, block] = index >= 0 ? live[index] : [0, op.pick % 300];
              const pid = op.pid ?? owner;
              const ours = core.heap.realloc(1, pid, block, op.bytes);
              expect(ours, JSON.stringify(op)).toBe(model.realloc(pid, block, op.bytes));
              if (ours >= 0) {
                expect(core.heap.blockAddress(1, ours)).toBe(model.address[ours]);
                expect(core.heap.blockSize(1, ours)).toBe(model.size[ours]);
                live[index] = [pid, ours];
              }
            } else if (op.kind === 'switch') {
              const ours = core.heap.setAllocator(1, HEAP_ALLOCATORS[op.allocator - 1]);
              expect(ours, JSON.stringify(op)).toBe(model.setAllocator(op.allocator));
              expectSameHeap(core, 1, model);
            } else {
              const ours = core.heap.freeAll(1, op.pid);
              expect(ours).toBe(model.freeAll(op.pid));
              for (let i = live.length - 1; i >= 0; i--) if (live[i][0] === op.pid) live.splice(i, 1);
            }
            core.heap.checkInvariants(1);
          }
          expectSameHeap(core, 1, model);
          // Freeing everything of every owner coalesces the heap back to its start-up shape.
          for (let pid = 0; pid < OWNERS; pid++) core.heap.freeAll(1, pid);
          core.heap.checkInvariants(1);
          const stats = core.heap.stats(1);
          expect(stats.freeBytes).toBe(heapBytes);
          expect(stats.freeBlocks).toBe(model.allocator !== ALLOCATOR_BUDDY ? 1 : popcount(heapBytes));
        }),
        // The 16-byte runs keep the seeds they had before granules were a choice.
        { seed: (granule === 16 ? 20261122 : 20261207) + allocator, numRuns: 120 },
      );
    });
  }
});

function popcount(x: number): number {
  let count = 0;
  for (let v = x; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}
