// The worker's read-side views (src/worker/views.ts) against the kernel they read: the heap map
// tiles the heap and agrees with the kernel's accounting, the metrics series end where the state
// is, the profile's widths add up to the state's CPU ticks.
import { describe, expect, it } from 'vitest';
import { exampleNames, exampleText, kernelFor } from '../helpers/kernel';
import type { Kernel } from '../../src/kernel/kernel';
import { Scalar } from '../../src/kernel/state';
import { cpuTicksAt } from '../../src/kernel/reducers/cpu';
import { EventCode } from '../../src/kernel/events';
import { FREE_PID, MEMORY_RANGES_MAX, METRICS_POINTS_MAX, memoryView, metricsView, profileView } from '../../src/worker/views';

const EVENTS = 20_000;

function heapOfPids(kernel: Kernel, node: number): Map<number, number> {
  const { state } = kernel.machine;
  const bytes = new Map<number, number>();
  for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) {
    if (state.procNode[pid] === node && state.procHeapBytes[pid] > 0) bytes.set(pid, state.procHeapBytes[pid]);
  }
  return bytes;
}

function expectTiles(view: ReturnType<typeof memoryView>) {
  let next = 0;
  for (let i = 0; i < view.address.length; i++) {
    expect(view.address[i], `range ${i} starts where range ${i - 1} ends`).toBe(next);
    expect(view.size[i]).toBeGreaterThan(0);
    next += view.size[i];
  }
  expect(next).toBe(view.heapBytes);
  expect(view.address.length).toBeLessThanOrEqual(MEMORY_RANGES_MAX);
}

describe('memoryView', () => {
  it('tiles the heap and its owners hold what the kernel says each process holds (memory-leak)', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 400 });
    const view = memoryView(kernel, 0);
    expectTiles(view);
    expect(view.usedBytes + view.freeBytes).toBe(view.heapBytes);
    const owned = new Map(view.owners.map((owner) => [owner.pid, owner.bytes]));
    const expected = heapOfPids(kernel, 0);
    expect(expected.size).toBeGreaterThan(0);
    // The allocator may round a block up; it never gives a process less than it asked for.
    for (const [pid, bytes] of expected) {
      expect(owned.get(pid), `pid ${pid}`).toBeGreaterThanOrEqual(bytes);
      expect(owned.get(pid)!).toBeLessThan(bytes * 1.1 + 64);
    }
    for (const pid of owned.keys()) expect(expected.has(pid), `pid ${pid} owns heap in the map only`).toBe(true);
    const usedInMap = view.owners.reduce((sum, owner) => sum + owner.bytes, 0);
    expect(usedInMap).toBe(view.usedBytes);
    expect(view.owners.find((owner) => owner.pid === 0)?.agent).toBe('cache');
  });

  it('follows the cursor: seeking back shows the smaller heap of then', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 400 });
    const late = memoryView(kernel, 0);
    kernel.seek(100);
    const early = memoryView(kernel, 0);
    expectTiles(early);
    expect(early.usedBytes).toBeLessThan(late.usedBytes);
  });

  it('merges small blocks so a fragmented heap stays within MEMORY_RANGES_MAX', async () => {
    // 2,000 processes each holding a few small blocks: more core ranges than the view may send.
    const spec = `agentos: 1
name: many-small
kernel: { memory: 1MiB }
agents:
  holder:
    replicas: 2000
    memory: 1KiB
    program:
      - alloc: { size: 48B, as: a }
      - alloc: { size: 16B, as: b }
      - sleep: 1000s
`;
    const kernel = await kernelFor(spec);
    kernel.run({ events: 10_500 });
    const view = memoryView(kernel, 0);
    expectTiles(view);
    expect(view.parts.some((parts) => parts > 1)).toBe(true);
    expect([...view.size].filter((_, i) => view.parts[i] === 1).every((size) => size >= view.mergeBelowBytes)).toBe(true);
    const owned = view.owners.reduce((sum, owner) => sum + owner.bytes, 0);
    expect(owned).toBe(view.usedBytes);
    const holders = heapOfPids(kernel, 0);
    expect(holders.size).toBeGreaterThan(1000);
    expect(view.owners.map((owner) => owner.pid).sort((x, y) => x - y)).toEqual([...holders.keys()].sort((x, y) => x - y));
  });

  it('counts the failed allocations the journal has (a limit failure too) and says what became of the last one', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 5_000 });
    const journal = kernel.machine.journal;
    let exhausted = -1;
    for (let seq = 0; seq < journal.length && exhausted < 0; seq++) if (journal.type(seq) === EventCode['heap/exhausted']) exhausted = seq;
    expect(exhausted).toBeGreaterThan(0);
    kernel.seek(exhausted);
    expect(memoryView(kernel, 0).failedAllocs).toBe(0);
    // Just after the out-of-memory event: the cache still holds its 256 KiB, and the failure counts.
    kernel.seek(exhausted + 1);
    const atOom = memoryView(kernel, 0);
    expect(atOom.failedAllocs).toBe(1);
    expect(atOom.lastFailedAlloc).toMatchObject({ seq: exhausted, pid: 0, agent: 'cache', why: 'limit', sizeBytes: 4096, limitBytes: 262144, heldBytes: 262144 });
    expect(atOom.owners.find((owner) => owner.pid === 0)?.bytes).toBeGreaterThanOrEqual(262144);
    // Once the process has failed its blocks are freed: the map is empty, and the view says why.
    kernel.seek(kernel.machine.journal.length);
    const after = memoryView(kernel, 0);
    expect(after.failedAllocs).toBe(1);
    expect(after.lastFailedAlloc).toMatchObject({ seq: exhausted, status: 'failed', heldBytes: 0 });
  });

  it('refuses a node that does not exist', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    expect(() => memoryView(kernel, 5)).toThrow(/no node 5/);
  });
});

