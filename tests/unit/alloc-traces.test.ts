// Real programs' allocation traces (tests/helpers/alloc-traces.ts: perl from ../shared/data when
// present, gcc's cc1, sqlite, git, the Python compiler and jq from tests/data) replayed through the
// wasm allocator under each policy, batched as the kernel and the benchmark do: invariants after
// every batch, live blocks disjoint and big enough, the heap's account equal to the trace's at the
// end, and freeing what is left restores an empty heap. The release build: the invariants are
// checked by heapCheckInvariants, which both builds have. A trace with over 100,000 blocks live at
// once (perl 205,026, jq 211,975: each check walks as many) is checked after every batch under
// TLSF and after every 8th under the other policies, to keep the suite's time in bounds.
import { describe, expect, it } from 'vitest';
import { loadCoreFromDisk } from '../../src/core/node';
import { crc32, hex32 } from '../../src/persist/checksum';
import { HEAP_ALLOCATORS, HEAP_GRANULES, type HeapAllocator, type HeapGranule } from '../../src/core/heap';
import type { Core } from '../../src/core/core';
import {
  allocTraceNames, loadAllocTrace, replayTrace, roundedPeakBytes, OP_ALLOC, OP_FREE, SHARED_TRACE, SHARED_TRACE_MISSING, type AllocTrace, type BatchTarget,
} from '../helpers/alloc-traces';

const BLOCKS = 1 << 20;
const names = allocTraceNames();
const granule = (n: number, bytes: HeapGranule = 16) => Math.ceil(n / bytes) * bytes;
const grantedSize = (allocator: HeapAllocator, bytes: number, granuleBytes: HeapGranule) => (allocator === 'buddy' ? Math.max(granuleBytes, 2 ** Math.ceil(Math.log2(bytes))) : granule(bytes, granuleBytes));

let corePromise: Promise<Core> | undefined;
async function freshCore(allocator: HeapAllocator, heapBytes: number, granuleBytes: HeapGranule = 16): Promise<Core> {
  corePromise ??= loadCoreFromDisk('release');
  const core = await corePromise;
  core.exports.releaseAllRegions();
  core.heap.configure(1, BLOCKS, 1);
  core.heap.init(0, allocator, heapBytes, granuleBytes);
  return core;
}
const targetOf = (core: Core): BatchTarget => ({ memory: () => core.exports.memory.buffer, ptr: core.exports.heapBatchPtr(), run: (n) => core.exports.heapBatch(n) });

/** The most blocks the trace holds live at once (perl 205,026; jq 211,975). */
function mostLive(trace: AllocTrace): number {
  let live = 0, most = 0;
  for (let op = 0; op < trace.kind.length; op++) {
    if (trace.kind[op] === OP_ALLOC) most = Math.max(most, ++live);
    else if (trace.kind[op] === OP_FREE) live--;
  }
  return most;
}

/** The ops whose block is live after ops [0, end): alloc or realloc ops not yet superseded. */
function liveOps(trace: AllocTrace, live: Uint8Array, from: number, to: number): void {
  for (let op = from; op < to; op++) {
    if (trace.kind[op] !== OP_ALLOC) live[trace.refOp[op]] = 0;
    if (trace.kind[op] !== OP_FREE) live[op] = 1;
  }
}

