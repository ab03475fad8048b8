// The Memory panel's failed-allocation sentence: when a process's blocks take more than it asked
// for (rounded to whole granules), both figures are said, so "it holds 217 KiB" does not contradict
// the map's 256 KiB for the same process (the small-objects example under 16-byte granules).
import { describe, expect, it } from 'vitest';
import { failedAllocTail } from '../../src/ui/panels/failed-alloc';

describe('failedAllocTail', () => {
  const running = { why: 'heap' as const, limitBytes: 0, status: 'running' };
  it('says what the blocks take when rounding made them bigger than what was asked', () => {
    // small-objects at its failure (#13392): 1,637 steps of 24 + 40 + 72 = 136 B asked, 160 B in blocks.
    expect(failedAllocTail({ ...running, heldBytes: 1637 * 136 }, 1637 * 160))
      .toBe('and the heap had no room; it holds 217 KiB now (its blocks take 256 KiB: each is rounded up).');
  });
  it('says one figure when the blocks are what was asked, or the process has none in the map', () => {
    expect(failedAllocTail({ ...running, heldBytes: 4096 }, 4096)).toBe('and the heap had no room; it holds 4.00 KiB now.');
    expect(failedAllocTail({ ...running, heldBytes: 0 })).toBe('and the heap had no room; it holds 0 B now.');
  });
  it('keeps the other cases: a limit, a full block table, a failed process', () => {
    expect(failedAllocTail({ ...running, why: 'limit', limitBytes: 65536, heldBytes: 65000 }, 65024), 'no second figure that reads the same').toBe('over its 64.0 KiB limit; it holds 63.5 KiB now.');
    expect(failedAllocTail({ ...running, why: 'table', heldBytes: 0, status: 'failed' })).toBe('with the block table full; the process failed and its blocks were freed.');
    expect(failedAllocTail({ ...running, heldBytes: 10, status: 'restarting' })).toBe('and the heap had no room; the process failed.');
  });
});
