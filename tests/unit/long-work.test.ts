// Long work at the kernel level: a checkpoint restored in slices (Kernel.beginRestore) equals
// Kernel.fromCheckpoint; `find` (a forward scan) finds the first event of a condition that can
// stop holding, where bisect cannot; the worker's sliced find can be cancelled and puts the
// cursor back (worker/shell-api.ts with worker/long-work.ts).
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { loadDebugCore } from '../helpers/core';
import { Kernel } from '../../src/kernel/kernel';
import fc from 'fast-check';
import { Scalar, Status } from '../../src/kernel/state';
import { createShellApi, predicateOf } from '../../src/worker/shell-api';
import { EventCode } from '../../src/kernel/events';
import { longWork } from '../../src/worker/long-work';
import type { KernelStatus } from '../../src/worker/api';
import type { Kernel as KernelType } from '../../src/kernel/kernel';
import { checksummedBytes, decodeCheckpoint, encodeCheckpoint } from '../../src/persist/checkpoint';
import { CRC32_SLICE_BYTES, CRC32_START, crc32, crc32Final, crc32Sliced, crc32Update } from '../../src/persist/checksum';
import { progressCount, progressFraction, progressText } from '../../src/ui/progress';

const statusOf = (kernel: KernelType) => (): KernelStatus => ({
  loaded: true, name: '', cursor: kernel.cursor, events: kernel.machine.journal.length, tick: kernel.tick,
  stateHash: '', stopped: 'events', journalEventsMax: 0, ...(longWork.progress ? { work: { ...longWork.progress } } : {}),
});

/** The first cursor in [from, to] where `holds`, by seeking to every one of them. */
function bruteFirst(kernel: KernelType, holds: (k: KernelType) => boolean, from: number, to: number): number | undefined {
  for (let seq = from; seq <= to; seq++) {
    kernel.seek(seq);
    if (holds(kernel)) return seq;
  }
  return undefined;
}

function pidOf(kernel: KernelType, agent: string): number {
  const index = kernel.spec.agents.findIndex((a) => a.name === agent);
  for (let pid = 0; pid < kernel.spec.processCount; pid++) if (kernel.machine.state.procAgent[pid] === index) return pid;
  throw new Error(`no process of ${agent}`);
}

describe('a checkpoint restored in slices', () => {
  it('reaches the same cursor and stateHash as fromCheckpoint, reporting progress on the way', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 20_000 });
    kernel.seek(9000);
    kernel.intervene({ kind: 'nice', pid: 2, nice: 10 });
    kernel.run({ events: 30_000 });
    kernel.seek(25_000);
    const data = kernel.checkpointData();

    const whole = Kernel.fromCheckpoint(data, await loadDebugCore());
    const restore = Kernel.beginRestore(data, await loadDebugCore());
    // Every branch's own events: main's 20,000 and the branch's 21,000 after its fork at 9000.
    expect(restore.events).toBe(20_000 + 21_000);
    const progress: number[] = [];
    // A deadline that says stop at every look (every 1024 events): many small slices.
    while (!restore.advance(() => true)) progress.push(restore.done);
    expect(progress.length).toBeGreaterThan(20);
    expect(progress.every((done, index) => index === 0 || done > progress[index - 1])).toBe(true);
    expect(progress[progress.length - 1]).toBeLessThan(41_000);
    const sliced = restore.finish();

    expect(sliced.cursor).toBe(25_000);
    expect(sliced.stateHash()).toBe(whole.stateHash());
    expect(sliced.stateHash()).toBe(kernel.stateHash());
    sliced.seek(30_000);
    kernel.seek(30_000);
    expect(sliced.stateHash()).toBe(kernel.stateHash());
  });

  it('a full journal (its last event is limit/reached) seeks to its end and restores', async () => {
    const kernel = Kernel.fromText(exampleText('swarm.yaml'), await loadDebugCore(), { eventsMax: 5000 });
    expect(kernel.run({ events: 10_000 })).toBe('journal-full');
    const hash = kernel.stateHash();
    kernel.seek(100);
    kernel.seek(5000);
    expect(kernel.stateHash()).toBe(hash);
    const restored = Kernel.fromCheckpoint(kernel.checkpointData(), await loadDebugCore(), { eventsMax: 5000 });
    expect(restored.cursor).toBe(5000);
    expect(restored.stateHash()).toBe(hash);
  });

  it('refuses to finish before the journal was re-executed', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 5000 });
    const restore = Kernel.beginRestore(kernel.checkpointData(), await loadDebugCore());
    restore.advance(() => true);
    expect(() => restore.finish()).toThrow(/has 5000 events but re-execution stopped at 1024/);
  });
});

