// Allocator policies in the kernel: chosen per node by the spec (`kernel.allocator`: one name, or
// a list, one per node), switched live by an intervention (a branch; blocks stay where they are;
// buddy only on an empty heap), replayed from a session to the same state.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { Kernel } from '../../src/kernel/kernel';
import { loadDebugCore } from '../helpers/core';
import { parseSpec, formatSpecError } from '../../src/spec/parse';
import { eventText } from '../../src/worker/event-text';

const spec = (allocator: string, nodes = 2) => `agentos: 1
name: allocators
seed: 5
kernel:
  memory: 1MiB
  allocator: ${allocator}
cluster: { nodes: ${nodes} }
agents:
  left:
    node: n0
    memory: 256KiB
    program: worker
    args: { jobs: 200, work: 300us, memory: 16KiB, think: 200us }
  right:
    node: n${nodes - 1}
    memory: 256KiB
    program: worker
    args: { jobs: 200, work: 300us, memory: 24KiB, think: 100us }
`;

describe('allocator policies in the kernel', () => {
  it('the spec chooses one allocator for every node, or one per node', async () => {
    const every = await kernelFor(spec('best-fit'));
    expect([every.core.heap.allocator(0), every.core.heap.allocator(1)]).toEqual(['best-fit', 'best-fit']);
    const each = await kernelFor(spec('[first-fit, buddy]'));
    expect([each.core.heap.allocator(0), each.core.heap.allocator(1)]).toEqual(['first-fit', 'buddy']);
    each.run({ events: 2000 });
    each.core.heap.checkInvariants(0);
    each.core.heap.checkInvariants(1);
  });

  it('a list of the wrong length or an unknown name is an error at its place', () => {
    const short = parseSpec(spec('[tlsf]'));
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.errors.map(formatSpecError).join('\n')).toMatch(/^kernel: allocator lists 1 allocator for 2 nodes: one per node, n0 first at \d+:\d+$/);
    const unknown = parseSpec(spec('[tlsf, worst-fit]'));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors.map(formatSpecError).join('\n')).toBe('kernel.allocator[1]: expected one of tlsf, buddy, first-fit, best-fit (did you mean "first-fit"?) at 6:21');
  });

  it('a live switch is a branch: blocks stay, the new policy places the next ones, and a session replays it', async () => {
    const kernel = await kernelFor(spec('tlsf'));
    kernel.run({ events: 1500 });
    const before = kernel.core.heap.map(1);
    kernel.intervene({ kind: 'allocator', node: 1, allocator: 'first-fit' });
    expect(kernel.core.heap.allocator(1)).toBe('first-fit');
    expect(kernel.core.heap.map(1)).toEqual(before);
    const event = kernel.machine.journal.event(1500);
    expect(event).toMatchObject({ type: 'user/intervened', node: 1 });
    expect(eventText(kernel, 1500)).toBe('user: allocator → first-fit');
    kernel.run({ events: 3000 });
    kernel.core.heap.checkInvariants(1);
    const replayed = Kernel.fromSession(kernel.toSession(), await loadDebugCore());
    expect(replayed.stateHash()).toBe(kernel.stateHash());
    expect(replayed.core.heap.allocator(1)).toBe('first-fit');
    expect(kernel.timeline.undo()).toBe(true);
    expect(kernel.core.heap.allocator(1)).toBe('tlsf');
  });

  it('refuses buddy on a heap with blocks in use, saying why, and changes nothing', async () => {
    const kernel = await kernelFor(spec('tlsf'));
    for (let guard = 0; guard < 100 && kernel.core.heap.stats(0).usedBlocks === 0; guard++) kernel.run({ events: kernel.cursor + 7 });
    expect(kernel.core.heap.stats(0).usedBlocks).toBeGreaterThan(0);
    const hash = kernel.stateHash();
    expect(() => kernel.intervene({ kind: 'allocator', node: 0, allocator: 'buddy' })).toThrow(/node n0 has blocks in use: buddy needs an empty heap/);
    expect(kernel.stateHash()).toBe(hash);
    expect(kernel.timeline.branches).toHaveLength(1);
  });
});
