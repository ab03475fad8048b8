// Readiness probes (issue 13): a process that is not ready gets no messages from its shared
// input queue (another replica takes them, its own recv waits), every change is an event, and
// the run is deterministic (same journal twice, seeks give the live hash, invariants hold).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kernelFor } from '../helpers/kernel';
import { events } from '../helpers/queries';
import { EventCode as E, ReadyReason } from '../../src/kernel/events';
import { eventText } from '../../src/worker/event-text';
import { checkInvariants } from '../../src/kernel/invariants';
import { parseSpec } from '../../src/spec';
import type { Kernel } from '../../src/kernel/kernel';

/** Two replicas share the jobs queue; each takes 4 buffers of 4KiB, polls 3 more times holding them, frees them: at 16KiB it is not ready. */
const spec = (seed: number, readiness = '{ heap: 16KiB, period: 1ms }') => `agentos: 1
seed: ${seed}
agents:
  feed: { program: producer, args: { size: 64B, every: 150us..350us, port: out } }
  worker:
    replicas: 2
    memory: 64KiB
    readiness: ${readiness}
    program:
      - repeat: forever
        do:
          - recv: { port: jobs, timeout: 1ms }
          - compute: 100us..300us
          - alloc: { size: 4KiB, as: a }
          - recv: { port: jobs, timeout: 1ms }
          - alloc: { size: 4KiB, as: b }
          - recv: { port: jobs, timeout: 1ms }
          - alloc: { size: 4KiB, as: c }
          - recv: { port: jobs, timeout: 1ms }
          - alloc: { size: 4KiB, as: d }
          - compute: 500us
          - recv: { port: jobs, timeout: 1ms }
          - recv: { port: jobs, timeout: 1ms }
          - recv: { port: jobs, timeout: 1ms }
          - free: a
          - free: b
          - free: c
          - free: d
channels:
  - { from: feed.out, to: worker.jobs, capacity: 64 }
`;

/** For each event, is its process ready (after applying it)? Replays the journal's readiness events. */
function receivedWhileUnready(kernel: Kernel): number[] {
  const journal = kernel.machine.journal;
  const unready = new Set<number>();
  const bad: number[] = [];
  for (let seq = 0; seq < kernel.cursor; seq++) {
    const type = journal.type(seq), pid = journal.pid(seq);
    if (type === E['probe/unready']) unready.add(pid);
    else if (type === E['probe/ready'] || type === E['process/restarted'] || type === E['process/spawned']) unready.delete(pid);
    else if (type === E['ipc/received'] && unready.has(pid)) bad.push(seq);
  }
  return bad;
}