describe('a checkpoint\'s checksum in parts (the worker checks large files in slices)', () => {
  it('equals the checksum in one go, and decodeCheckpoint takes it instead of computing it', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 3000 });
    const bytes = encodeCheckpoint(kernel.checkpointData());
    const part = checksummedBytes(bytes);
    let crc = CRC32_START;
    for (let offset = 0; offset < part.length; offset += 777) crc = crc32Update(crc, part.subarray(offset, offset + 777));
    expect(crc32Final(crc)).toBe(crc32(part));
    expect(decodeCheckpoint(bytes, 'x', crc32Final(crc)).session.cursor).toBe(3000);
    expect(() => decodeCheckpoint(bytes, 'the file x.agentos', crc32Final(crc) ^ 1)).toThrow(/the file x.agentos is corrupt: checksum/);
  });
  it('crc32Sliced (stored records, on the page) equals crc32 and yields between slices', async () => {
    const bytes = new Uint8Array(CRC32_SLICE_BYTES * 2 + 5).map((_, i) => (i * 31) & 0xff);
    let pauses = 0;
    expect(await crc32Sliced(bytes, async () => void pauses++)).toBe(crc32(bytes));
    expect(pauses).toBe(2);
    expect(await crc32Sliced(new Uint8Array(0))).toBe(crc32(new Uint8Array(0)));
  });
});

describe('find: a forward scan for a condition that can stop holding', () => {
  it('finds the first event where the service is blocked, where bisect answers never', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 20_000 });
    const end = kernel.cursor;
    const service = pidOf(kernel, 'service');
    const blocked = (k: KernelType) => k.machine.state.procStatus[service] === Status.blocked;
    const first = bruteFirst(kernel, blocked, 0, end);
    expect(first).toBeDefined();
    kernel.seek(end);
    expect(blocked(kernel)).toBe(false); // exited by the end: not monotone

    kernel.seek(0);
    expect(kernel.bisect(blocked)).toBeUndefined();
    expect(kernel.find(blocked, 0)).toBe(first);
    expect(kernel.cursor).toBe(first);
    // From the cursor: the next time it holds again after it stopped holding.
    const stops = bruteFirst(kernel, (k) => !blocked(k), first!, end)!;
    const again = bruteFirst(kernel, blocked, stops, end)!;
    kernel.seek(stops);
    expect(kernel.find(blocked)).toBe(again);
  });

  it('finds the first event where bisect, on a branch where it holds at the end, answers a later one', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 20_000 });
    const service = pidOf(kernel, 'service');
    const blocked = (k: KernelType) => k.machine.state.procStatus[service] === Status.blocked;
    // Cut the branch at a late moment where the service is blocked: bisect can answer now.
    let cut = Math.floor((kernel.cursor * 3) / 4);
    kernel.seek(cut);
    while (!blocked(kernel)) kernel.seek(++cut);
    const branch = await kernelFor(exampleText('memory-leak.yaml'));
    branch.run({ events: cut });
    const first = bruteFirst(branch, blocked, 0, cut)!;
    branch.seek(0);
    const bisected = branch.bisect(blocked)!;
    expect(bisected).toBeGreaterThan(first);
    branch.seek(bisected - 1);
    expect(blocked(branch)).toBe(false); // it looks like a first moment, and is not
    expect(branch.find(blocked, 0)).toBe(first);
  });

  it('equals a seek to every event, for any status of any process and any start', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 20_000 });
    const end = kernel.cursor;
    const pids = kernel.machine.state.scalars[Scalar.nextPid];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: pids - 1 }), fc.constantFrom(Status.runnable, Status.running, Status.blocked, Status.exited, Status.failed), fc.integer({ min: 0, max: end }), async (pid, status, from) => {
        const holds = (k: KernelType) => k.machine.state.procStatus[pid] === status;
        const expected = bruteFirst(kernel, holds, from, end);
        kernel.seek(from);
        expect(kernel.find(holds, from)).toBe(expected);
        expect(kernel.cursor).toBe(expected ?? from);
      }),
      { numRuns: 25, seed: 7 },
    );
  });

  it('leaves the cursor where it was when the condition never holds', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 3000 });
    kernel.seek(1234);
    expect(kernel.find(() => false)).toBeUndefined();
    expect(kernel.cursor).toBe(1234);
  });
});

