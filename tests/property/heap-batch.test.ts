// The batch interface is the one-call interface, command by command: random batches over several
// nodes (one unconfigured, one not initialized), good and bad pids, sizes, block ids and references
// to earlier commands give, on one core, the same results, the same allocator bytes and the same
// dirty pages as the same commands issued one by one (heapAlloc, heapFree, heapRealloc,
// heapFreeAll) on another. heapBatch checks a node once for a run of its commands (issue 14).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDebugCore } from '../helpers/core';
import { HeapOp } from '../../src/core/heap';
import type { Core } from '../../src/core/core';

const REF = 0x80000000;
const E_BLOCK = -6;
const NODES = 3; // node 2 is configured but never initialized; node 3 does not exist
const OWNERS = 4;

interface Command { op: number; node: number; pid: number; arg: number; arg2: number; ref: number | null }

const commandArb: fc.Arbitrary<Command> = fc.record({
  op: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(HeapOp.alloc, HeapOp.alloc, HeapOp.free, HeapOp.realloc) }, { weight: 1, arbitrary: fc.constantFrom(HeapOp.freeAll, 0, 7) }),
  node: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(0, 1) }, { weight: 1, arbitrary: fc.constantFrom(2, 3) }),
  pid: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0, max: OWNERS - 1 }) }, { weight: 1, arbitrary: fc.constant(OWNERS) }),
  arg: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 3000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 31 + 16) }),
  arg2: fc.integer({ min: 1, max: 3000 }),
  ref: fc.option(fc.nat(70), { freq: 3 }),
});


/** The first byte where a and b differ (-1: equal); shorter than toEqual's element-wise diff. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  if (Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))) return -1;
  return a.findIndex((byte, i) => byte !== b[i]);
}
const dirty = (core: Core) => new Uint8Array(core.exports.memory.buffer, core.exports.dirtyBitmapPtr(), core.exports.dirtyBitmapBytes()).slice();

describe('heap batch', () => {
  it('a batch gives the results, bytes and dirty pages of its commands issued one by one', async () => {
    const batched = await loadDebugCore(), single = await loadDebugCore();
    await fc.assert(fc.asyncProperty(fc.array(fc.array(commandArb, { minLength: 1, maxLength: 70 }), { minLength: 1, maxLength: 6 }), async (batches) => {
      for (const core of [batched, single]) {
        core.exports.releaseAllRegions();
        core.heap.configure(NODES, 128, OWNERS);
        core.heap.init(0, 'tlsf', 64 * 1024);
        core.heap.init(1, 'first-fit', 64 * 1024);
        core.exports.clearDirty();
      }
      // Block ids a free or realloc names: small numbers (some live, some not) or an earlier command.
      for (const commands of batches) {
        const batch = batched.heap.batch();
        for (const c of commands) {
          const block = c.ref !== null ? (REF | c.ref) >>> 0 : c.arg % 40;
          batch.push(c.op, c.node, c.pid, c.op === HeapOp.alloc ? c.arg : block, c.arg2);
        }
        const out = Array.from(batch.run());
        const expected: number[] = [];
        const h = single.heap;
        commands.forEach((c, i) => {
          let block = c.ref !== null ? (REF | c.ref) >>> 0 : c.arg % 40;
          if (c.ref !== null && c.op !== HeapOp.alloc) block = c.ref < i ? expected[c.ref * 4] >>> 0 : E_BLOCK >>> 0;
          let result: number, address = 0, size = 0;
          if (c.op === HeapOp.alloc || c.op === HeapOp.realloc) {
            result = c.op === HeapOp.alloc ? h.alloc(c.node, c.pid, c.arg) : h.realloc(c.node, c.pid, block, c.arg2);
            if (result >= 0) { address = h.blockAddress(c.node, result); size = h.blockSize(c.node, result); }
          } else if (c.op === HeapOp.free) result = h.free(c.node, c.pid, block);
          else if (c.op === HeapOp.freeAll) result = h.freeAll(c.node, c.pid);
          else result = -9;
          expected.push(result, address, size, 0);
        });
        expect(out).toEqual(expected);
      }
      expect(firstDifference(batched.heap.exportState(), single.heap.exportState()), 'first differing allocator byte').toBe(-1);
      expect(firstDifference(dirty(batched), dirty(single)), 'first differing dirty-bitmap byte').toBe(-1);
      batched.heap.checkInvariants(0);
      batched.heap.checkInvariants(1);
    }), { numRuns: 150, seed: 14 });
  });
});
