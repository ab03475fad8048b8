// Deadlock detection: a waits-for cycle of processes blocked for good becomes a sched/deadlocked
// event, a failure on the strip, with the cycle's processes and the last blocking event as cause.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { events, pidsOf } from '../helpers/queries';
import { eventText } from '../../src/worker/event-text';
import { densityStrip, nearestFailure } from '../../src/worker/density';
import { deadlockOf } from '../../src/kernel/syscalls/deadlock';

describe('deadlock detection', () => {
  it('the deadlock example says alice and bob wait on each other, once, caused by the last block', async () => {
    const kernel = await kernelFor(exampleText('deadlock.yaml'));
    expect(kernel.run({ events: 100_000 })).toBe('quiescent');
    const found = events(kernel, 'sched/deadlocked');
    expect(found).toHaveLength(1);
    const [alice] = pidsOf(kernel, 'alice'), [bob] = pidsOf(kernel, 'bob');
    const event = found[0];
    expect([event.pid, event.waitsOn].sort()).toEqual([alice, bob].sort());
    expect(event.processes).toBe(2);
    expect(kernel.machine.journal.event(event.cause)).toMatchObject({ type: 'sched/blocked', pid: event.pid });
    expect(event.cause).toBe(event.seq - 1);
    expect(eventText(kernel, event.seq)).toMatch(/^deadlocked: this process and (alice|bob) \(pid \d\) wait on each other forever$/);
    const strip = densityStrip(kernel, 1);
    expect(strip.errors[0]).toBeGreaterThanOrEqual(1);
    const detail = deadlockOf(kernel.ctx, kernel.machine.state, event.pid)!;
    expect(detail.pids).toEqual([alice, bob].sort());
    // Seeking over it replays it.
    const hash = kernel.stateHash(), end = kernel.cursor;
    kernel.seek(event.seq - 3);
    kernel.seek(end);
    expect(kernel.stateHash()).toBe(hash);
  });

  it('capacity 4 (no deadlock) and waits with a timeout are not deadlocks', async () => {
    const fixed = exampleText('deadlock.yaml').replace(/capacity: 2/g, 'capacity: 4').replace('repeat: forever', 'repeat: 20');
    const kernel = await kernelFor(fixed);
    kernel.run({ events: 100_000 });
    expect(events(kernel, 'sched/deadlocked')).toHaveLength(0);
    const timed = exampleText('deadlock.yaml').replace(/send: \{ port: (to_\w+), size: 64B \}/g, 'send: { port: $1, size: 64B, timeout: 1ms }')
      .replace(/recv: (from_\w+)/g, 'recv: { port: $1, timeout: 2ms }');
    const second = await kernelFor(timed);
    second.run({ events: 20_000 });
    expect(events(second, 'sched/deadlocked')).toHaveLength(0);
  });

  it('a three-process ring with a bystander that keeps running is found when the ring closes', async () => {
    const text = 'agentos: 1\nname: ring\nagents:\n'
      + ['a', 'b', 'c'].map((name, i) => `  ${name}:\n    program:\n      - recv: in\n      - send: out\n`).join('')
      + '  ticker:\n    program:\n      - repeat: 200\n        do:\n          - compute: 100us\n'
      + 'channels:\n  - { from: a.out, to: b.in }\n  - { from: b.out, to: c.in }\n  - { from: c.out, to: a.in }\n';
    const kernel = await kernelFor(text);
    kernel.run({ events: 100_000 });
    const found = events(kernel, 'sched/deadlocked');
    expect(found).toHaveLength(1);
    expect(found[0].processes).toBe(3);
    // Found before the ticker is done: while something else still runs.
    expect(found[0].tick).toBeLessThan(1000);
    expect(eventText(kernel, found[0].seq)).toMatch(/^deadlocked: waits on [abc] \(pid \d\); 3 processes wait on each other forever$/);
  });

  it('two processes each holding the unit the other bids for are deadlocked (dining philosophers)', async () => {
    const text = 'agentos: 1\nname: forks\nresources:\n  left: { units: 1 }\n  right: { units: 1 }\nagents:\n'
      + '  p:\n    program:\n      - bid: { resource: left, units: 1, price: 5 }\n      - compute: 1ms\n      - bid: { resource: right, units: 1, price: 5 }\n'
      + '  q:\n    program:\n      - bid: { resource: right, units: 1, price: 5 }\n      - compute: 1ms\n      - bid: { resource: left, units: 1, price: 5 }\n';
    const kernel = await kernelFor(text);
    expect(kernel.run({ events: 1000 })).toBe('quiescent');
    const found = events(kernel, 'sched/deadlocked');
    expect(found).toHaveLength(1);
    expect(found[0].processes).toBe(2);
    expect(kernel.machine.journal.event(found[0].cause)).toMatchObject({ type: 'resource/bid', pid: found[0].pid });
  });

  it('a cycle closed by a delivery (not a block) is found when the run goes quiet, once', async () => {
    // Each second send blocks while the first is still in flight (it could still be dropped):
    // only the deliveries close the cycle.
    const text = 'agentos: 1\nname: late\ncluster: { nodes: 2, latency: 100us }\nagents:\n'
      + '  alice:\n    node: n0\n    program:\n      - send: c\n      - send: c\n      - recv: d\n'
      + '  bob:\n    node: n1\n    program:\n      - send: d\n      - send: d\n      - recv: c\n'
      + 'channels:\n  - { from: alice.c, to: bob.c, capacity: 1 }\n  - { from: bob.d, to: alice.d, capacity: 1 }\n';
    const kernel = await kernelFor(text);
    expect(kernel.run({ events: 1000 })).toBe('quiescent');
    const found = events(kernel, 'sched/deadlocked');
    expect(found).toHaveLength(1);
    expect(found[0].seq).toBe(kernel.cursor - 1);
    expect(kernel.machine.journal.event(found[0].cause)).toMatchObject({ type: 'sched/blocked', pid: found[0].pid });
    expect(events(kernel, 'ipc/delivered').every((delivered) => delivered.seq < found[0].seq)).toBe(true);
    // Running again finds nothing new.
    expect(kernel.run({ events: 2000 })).toBe('quiescent');
    expect(events(kernel, 'sched/deadlocked')).toHaveLength(1);
    expect(nearestFailure(kernel, 0, 1)).toBe(found[0].seq + 1);
  });

  it('a recv whose only sender has exited is not a cycle', async () => {
    const text = 'agentos: 1\nname: orphan\nagents:\n  s:\n    program:\n      - send: out\n  r:\n    program:\n      - recv: in\n      - recv: in\nchannels:\n  - { from: s.out, to: r.in }\n';
    const kernel = await kernelFor(text);
    expect(kernel.run({ events: 1000 })).toBe('quiescent');
    expect(events(kernel, 'sched/deadlocked')).toHaveLength(0);
  });
});