describe('the worker\'s find (shell-api): sliced, with progress and cancel', () => {
  it('answers like Kernel.find, from the cursor or from event 0', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 20_000 });
    const api = createShellApi(() => kernel, statusOf(kernel));
    const service = pidOf(kernel, 'service');
    kernel.seek(0);
    const blocked = (k: Kernel) => k.machine.state.procStatus[service] === Status.blocked;
    const expected = kernel.firstHolds(blocked, 0)!;
    const middle = Math.floor(kernel.cursor / 2);
    kernel.seek(middle);
    const fromStart = await api.find({ kind: 'status', pid: service, status: 'blocked' }, { fromStart: true });
    expect(fromStart).toMatchObject({ ok: true, value: { seq: expected, from: 0 } });
    expect(kernel.cursor).toBe(expected + 1);
    if (fromStart.ok) expect(fromStart.value.status.work).toBeUndefined();

    kernel.seek(middle);
    const after = await api.find({ kind: 'status', pid: service, status: 'blocked' }, { fromStart: false });
    if (!after.ok) throw new Error(after.error);
    expect(after.value.seq!).toBeGreaterThanOrEqual(middle);
    kernel.seek(after.value.seq!);
    expect(kernel.machine.state.procStatus[service]).not.toBe(Status.blocked);
    kernel.seek(after.value.seq! + 1);
    expect(kernel.machine.state.procStatus[service]).toBe(Status.blocked);
    // Again: the next time it becomes true, not the next event at which it is true.
    const again = await api.find({ kind: 'status', pid: service, status: 'blocked' }, { fromStart: false });
    if (!again.ok || again.value.seq === null) throw new Error('expected a second time');
    for (let cursor = after.value.seq! + 1; cursor <= again.value.seq!; cursor++) {
      kernel.seek(cursor);
      if (!blocked(kernel)) break;
      expect(cursor, 'it stopped holding in between').toBeLessThan(again.value.seq!);
    }
    kernel.seek(again.value.seq!);
    expect(blocked(kernel)).toBe(false);

    expect(await api.find({ kind: 'failed', pid: 99 }, { fromStart: false })).toEqual({ ok: false, error: 'no process 99' });
  });

  it('a cancel mid-scan puts the cursor back where it was and says how far it got', async () => {
    const kernel = Kernel.fromText(exampleText('swarm.yaml'), await loadDebugCore());
    kernel.run({ events: 200_000 });
    kernel.seek(777);
    const api = createShellApi(() => kernel, statusOf(kernel));
    const pending = api.find({ kind: 'failed', pid: 3 }, { fromStart: false });
    // The first slice ran (the scan is under way); cancel before the next.
    expect(longWork.progress).toMatchObject({ kind: 'finding', total: 200_000 - 777 });
    const during = longWork.progress!.done;
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThan(200_000 - 777);
    longWork.cancelRequested = true;
    const outcome = await pending;
    expect(outcome).toMatchObject({ ok: false, cancelled: true });
    if (!outcome.ok) expect(outcome.error).toMatch(/^cancelled at event \d+ \(of 200000\); the cursor is back at event 777$/);
    expect(kernel.cursor).toBe(777);
    expect(longWork.progress).toBeUndefined();
  });
});

describe('progress wording (ui/progress.ts)', () => {
  const status = (work?: KernelStatus['work']): KernelStatus => ({
    loaded: true, name: '', cursor: 12, events: 0, tick: 0, stateHash: '', stopped: 'events', journalEventsMax: 0, ...(work ? { work } : {}),
  });
  it('says what is being done and how far it got', () => {
    expect(progressText('restoring', status({ kind: 'restoring', done: 40_960, total: 1_000_000 }))).toBe('Restoring 40,960 / 1,000,000 events');
    expect(progressText('restoring', status({ kind: 'decoding', done: 1048576, total: 3 * 1048576 }))).toBe('Checking the checkpoint: 1.0 / 3.0 MiB');
    expect(progressText('restoring', status())).toBe('Checking the checkpoint…');
    expect(progressText('finding', status({ kind: 'finding', done: 5, total: 10 }))).toBe('Finding: 5 / 10 events checked');
    expect(progressText('opening', status())).toBe('Replaying… event 12');
    expect(progressText(false, status())).toBeUndefined();
    expect(progressCount(status({ kind: 'finding', done: 5, total: 10 }))).toBe('5 / 10 events checked');
    expect(progressCount(status())).toBeUndefined();
    expect(progressFraction(status({ kind: 'restoring', done: 1, total: 4 }))).toBe(0.25);
    expect(progressFraction(status({ kind: 'restoring', done: 0, total: 0 }))).toBeUndefined();
  });
});

describe('find by event type', () => {
  it('stops just after the next event of the type (and pid), and names an unknown type', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({});
    const journal = kernel.machine.journal;
    const code = EventCode['heap/allocated'];
    const all: number[] = [];
    for (let seq = 0; seq < journal.length; seq++) if (journal.type(seq) === code && journal.pid(seq) === 0) all.push(seq);
    expect(all.length).toBeGreaterThan(2);
    const holds = predicateOf(kernel, { kind: 'event', type: 'heap/allocated', pid: 0 });
    if (typeof holds === 'string') throw new Error(holds);
    expect(kernel.find(holds, 0)).toBe(all[0] + 1);
    // From just after a match, the scan goes on to the next one (find in the shell scans the events after the cursor).
    kernel.seek(all[0] + 1);
    expect(kernel.findForward(holds)).toBe('found');
    expect(kernel.cursor).toBe(all[1] + 1);
    expect(predicateOf(kernel, { kind: 'event', type: 'heap/nope' })).toMatch(/unknown event type 'heap\/nope'/);
    expect(predicateOf(kernel, { kind: 'event', type: 'ipc/sent', pid: 99 })).toBe('no process 99');
  });
});
