import { describe, expect, it } from 'vitest';
import { loadDebugCore } from '../helpers/core';
import { HEAP_ALLOCATORS, HeapCode, HeapOp, type HeapAllocator } from '../../src/core/heap';
import type { Core } from '../../src/core/core';

const KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

async function freshHeap(allocator: HeapAllocator, heapBytes: number, blocks = 1024, owners = 16): Promise<Core> {
  const core = await loadDebugCore();
  core.exports.releaseAllRegions();
  core.heap.configure(2, blocks, owners);
  core.heap.init(0, allocator, heapBytes);
  return core;
}

describe('wasm allocator', () => {
  it('TLSF: first allocations are carved from address 0 upwards; free coalesces immediately', async () => {
    const core = await freshHeap('tlsf', 1 * MiB);
    const h = core.heap;
    const a = h.alloc(0, 1, 100), b = h.alloc(0, 1, 4000), c = h.alloc(0, 2, 16);
    expect([a, b, c].map((id) => [h.blockAddress(0, id), h.blockSize(0, id)])).toEqual([[0, 112], [112, 4000], [4112, 16]]);
    expect(h.owner(0, 1)).toEqual({ bytesInUse: 4112, peakBytes: 4112, blockCount: 2 });
    expect(h.free(0, 1, b)).toBe(HeapCode.ok);
    expect(h.stats(0).freeBlocks).toBe(2); // the hole and the tail
    expect(h.free(0, 1, a)).toBe(HeapCode.ok);
    expect(h.stats(0).freeBlocks).toBe(2); // the hole grew, it did not split
    expect(h.free(0, 2, c)).toBe(HeapCode.ok);
    expect(h.stats(0)).toMatchObject({ freeBlocks: 1, usedBlocks: 0, freeBytes: MiB, largestFreeBytes: MiB, fragmentationPermille: 0 });
    expect(h.owner(0, 1)).toEqual({ bytesInUse: 0, peakBytes: 4112, blockCount: 0 });
    h.checkInvariants(0);
  });

  it('buddy: sizes round to powers of two, buddies merge back', async () => {
    const core = await freshHeap('buddy', 48 * MiB);
    const h = core.heap;
    expect(h.stats(0).freeBlocks).toBe(2); // 32 MiB + 16 MiB tiles
    const a = h.alloc(0, 0, 3000);
    expect(h.blockSize(0, a)).toBe(4096);
    expect(h.blockAddress(0, a)).toBe(32 * MiB); // split from the smallest tile that holds it
    const b = h.alloc(0, 0, 20 * MiB); // only the 32 MiB tile holds it
    expect(h.blockSize(0, b)).toBe(32 * MiB);
    expect(h.blockAddress(0, b)).toBe(0);
    expect(h.alloc(0, 0, 8 * MiB + 1)).toBe(HeapCode.outOfMemory); // 16 MiB tile is split now
    h.checkInvariants(0);
    expect(h.freeAll(0, 0)).toBe(2);
    expect(h.stats(0)).toMatchObject({ freeBlocks: 2, freeBytes: 48 * MiB, largestFreeBytes: 32 * MiB });
    h.checkInvariants(0);
  });

  it('out of memory, bad sizes, bad ids and a full block table are error codes', async () => {
    const core = await freshHeap('tlsf', 64 * KiB, 64, 4);
    const h = core.heap;
    expect(h.alloc(0, 0, 0)).toBe(HeapCode.badSize);
    expect(h.alloc(0, 0, 2 ** 31 + 16)).toBe(HeapCode.badSize);
    expect(h.alloc(0, 0, 65 * KiB)).toBe(HeapCode.outOfMemory);
    expect(h.alloc(0, 4, 16)).toBe(HeapCode.badOwner);
    expect(h.alloc(1, 0, 16)).toBe(HeapCode.notInitialized);
    expect(h.alloc(2, 0, 16)).toBe(HeapCode.badNode);
    const block = h.alloc(0, 1, 16);
    expect(h.free(0, 2, block)).toBe(HeapCode.badBlock); // not its owner
    expect(h.free(0, 1, block)).toBe(HeapCode.ok);
    expect(h.free(0, 1, block)).toBe(HeapCode.badBlock); // double free
    expect(h.free(0, 1, 9999)).toBe(HeapCode.badBlock);
    // 64 records: after 63 splits the table is full while memory is not
    let last = 0;
    for (let i = 0; i < 70 && last >= 0; i++) last = h.alloc(0, 0, 16);
    expect(last).toBe(HeapCode.blocksFull);
    expect(h.stats(0).failedAllocs).toBe(2); // 65 KiB and the full table (bad sizes are not attempts)
    h.checkInvariants(0);
  });

  it('a 1 GiB heap costs memory for its blocks only', async () => {
    const core = await freshHeap('tlsf', 1 * GiB, 4096, 64);
    const h = core.heap;
    const bytes = core.exports.heapStateBytes();
    expect(bytes).toBeLessThan(512 * KiB); // two heaps' records for 4096 blocks each, not 1 GiB
    const ids: number[] = [];
    for (let i = 0; i < 1000; i++) ids.push(h.alloc(0, i % 64, 1 * MiB - 16 * (i % 7)));
    expect(ids.every((id) => id >= 0)).toBe(true);
    expect(h.stats(0).usedBytes).toBeGreaterThan(990 * MiB);
    h.checkInvariants(0);
    for (let pid = 0; pid < 64; pid++) h.freeAll(0, pid);
    expect(h.stats(0)).toMatchObject({ freeBlocks: 1, freeBytes: GiB });
  });

  it('memory map: ranges merged by owner, bounded count, continuable', async () => {
    const core = await freshHeap('tlsf', 1 * MiB);
    const h = core.heap;
    h.alloc(0, 1, 64); h.alloc(0, 1, 64); h.alloc(0, 2, 32);
    const free = h.alloc(0, 3, 16);
    h.alloc(0, 2, 16);
    h.free(0, 3, free);
    expect(h.map(0)).toEqual([
      { address: 0, size: 128, owner: 1 },
      { address: 128, size: 32, owner: 2 },
      { address: 160, size: 16, owner: null },
      { address: 176, size: 16, owner: 2 },
      { address: 192, size: MiB - 192, owner: null },
    ]);
    expect(h.map(0, 2)).toHaveLength(2);
    expect(h.map(0, 2, 160)).toEqual([{ address: 160, size: 16, owner: null }, { address: 176, size: 16, owner: 2 }]);
  });

  it('fragmentation figures: free bytes, largest free block, external fragmentation', async () => {
    const core = await freshHeap('tlsf', 64 * KiB);
    const h = core.heap;
    const ids = Array.from({ length: 16 }, () => h.alloc(0, 0, 4 * KiB));
    for (let i = 0; i < 16; i += 2) h.free(0, 0, ids[i]);
    expect(h.stats(0)).toMatchObject({ freeBytes: 32 * KiB, largestFreeBytes: 4 * KiB, fragmentationPermille: 875 });
    expect(h.alloc(0, 0, 8 * KiB)).toBe(HeapCode.outOfMemory);
  });

  it('batch: alloc, free and freeAll through the shared buffer', async () => {
    const core = await freshHeap('tlsf', 1 * MiB);
    const batch = core.heap.batch();
    batch.push(HeapOp.alloc, 0, 1, 100);
    batch.push(HeapOp.alloc, 0, 1, 200);
    batch.push(HeapOp.alloc, 0, 2, 50);
    batch.push(HeapOp.free, 0, 1, 0);
    batch.push(HeapOp.freeAll, 0, 1);
    batch.push(HeapOp.alloc, 0, 9999, 1);
    batch.push(7, 0, 0, 0);
    expect(Array.from(batch.run())).toEqual([
      0, 0, 112, 0,
      1, 112, 208, 0,
      2, 320, 64, 0,
      0, 0, 0, 0,
      1, 0, 0, 0,
      HeapCode.badOwner, 0, 0, 0,
      HeapCode.badOp, 0, 0, 0,
    ]);
    core.heap.checkInvariants(0);
  });

  it('snapshot, mutate, restore: byte-identical state and the same future addresses', async () => {
    const core = await freshHeap('tlsf', 16 * MiB);
    core.heap.init(1, 'buddy', 16 * MiB);
    const h = core.heap;
    for (let i = 0; i < 200; i++) { h.alloc(0, i % 16, 16 + ((i * 97) % 5000)); h.alloc(1, i % 16, 16 + ((i * 89) % 5000)); }
    for (let i = 0; i < 200; i += 3) { h.free(0, i % 16, i * 2); h.free(1, i % 16, i); }
    const snapshot = h.exportState();
    const future = () => {
      const out: number[] = [];
      for (let i = 0; i < 300; i++) {
        const node = i % 2;
        const id = h.alloc(node, (i * 5) % 16, 16 + ((i * 131) % 9000));
        out.push(id, h.blockAddress(node, id));
        if (i % 4 === 0) h.freeAll(node, i % 16);
      }
      return out;
    };
    const first = future();
    h.importState(snapshot);
    expect(h.exportState()).toEqual(snapshot);
    expect(future()).toEqual(first);
    h.checkInvariants(0);
    h.checkInvariants(1);
  });
  for (const allocator of HEAP_ALLOCATORS) {
    it(`${allocator}: snapshot, mutate (alloc, realloc, free, freeAll, a policy switch), restore: byte-identical, same future`, async () => {
      const core = await freshHeap(allocator, 16 * MiB);
      const h = core.heap;
      const ids: number[] = [];
      for (let i = 0; i < 300; i++) ids.push(h.alloc(0, i % 8, 16 + ((i * 193) % 7000)));
      for (let i = 0; i < 300; i += 4) h.free(0, i % 8, ids[i]);
      for (let i = 1; i < 300; i += 7) ids[i] = h.realloc(0, i % 8, ids[i], 16 + ((i * 71) % 12000));
      const snapshot = h.exportState();
      const future = () => {
        const out: number[] = [];
        for (let i = 0; i < 200; i++) {
          const id = h.alloc(0, (i * 5) % 8, 16 + ((i * 131) % 9000));
          out.push(id, h.blockAddress(0, id));
          if (i === 100) out.push(h.setAllocator(0, allocator === 'best-fit' ? 'first-fit' : 'best-fit'));
          if (i % 9 === 0) out.push(h.realloc(0, (i * 5) % 8, id, 16 + ((i * 37) % 20000)));
          if (i % 13 === 0) out.push(h.freeAll(0, i % 8));
        }
        h.checkInvariants(0);
        return out;
      };
      const first = future();
      h.importState(snapshot);
      expect(h.exportState()).toEqual(snapshot);
      expect(h.allocator(0)).toBe(allocator);
      expect(future()).toEqual(first);
    });
  }
});
