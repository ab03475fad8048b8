// public/examples/small-objects.yaml tells a first-time user what to compare between its run under
// 16-byte granules and under `granule: 8B`. Its first words sent them to the Memory panel's peak,
// which is the whole 256KiB heap both times (the parser runs until the heap is full either way);
// what differs is how much the parser kept when its allocation failed (the Processes table's heap B,
// the Memory panel's "it holds …"): about 18% more with 8-byte granules.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { memoryView } from '../../src/worker/views';
import { exampleText, kernelFor } from '../helpers/kernel';

async function atFailure(text: string) {
  const whole = await kernelFor(text);
  whole.run({ events: 100_000 });
  const failed = memoryView(whole, 0).lastFailedAlloc;
  if (!failed) throw new Error('the parser never ran out');
  const kernel = await kernelFor(text);
  kernel.run({ events: failed.seq + 1 });
  const view = memoryView(kernel, 0);
  return { held: view.lastFailedAlloc!.heldBytes, peak: view.peakUsedBytes, heap: view.heapBytes };
}

describe('the small-objects example', () => {
  it('what its description sends the user to compare differs between 16- and 8-byte granules (the peak does not)', async () => {
    const text = exampleText('small-objects.yaml');
    const coarse = await atFailure(text);
    const fine = await atFailure(text.replace('  allocator: tlsf\n', '  allocator: tlsf\n  granule: 8B\n'));
    // The peak is the whole heap (to within a block) both ways: no comparison there.
    for (const run of [coarse, fine]) expect(run.peak).toBeGreaterThan(run.heap - 400);
    // What the parser kept: 1,636 whole steps of 136 B and a 24 and a 40 under 16-byte granules
    // (its 72 failed), about 18% more under 8.
    expect(coarse.held).toBe(1636 * 136 + 24 + 40);
    expect(fine.held / coarse.held).toBeGreaterThan(1.15);
    expect(fine.held / coarse.held).toBeLessThan(1.2);
    const description = (parse(text) as { description: string }).description;
    expect(description).not.toMatch(/peak/);
    expect(description).toMatch(/heap B/);
  });
});
