// Incremental snapshots rest on this: after any operations, every page whose bytes changed in the
// scheduler or allocator region has its dirty bit set (records never straddle a page, and each
// mutated record is marked). Random operations on several nodes and every policy/allocator.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDebugCore } from '../helpers/core';
import type { Core } from '../../src/core/core';
import { SCHED_POLICIES } from '../../src/core/sched';

function dirtyPages(core: Core): Set<number> {
  const x = core.exports;
  const words = new Uint32Array(x.memory.buffer, x.dirtyBitmapPtr(), x.dirtyBitmapWords());
  const pages = new Set<number>();
  words.forEach((word, i) => { for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) pages.add(i * 32 + bit); });
  return pages;
}

function expectChangedPagesDirty(core: Core, base: number, before: Uint8Array, after: Uint8Array): void {
  const pageBytes = core.exports.snapshotPageBytes();
  const dirty = dirtyPages(core);
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== after[i]) {
      const page = Math.floor((base + i) / pageBytes);
      if (!dirty.has(page)) expect.fail(`byte ${i} of the region changed on page ${page}, which is not marked dirty`);
    }
  }
}

/** The allocator's state is two regions, its main region then its id index: exportState() gives them in a row. */
function expectHeapPagesDirty(core: Core, before: Uint8Array, after: Uint8Array): void {
  const x = core.exports, main = x.heapStateBytes();
  expectChangedPagesDirty(core, x.heapStatePtr(), before.subarray(0, main), after.subarray(0, main));
  expectChangedPagesDirty(core, x.heapIndexPtr(), before.subarray(main), after.subarray(main));
}

const NODES = 3;
const CAPACITY = 300; // process records span several pages per node

describe('dirty-page tracking covers every change', () => {
  it('scheduler: random ops on 3 nodes under every policy', async () => {
    const core = await loadDebugCore();
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(8), fc.nat(NODES - 1), fc.nat(CAPACITY - 1), fc.integer({ min: -20, max: 19 })), { minLength: 50, maxLength: 400, size: 'max' }), async (ops) => {
      core.exports.releaseAllRegions();
      core.sched.configure(NODES, CAPACITY);
      for (let node = 0; node < NODES; node++) {
        core.sched.setPolicy(node, SCHED_POLICIES[node]);
        for (let pid = 0; pid < CAPACITY; pid += 2) core.sched.add(node, pid, pid % 40 - 20);
      }
      for (let chunk = 0; chunk < ops.length; chunk += 25) {
        core.exports.clearDirty();
        const before = core.sched.exportState();
        for (const [kind, node, pid, arg] of ops.slice(chunk, chunk + 25)) {
          const s = core.sched;
          switch (kind) {
            case 0: s.add(node, pid, arg); break;
            case 1: s.remove(node, pid); break;
            case 2: s.block(node, pid); break;
            case 3: s.wake(node, pid); break;
            case 4: { const pick = s.pick(node); if (pick.pid !== null) s.charge(node, pick.pid, pick.sliceTicks); break; }
            case 5: s.setNice(node, pid, arg); break;
            case 6: s.setPolicy(node, SCHED_POLICIES[(arg + 20) % 4]); break;
            default: { const pick = s.pick(node); if (pick.pid !== null) s.charge(node, pick.pid, 1 + (pid % 3000)); }
          }
        }
        expectChangedPagesDirty(core, core.exports.schedStatePtr(), before, core.sched.exportState());
      }
    }), { seed: 20261122, numRuns: 15 });
  });

  it('allocator: random allocs and frees on TLSF and buddy heaps', async () => {
    const core = await loadDebugCore();
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(4), fc.nat(NODES - 1), fc.nat(15), fc.integer({ min: 1, max: 70000 })), { minLength: 50, maxLength: 400, size: 'max' }), async (ops) => {
      core.exports.releaseAllRegions();
      core.heap.configure(NODES, 2000, 16);
      core.heap.init(0, 'tlsf', 8 << 20);
      core.heap.init(1, 'buddy', 8 << 20);
      core.heap.init(2, 'tlsf', 3 << 20);
      const live: number[][] = [[], [], []];
      for (let chunk = 0; chunk < ops.length; chunk += 25) {
        core.exports.clearDirty();
        const before = core.heap.exportState();
        for (const [kind, node, pid, bytes] of ops.slice(chunk, chunk + 25)) {
          if (kind <= 2) { const id = core.heap.alloc(node, pid, kind === 0 ? bytes : bytes % 300 + 1); if (id >= 0) live[node].push(id); }
          else if (kind === 3 && live[node].length) { const id = live[node].splice(bytes % live[node].length, 1)[0]; core.heap.free(node, core.exports.heapBlockOwner(node, id), id); }
          else { core.heap.freeAll(node, pid); live[node] = live[node].filter((id) => core.exports.heapBlockOwner(node, id) >= 0); }
        }
        expectHeapPagesDirty(core, before, core.heap.exportState());
      }
    }), { seed: 20261122, numRuns: 40 });
  });

  // After every single operation (a chunk of several could hide a missing mark behind another
  // operation's mark of the same page): every policy, realloc and live policy switches. The
  // allocator skips marks it knows an operation made already (issue 14); this pins that.
  it('allocator: each alloc, free, realloc, freeAll and switch marks every page it changes, on every policy and granule', async () => {
    const core = await loadDebugCore();
    // Nodes 0-3 of 16-byte granules, 4-7 of 8-byte granules.
    const policies = ['tlsf', 'buddy', 'first-fit', 'best-fit', 'tlsf', 'buddy', 'first-fit', 'best-fit'] as const;
    const op = fc.tuple(fc.nat(9), fc.nat(policies.length - 1), fc.nat(7), fc.integer({ min: 1, max: 9000 }));
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 50, maxLength: 250 }), async (ops) => {
      core.exports.releaseAllRegions();
      core.heap.configure(policies.length, 1000, 8);
      policies.forEach((policy, node) => core.heap.init(node, policy, 1 << 20, node < 4 ? 16 : 8));
      const live: number[][] = policies.map(() => []);
      for (const [kind, node, pid, bytes] of ops) {
        core.exports.clearDirty();
        const before = core.heap.exportState();
        const owner = (id: number) => core.exports.heapBlockOwner(node, id);
        if (kind <= 3) { const id = core.heap.alloc(node, pid, kind === 0 ? bytes : bytes % 200 + 1); if (id >= 0) live[node].push(id); }
        else if (kind <= 5 && live[node].length) { const id = live[node].splice(bytes % live[node].length, 1)[0]; core.heap.free(node, owner(id), id); }
        else if (kind <= 7 && live[node].length) {
          const at = bytes % live[node].length, id = live[node][at];
          const moved = core.heap.realloc(node, owner(id), id, kind === 6 ? bytes : bytes % 100 + 1);
          if (moved >= 0) live[node][at] = moved;
        } else if (kind === 8) { core.heap.freeAll(node, pid); live[node] = live[node].filter((id) => owner(id) >= 0); }
        else if (core.heap.allocator(node) !== 'buddy') core.heap.setAllocator(node, bytes % 2 === 0 ? 'first-fit' : bytes % 3 === 0 ? 'best-fit' : 'tlsf');
        expectHeapPagesDirty(core, before, core.heap.exportState());
      }
      policies.forEach((_, node) => core.heap.checkInvariants(node));
    }), { seed: 20261207, numRuns: 25 });
  });
});