describe('readiness probes', () => {
  it('a process whose heap reached the mark gets no messages until ready again; the other replica takes them', async () => {
    const kernel = await kernelFor(spec(7));
    kernel.run({ ticks: 100_000 });
    const unready = events(kernel, 'probe/unready'), ready = events(kernel, 'probe/ready');
    expect(unready.length).toBeGreaterThan(2);
    expect(ready.length).toBeGreaterThan(2);
    expect(receivedWhileUnready(kernel)).toEqual([]);
    // While one replica was not ready, the other received.
    const first = unready[0];
    const back = ready.find((event) => event.pid === first.pid && event.seq > first.seq)!;
    const others = events(kernel, 'ipc/received').filter((event) => event.seq > first.seq && event.seq < back.seq);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((event) => event.pid !== first.pid)).toBe(true);
    expect(first.heap).toBeGreaterThanOrEqual(16 * 1024);
    expect(back.reason).toBe(ReadyReason.heap);
    expect(eventText(kernel, first.seq)).toBe('not ready: its heap (16 KiB) reached the readiness mark (16 KiB); messages go to ready replicas');
    expect(eventText(kernel, back.seq)).toMatch(/^ready: its heap \(\d+ (KiB|B)\) is below the readiness mark \(16 KiB\); it gets messages again$/);
  });

  it('without the probe the same run hands messages to a replica holding 16KiB (the test can fail)', async () => {
    const text = spec(7).replace(/    readiness: .*\n/, '');
    const kernel = await kernelFor(text);
    kernel.run({ ticks: 100_000 });
    const journal = kernel.machine.journal;
    const held = new Map<number, number>();
    let receivedHolding = 0;
    for (let seq = 0; seq < kernel.cursor; seq++) {
      const type = journal.type(seq), pid = journal.pid(seq);
      if (type === E['heap/allocated']) held.set(pid, (held.get(pid) ?? 0) + journal.b(seq));
      if (type === E['heap/freed']) held.set(pid, (held.get(pid) ?? 0) - journal.b(seq));
      if (type === E['ipc/received'] && (held.get(pid) ?? 0) >= 16 * 1024) receivedHolding++;
    }
    expect(receivedHolding).toBeGreaterThan(0);
  });

  it('a warm-up delay: no message before it ends, then probe/ready (warmed up), again after a restart', async () => {
    const kernel = await kernelFor(spec(3, '5ms'));
    kernel.run({ ticks: 30_000 });
    const ready = events(kernel, 'probe/ready');
    expect(ready.map((event) => [event.pid, event.tick, event.reason])).toEqual([[1, 5000, ReadyReason.warmedUp], [2, 5000, ReadyReason.warmedUp]]);
    expect(events(kernel, 'ipc/received').every((event) => event.tick >= 5000)).toBe(true);
    expect(eventText(kernel, ready[0].seq)).toBe('ready: warmed up (its readiness delay of 5 ms ended); it gets messages');
    kernel.intervene({ kind: 'restart', pid: 1 });
    const at = kernel.tick;
    kernel.run({ ticks: at + 10_000 });
    const again = events(kernel, 'probe/ready').filter((event) => event.pid === 1 && event.seq > ready[1].seq);
    expect(again.map((event) => event.tick)).toEqual([at + 5000]);
    expect(events(kernel, 'ipc/received').filter((event) => event.pid === 1 && event.tick > at && event.tick < at + 5000)).toEqual([]);
  });

  it('generated seeds and marks: never a message to a process that is not ready; the same journal twice; seeks give the live hash', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 4, max: 20 }), fc.integer({ min: 0, max: 3 }), async (seed, markKiB, delayMs) => {
      const text = spec(seed, `{ heap: ${markKiB}KiB, period: 1ms${delayMs > 0 ? `, delay: ${delayMs}ms` : ''} }`);
      const a = await kernelFor(text), b = await kernelFor(text);
      a.run({ ticks: 40_000 });
      b.run({ ticks: 40_000 });
      const where = `SEED=${seed} mark=${markKiB}KiB delay=${delayMs}ms`;
      expect(receivedWhileUnready(a), where).toEqual([]);
      expect(b.cursor, where).toBe(a.cursor);
      expect(b.stateHash(), where).toBe(a.stateHash());
      checkInvariants(a.ctx, a.machine.state);
      const middle = a.cursor >> 1;
      const live = await kernelFor(text);
      live.run({ events: middle });
      a.seek(middle);
      expect(a.stateHash(), where).toBe(live.stateHash());
    }), { numRuns: 12, seed: 13, verbose: true });
  });

  it('spec errors at line:column', () => {
    const errors = (readiness: string) => {
      const result = parseSpec(spec(1, readiness));
      return result.ok ? [] : result.errors.map((error) => `${error.line}:${error.column} ${error.message}`);
    };
    expect(errors('{ delay: 1ms, period: 0us }')[0]).toMatch(/^8:38 expected a duration from 1us/);
    expect(errors('{ heap: 1MiB }')[0]).toMatch(/^8:24 heap: 1048576 bytes is more than the agent's memory limit/);
    expect(errors('{ heap: 4KiB, perod: 1ms }')[0]).toMatch(/^8:30 .*perod.*period/);
    expect(errors('soon')[0]).toMatch(/^8:16 /);
    expect(errors('20ms')).toEqual([]);
  });
});
