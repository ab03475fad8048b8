import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { pidsOf } from '../helpers/queries';
import { Status } from '../../src/kernel/state';

describe('bisect, stepping, diffs, injected messages, topologies', () => {
  it('bisect finds the first event at which the leaking cache has failed', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 100_000 });
    const [cache] = pidsOf(kernel, 'cache');
    const failedAt = kernel.bisect((k) => k.machine.state.procStatus[cache] === Status.failed);
    expect(failedAt).toBeDefined();
    expect(kernel.machine.journal.event(failedAt! - 1)).toMatchObject({ type: 'process/failed', pid: cache });
    expect(kernel.cursor).toBe(failedAt);
    kernel.stepBack();
    expect(kernel.machine.state.procStatus[cache]).not.toBe(Status.failed);
    kernel.stepForward();
    expect(kernel.machine.state.procStatus[cache]).toBe(Status.failed);
    expect(kernel.bisect(() => false)).toBeUndefined();
  });

  it('diffs two points on different branches as {added, updated, removed}', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 2000 });
    kernel.seek(1000);
    kernel.intervene({ kind: 'kill', pid: 1 });
    kernel.run({ events: 2000 });
    const diff = kernel.diff({ branch: 0, seq: 2000 }, { branch: 1, seq: 2000 });
    expect(diff.updated['process 1'][0].status).not.toBe('failed');
    expect(diff.updated['process 1'][1].status).toBe('failed');
    expect(diff.added).toEqual({});
    expect(diff.removed).toEqual({});
    expect(kernel.timeline.current).toBe(1);
    expect(kernel.cursor).toBe(2000);
    const growth = kernel.diff({ seq: 3 }, { seq: 6 });
    expect(Object.keys(growth.added)).toEqual(['process 2', 'process 3', 'process 4']);
  });

  it('an injected message reaches a blocked receiver', async () => {
    const kernel = await kernelFor('agentos: 1\nname: inject\nagents:\n  src:\n    program:\n      - sleep: 1s\n      - send: out\n  sink:\n    program:\n      - recv: in\n      - compute: 10us\nchannels:\n  - { from: src.out, to: sink.in }\n');
    kernel.run({ events: 7 });
    const [sink] = pidsOf(kernel, 'sink');
    expect(kernel.machine.state.procStatus[sink]).toBe(Status.blocked);
    kernel.intervene({ kind: 'inject', channel: 0, size: 99 });
    kernel.run({ events: 14 });
    expect(kernel.machine.state.procReceived[sink]).toBe(1);
    expect(() => kernel.intervene({ kind: 'inject', channel: 5, size: 1 })).toThrow(/there is no channel 5/);
  });

  it('messages between ring neighbours take one latency, across the ring several', async () => {
    const spec = (to: string) => `agentos: 1\nname: ring\ncluster:\n  nodes: 5\n  topology: ring\n  latency: 1ms\nagents:\n  a:\n    node: n0\n    program:\n      - send: out\n  b:\n    node: ${to}\n    program:\n      - recv: in\nchannels:\n  - { from: a.out, to: b.in }\n`;
    for (const [node, hops] of [['n1', 1], ['n2', 2], ['n3', 2], ['n4', 1]] as const) {
      const kernel = await kernelFor(spec(node));
      kernel.run({ events: 100 });
      const sent = kernel.machine.journal.event(Array.from({ length: kernel.cursor }, (_, i) => i).find((i) => kernel.machine.journal.event(i).type === 'ipc/sent')!);
      expect((sent as { delay: number }).delay, node).toBe(hops * 1000);
    }
  });
});