describe('metricsView now and peak', () => {
  it('the peak of runnable processes is an instant, like now: never below now, never below the highest mean', async () => {
    for (const name of ['priority-starvation.yaml', 'map-reduce.yaml', 'memory-leak.yaml', 'deadlock.yaml']) {
      const kernel = await kernelFor(exampleText(name));
      for (const events of [50, 700, 5000]) {
        kernel.run({ events });
        const view = metricsView(kernel, 256);
        expect(view.runnablePeak, `${name} @${events}`).toBeGreaterThanOrEqual(view.runnableNow);
        expect(view.runnablePeak, `${name} @${events}`).toBeGreaterThanOrEqual(Math.max(...view.runnable) - 1e-9);
        expect(Number.isInteger(view.runnablePeak)).toBe(true);
      }
    }
  });
});

describe('metricsView', () => {
  it.each(exampleNames())('%s: bounded series that end at the state of the cursor', async (name) => {
    const kernel = await kernelFor(exampleText(name));
    kernel.run({ events: EVENTS });
    const view = metricsView(kernel);
    const { state } = kernel.machine;
    const count = view.tick.length;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(METRICS_POINTS_MAX);
    for (const series of [view.runnable, view.heapBytes, view.messagesPerMs]) {
      expect(series.length).toBe(count);
      for (const value of series) expect(value).toBeGreaterThanOrEqual(0);
    }
    for (let i = 1; i < count; i++) expect(view.tick[i]).toBeGreaterThan(view.tick[i - 1]);
    expect(view.tick[count - 1]).toBe(kernel.machine.journal.tick(kernel.cursor - 1));
    const runnableNow = state.nodeRunnable.reduce((sum, value) => sum + value, 0);
    const heapNow = state.nodeHeapBytes.reduce((sum, value) => sum + value, 0);
    expect(view.runnableNow).toBe(runnableNow);
    expect(view.heapBytesNow).toBe(heapNow);
    expect(view.heapBytes[count - 1]).toBeGreaterThanOrEqual(heapNow);
    for (const value of view.runnable) expect(value).toBeLessThanOrEqual(state.scalars[Scalar.nextPid]);
    const lastTick = kernel.machine.journal.tick(kernel.cursor - 1);
    const widthOf = (bucket: number) => Math.min(lastTick + 1, (bucket + 1) * view.bucketTicks) - bucket * view.bucketTicks;
    const sentEvents = Array.from({ length: kernel.cursor }, (_, seq) => kernel.machine.journal.type(seq)).filter((type) => type === EventCode['ipc/sent']).length;
    const sentInView = view.messagesPerMs.reduce((sum, rate, bucket) => sum + (rate * widthOf(bucket)) / 1000, 0);
    expect(sentInView).toBeCloseTo(sentEvents, 6);
  });

  // The reference: seek to every event and read the state; integrate over virtual time.
  it.each(['memory-leak.yaml', 'map-reduce.yaml', 'crash-restart.yaml', 'deadlock.yaml'])('%s: the series equal the state read at every event', async (name) => {
    const kernel = await kernelFor(exampleText(name));
    kernel.run({ events: 3000 });
    const view = metricsView(kernel, 64);
    const journal = kernel.machine.journal;
    const events = kernel.cursor;
    const endTick = journal.tick(events - 1) + 1;
    const count = view.tick.length;
    const integral = new Float64Array(count), peak = new Float64Array(count);
    kernel.seek(0);
    for (let seq = 1; seq <= events; seq++) {
      kernel.seek(seq);
      const { state } = kernel.machine;
      const runnable = state.nodeRunnable.reduce((sum, value) => sum + value, 0);
      const heap = state.nodeHeapBytes.reduce((sum, value) => sum + value, 0);
      const from = journal.tick(seq - 1), to = seq < events ? journal.tick(seq) : endTick;
      const bucket = Math.min(count - 1, Math.floor(from / view.bucketTicks));
      peak[bucket] = Math.max(peak[bucket], heap);
      for (let b = bucket; b < count && b * view.bucketTicks < to; b++) {
        const overlap = Math.min(to, (b + 1) * view.bucketTicks) - Math.max(from, b * view.bucketTicks);
        if (overlap > 0) integral[b] += runnable * overlap;
        if (b > bucket) peak[b] = Math.max(peak[b], heap);
      }
    }
    for (let b = 0; b < count; b++) {
      const width = Math.min(endTick, (b + 1) * view.bucketTicks) - b * view.bucketTicks;
      expect(view.runnable[b], `runnable in bucket ${b}`).toBeCloseTo(integral[b] / width, 9);
      expect(view.heapBytes[b], `heap in bucket ${b}`).toBe(peak[b]);
    }
  });

  it('after a seek back, reads only up to the cursor', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 2000 });
    kernel.seek(300);
    const view = metricsView(kernel);
    expect(view.events).toBe(300);
    expect(view.tick[view.tick.length - 1]).toBe(kernel.machine.journal.tick(299));
    expect(view.heapBytesNow).toBe(kernel.machine.state.nodeHeapBytes[0]);
  });
});

