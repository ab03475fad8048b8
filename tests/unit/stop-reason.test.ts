// Kernel.stopReasonAt is a question: asking it leaves the run as it was. It looks one event ahead
// to tell "at rest" from "stopped by a limit", and must not keep that event in the journal (nor
// a snapshot of it): a status or a summary must not grow the journal it describes.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { SNAPSHOT_INTERVAL_EVENTS } from '../../src/kernel/sim/machine';

describe('stopReasonAt', () => {
  it('leaves the journal, the snapshots and the state as they were when the run is not at rest', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    // Ends where the next event would be a snapshot point too (the look ahead must not take it).
    for (const events of [500, SNAPSHOT_INTERVAL_EVENTS - 1, SNAPSHOT_INTERVAL_EVENTS + 10]) {
      kernel.run({ events });
      expect(kernel.cursor).toBe(events);
      const length = kernel.machine.journal.length, hash = kernel.stateHash();
      const snapshots = kernel.machine.snapshots.count, lastSnapshot = kernel.machine.snapshots.lastSeq;
      for (let ask = 0; ask < 3; ask++) {
        expect(kernel.stopReasonAt()).toBe('events');
        expect(kernel.stopReasonAt('ticks')).toBe('ticks');
        expect(kernel.summary('events').stopped).toBe('events');
      }
      expect(kernel.machine.journal.length).toBe(length);
      expect(kernel.cursor).toBe(events);
      expect(kernel.stateHash()).toBe(hash);
      expect(kernel.machine.snapshots.count).toBe(snapshots);
      expect(kernel.machine.snapshots.lastSeq).toBe(lastSnapshot);
    }
    // Running on after the questions records the same run as without them.
    kernel.run({ events: 6000 });
    const fresh = await kernelFor(exampleText('map-reduce.yaml'));
    fresh.run({ events: 6000 });
    expect(kernel.stateHash()).toBe(fresh.stateHash());
    expect(kernel.machine.journal.length).toBe(fresh.machine.journal.length);
  });

  it('inside the recorded journal says "not at rest" without running anything', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 2000 });
    kernel.seek(700);
    const hash = kernel.stateHash();
    expect(kernel.stopReasonAt()).toBe('events');
    expect(kernel.machine.journal.length).toBe(2000);
    expect(kernel.cursor).toBe(700);
    expect(kernel.stateHash()).toBe(hash);
  });

  it('at rest it says why, and the journal is unchanged', async () => {
    const kernel = await kernelFor(exampleText('deadlock.yaml'));
    kernel.run({ events: 100_000 });
    const length = kernel.machine.journal.length, hash = kernel.stateHash();
    expect(length).toBeLessThan(100_000);
    expect(kernel.stopReasonAt()).toBe('quiescent');
    expect(kernel.machine.journal.length).toBe(length);
    expect(kernel.stateHash()).toBe(hash);
  });

  it('at a full journal says journal-full', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'), { eventsMax: 300 });
    kernel.run({ events: 1000 });
    expect(kernel.cursor).toBe(300);
    expect(kernel.stopReasonAt()).toBe('journal-full');
    kernel.seek(299);
    expect(kernel.stopReasonAt()).toBe('events');
    expect(kernel.machine.journal.length).toBe(300);
  });
});
