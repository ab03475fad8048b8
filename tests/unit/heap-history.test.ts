// heap-history.ts: the journal's heap events replayed on a scratch core reproduce each node's heap
// (same blocks at the same addresses, so the same fragmentation) at the cursor, through exits,
// failures, kills, node crashes and live allocator switches; the series ends at the kernel's figure.
import { describe, expect, it } from 'vitest';
import { exampleNames, exampleText, kernelFor } from '../helpers/kernel';
import { loadDebugCore } from '../helpers/core';
import { heapHistory } from '../../src/worker/heap-history';
import { metricsView } from '../../src/worker/views';
import type { Kernel } from '../../src/kernel/kernel';
import type { Core } from '../../src/core/core';

function expectSameHeaps(kernel: Kernel, scratch: Core): void {
  for (let node = 0; node < kernel.spec.cluster.nodeCount; node++) {
    const shape = (core: Core) => core.heap.map(node).map((range) => [range.address, range.size, range.owner === null]);
    expect(shape(scratch), `node ${node}`).toEqual(shape(kernel.core));
    expect({ ...scratch.heap.stats(node), failedAllocs: 0 }).toEqual({ ...kernel.core.heap.stats(node), failedAllocs: 0 }); // a failed alloc is not replayed
  }
}

describe('heap history (fragmentation over time)', () => {
  for (const name of exampleNames()) {
    it(`${name}: the replayed heaps are the kernel's at the cursor`, async () => {
      const kernel = await kernelFor(exampleText(name));
      kernel.run({ events: 4000 });
      const scratch = await loadDebugCore();
      const history = heapHistory(kernel, scratch, 1000, Math.ceil((kernel.tick + 1) / 1000));
      expect(history.events).toBe(kernel.cursor);
      expectSameHeaps(kernel, scratch);
      history.fragmentationPermille.forEach((series, node) => {
        expect(series[series.length - 1]).toBe(kernel.core.heap.stats(node).fragmentationPermille);
        expect(series.every((value) => value >= 0 && value <= 1000)).toBe(true);
      });
    });
  }

  it('follows a live allocator switch and a kill, and is part of the metrics view', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 300 });
    kernel.intervene({ kind: 'allocator', node: 0, allocator: 'first-fit' });
    kernel.run({ events: 600 });
    kernel.intervene({ kind: 'kill', pid: 1 });
    kernel.run({ events: 900 });
    kernel.intervene({ kind: 'allocator', node: 0, allocator: 'best-fit' });
    kernel.run({ events: 1500 });
    const scratch = await loadDebugCore();
    const view = metricsView(kernel, 64, scratch);
    expect(view.fragmentationPermille).toHaveLength(1);
    expect(view.fragmentationPermille[0]).toHaveLength(view.tick.length);
    expect(scratch.heap.allocator(0)).toBe('best-fit');
    expectSameHeaps(kernel, scratch);
    expect(metricsView(kernel, 64).fragmentationPermille).toEqual([]);
  });

  it('follows a live migration: the blocks leave one node and are allocated on the other, and are freed there later', async () => {
    const spec = `agentos: 1
cluster: { nodes: 2 }
agents:
  keeper:
    program:
      - alloc: { size: 3KiB, as: a }
      - alloc: { size: 5KiB, as: b }
      - alloc: { size: 1KiB, as: b }
      - sleep: 5ms
      - free: a
      - alloc: { size: 2KiB, as: c }
      - sleep: 5ms
  other: { program: [ { alloc: { size: 7KiB, as: x } }, { sleep: 20ms } ] }
`;
    const kernel = await kernelFor(spec);
    kernel.run({ ticks: 1000 });
    const pid = 0;
    expect(kernel.machine.state.procHeapBytes[pid]).toBe(9 * 1024);
    kernel.intervene({ kind: 'migrate', pid, node: 1 });
    kernel.run({ ticks: 100_000 });
    const scratch = await loadDebugCore();
    const history = heapHistory(kernel, scratch, 1000, Math.ceil((kernel.tick + 1) / 1000));
    expect(history.events).toBe(kernel.cursor);
    expectSameHeaps(kernel, scratch);
  });
});