describe('profileView', () => {
  it.each(exampleNames())('%s: agents sum to the state CPU ticks, steps sum to their agent', async (name) => {
    const kernel = await kernelFor(exampleText(name));
    kernel.run({ events: EVENTS });
    const view = profileView(kernel);
    const { state } = kernel.machine;
    let total = 0;
    for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) total += cpuTicksAt(state, pid);
    expect(view.cpuTicks).toBe(total);
    expect(view.agents.reduce((sum, agent) => sum + agent.cpuTicks, 0)).toBe(total);
    expect(view.agents.length).toBe(kernel.spec.agents.length);
    for (const agent of view.agents) {
      const steps = agent.steps.reduce((sum, step) => sum + step.ticks, 0);
      expect(steps).toBeCloseTo(agent.cpuTicks, 3);
      for (const step of agent.steps) expect(step.ticks).toBeGreaterThanOrEqual(0);
    }
  });

  it('credits compute steps with their drawn ticks (memory-leak: the service computes 300us jobs)', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 3000 });
    const service = profileView(kernel).agents.find((agent) => agent.agent === 'service')!;
    const compute = service.steps.find((step) => step.kind === 'compute')!;
    expect(compute.count).toBeGreaterThan(0);
    expect(compute.ticks).toBeGreaterThan(service.cpuTicks * 0.5);
    expect(service.steps.find((step) => step.kind === 'alloc')?.count).toBeGreaterThan(0);
  });
});

describe('CPU time of a running process', () => {
  it.each(exampleNames())('%s: at every event, each process has at least the CPU its computed steps took (its current slice counts)', async (name) => {
    const kernel = await kernelFor(exampleText(name));
    kernel.run({ events: 400 });
    const { journal, state } = kernel.machine;
    const computed = new Map<number, number>();
    const end = kernel.cursor;
    for (let seq = 0; seq < end; seq++) {
      if (journal.type(seq) === EventCode['cpu/computed']) computed.set(journal.pid(seq), (computed.get(journal.pid(seq)) ?? 0) + journal.a(seq));
      if (seq % 7 !== 0) continue;
      kernel.seek(seq + 1);
      const rows = kernel.agents();
      let total = 0;
      for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) {
        const cpu = cpuTicksAt(state, pid);
        expect(cpu, `pid ${pid} after event #${seq}: CPU against its computed steps`).toBeGreaterThanOrEqual(computed.get(pid) ?? 0);
        expect(cpu).toBeGreaterThanOrEqual(state.procCpuTicks[pid]);
        total += cpu;
      }
      expect(rows.reduce((sum, row) => sum + row.cpuTicks, 0), `agent rows after event #${seq}`).toBe(total);
      kernel.seek(end);
    }
  });
});

it('views do not change the kernel', async () => {
  const kernel = await kernelFor(exampleText('memory-leak.yaml'));
  kernel.run({ events: 1000 });
  const hash = kernel.stateHash();
  memoryView(kernel, 0);
  metricsView(kernel);
  profileView(kernel);
  expect(kernel.stateHash()).toBe(hash);
  expect(FREE_PID).toBe(-1);
});