function expectDisjoint(core: Core, trace: AllocTrace, allocator: HeapAllocator, live: Uint8Array, results: Int32Array, where: string): void {
  const spans: number[][] = [];
  for (let op = 0; op < live.length; op++) {
    if (!live[op]) continue;
    const block = results[op];
    const address = core.heap.blockAddress(0, block), size = core.heap.blockSize(0, block);
    if (size < trace.size[op]) throw new Error(`${where}: op ${op}'s block ${block} has ${size} bytes for a request of ${trace.size[op]}`);
    spans.push([address, size, op]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    const [address, size, op] = spans[i - 1];
    if (address + size > spans[i][0]) throw new Error(`${where}: op ${op}'s block [${address}, +${size}) overlaps op ${spans[i][2]}'s at ${spans[i][0]}`);
  }
  expect(spans.length, `${where}: live blocks`).toBe(core.heap.stats(0).usedBlocks);
  if (allocator !== 'buddy') expect(core.heap.stats(0).usedBytes, `${where}: bytes in use`).toBe(spans.reduce((sum, [, size]) => sum + size, 0));
}

describe('allocator on real allocation traces', () => {
  it('has the traces (the shared perl trace is optional here)', () => {
    expect(names.filter((name) => name !== SHARED_TRACE).length).toBeGreaterThanOrEqual(4);
    if (!names.includes(SHARED_TRACE)) console.warn(`skipping ${SHARED_TRACE}: ${SHARED_TRACE_MISSING}`);
  });

  for (const granuleBytes of HEAP_GRANULES) for (const name of names) {
    for (const allocator of HEAP_ALLOCATORS) {
      it(`${name} under ${allocator}${granuleBytes === 16 ? '' : `, ${granuleBytes}-byte granules`}: invariants after every batch, no overlap, nothing leaked`, async () => {
        const trace = loadAllocTrace(name);
        const heapBytes = granule(trace.peakLiveBytes * 4);
        const core = await freshCore(allocator, heapBytes, granuleBytes);
        const results = new Int32Array(trace.kind.length);
        const live = new Uint8Array(trace.kind.length);
        let done = 0, batches = 0;
        const every = mostLive(trace) > 100_000 && allocator !== 'tlsf' ? 8 : 1;
        const failures = replayTrace(trace, targetOf(core), results, (end) => {
          if (batches % every === 0) core.heap.checkInvariants(0);
          liveOps(trace, live, done, end);
          done = end;
          if (++batches % 97 === 0) expectDisjoint(core, trace, allocator, live, results, `${name} after op ${end}`);
          return true;
        });
        expect(failures, 'failed allocations').toBe(0);
        expectDisjoint(core, trace, allocator, live, results, `${name} at the end`);
        // The heap's account is the trace's: its live ids, their sizes rounded by the policy.
        const stats = core.heap.stats(0);
        expect(stats.usedBlocks).toBe(trace.liveAtEnd.size);
        expect(stats.usedBytes).toBe([...trace.liveAtEnd.values()].reduce((sum, bytes) => sum + grantedSize(allocator, bytes, granuleBytes), 0));
        expect(core.heap.owner(0, 0)).toMatchObject({ bytesInUse: stats.usedBytes, blockCount: stats.usedBlocks });
        // Freeing what is left gives the whole heap back.
        for (const op of trace.lastOpOf.values()) expect(core.heap.free(0, 0, results[op])).toBe(0);
        core.heap.checkInvariants(0);
        expect(core.heap.stats(0)).toMatchObject({ usedBlocks: 0, freeBytes: heapBytes, largestFreeBytes: allocator === 'buddy' ? 2 ** Math.floor(Math.log2(heapBytes)) : heapBytes });
      }, 120_000);
    }
  }

  // The goal of issue 14: the smallest heap that serves a real trace is at most 110% of its peak
  // live bytes, and so is every bigger one (sizes from 110% to 149% in 3% steps). Without TLSF's
  // own-class fallback, the sqlite trace fails in heaps of 123% to 145% of its peak (a large
  // request's rounded-up class lies above the largest free block, which would have held it).
  for (const name of names) {
    it(`${name}: TLSF serves it in every heap from 110% of its peak live bytes up`, async () => {
      const trace = loadAllocTrace(name);
      const failing: number[] = [];
      for (let percent = 110; percent < 150; percent += 3) {
        const core = await freshCore('tlsf', granule((trace.peakLiveBytes * percent) / 100));
        if (replayTrace(trace, targetOf(core), new Int32Array(trace.kind.length), undefined, true) !== 0) failing.push(percent);
      }
      expect(failing, 'heap sizes (% of peak live) that failed').toEqual([]);
    }, 180_000);
  }

  // With 8-byte granules (kernel.granule: 8B) rounding costs small objects less: jq's live bytes
  // rounded to 16 peak at 109.0% of its live bytes, rounded to 8 at 102.9%; TLSF then needs 103.4%
  // (109.7% with 16-byte granules). Without looking at the head of a request's own class first
  // (tlsf.ts), TLSF on 8-byte granules needed 110.0% for jq.
  for (const name of names) {
    it(`${name}: TLSF on 8-byte granules serves it in every heap from 105% of its peak live bytes up`, async () => {
      const trace = loadAllocTrace(name);
      expect(roundedPeakBytes(trace, 1), 'the trace\'s own peak').toBe(trace.peakLiveBytes);
      const failing: number[] = [];
      for (let percent = 105; percent < 150; percent += 4) {
        const core = await freshCore('tlsf', granule((trace.peakLiveBytes * percent) / 100, 8), 8);
        if (replayTrace(trace, targetOf(core), new Int32Array(trace.kind.length), undefined, true) !== 0) failing.push(percent);
      }
      expect(failing, 'heap sizes (% of peak live) that failed').toEqual([]);
    }, 180_000);
  }
});

// Block ids are journal-visible (heap/allocated and heap/freed carry them) and the heap's region is
// part of stateHash, so a speed-up must not change either. Pinned per repo trace and policy (as
// recorded by the engine of kernel 1.1 core 0.1.0): crc32 of the results of every command (ids,
// or error codes) and crc32 of the allocator's whole region after the replay.
const PINNED: Record<string, string> = {
  'alloc-gcc-cc1 tlsf': '0x0c46b8c7 0xdca7d3f5',
  'alloc-gcc-cc1 buddy': '0x2d1c9076 0xf7b916ec',
  'alloc-gcc-cc1 first-fit': '0x8a92aaba 0x83ea6e9e',
  'alloc-gcc-cc1 best-fit': '0x5c2f6f87 0x0ef24c1f',
  'alloc-git-log tlsf': '0x20fd7c67 0x23409e9b',
  'alloc-git-log buddy': '0xd79c5136 0xcb4f14be',
  'alloc-git-log first-fit': '0x72061fbe 0xfeb6dcee',
  'alloc-git-log best-fit': '0x3e0f1a7f 0x2911d23a',
  'alloc-python-compile tlsf': '0x89d240f4 0x6c1f0bce',
  'alloc-python-compile buddy': '0x5fe5c53f 0x5c7751f1',
  'alloc-python-compile first-fit': '0x4f1b0fc3 0xa8755885',
  'alloc-python-compile best-fit': '0x4f7b1b27 0xa825862d',
  'alloc-sqlite tlsf': '0x219650c4 0xb09ab6c1',
  'alloc-sqlite buddy': '0x5b185fed 0x77196ee3',
  'alloc-sqlite first-fit': '0x0cab029c 0xa82133f5',
  'alloc-sqlite best-fit': '0xbd92961a 0xdaf8a5f7',
};

describe('allocator on real traces: ids and state pinned', () => {
  for (const [key, expected] of Object.entries(PINNED)) {
    const [name, allocator] = key.split(' ') as [string, HeapAllocator];
    it(`${key}: the same ids and the same heap bytes`, async () => {
      const trace = loadAllocTrace(name);
      const core = await freshCore(allocator, granule(trace.peakLiveBytes * 4));
      const results = new Int32Array(trace.kind.length);
      replayTrace(trace, targetOf(core), results);
      // The canonical image (what stateHash hashes): the region as core 0.3 laid it out, by id.
      const image = new Uint8Array(core.exports.heapStateBytes());
      let at = 0;
      for (const chunk of core.heap.imageChunks()) { image.set(chunk, at); at += chunk.length; }
      expect(`${hex32(crc32(new Uint8Array(results.buffer)))} ${hex32(crc32(image))}`).toBe(expected);
    }, 60_000);
  }
});
