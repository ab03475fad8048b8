// Every event of every example reads as words: nothing empty, no unnamed code, no "undefined".
import { describe, expect, it } from 'vitest';
import { exampleNames, exampleText, kernelFor } from '../helpers/kernel';
import { eventText } from '../../src/worker/event-text';
import { EVENT_SCHEMA, EventCode } from '../../src/kernel/events';

describe('eventText', () => {
  it('names every event of the examples in words', async () => {
    const seen = new Set<string>();
    for (const name of exampleNames()) {
      const kernel = await kernelFor(exampleText(name));
      kernel.run({ events: 20_000 });
      if (name === 'priority-starvation.yaml') kernel.intervene({ kind: 'policy', node: 0, policy: 'fair' });
      const journal = kernel.machine.journal;
      for (let seq = 0; seq < journal.length; seq++) {
        const text = eventText(kernel, seq);
        const type = EVENT_SCHEMA[journal.type(seq)][0];
        seen.add(type);
        expect(text, `${name} #${seq} ${type}`).not.toBe('');
        expect(text, `${name} #${seq} ${type}`).not.toMatch(/undefined|NaN|: #-?\d/);
      }
    }
    // The examples cover the common types; these at least must have been read.
    for (const type of ['kernel/booted', 'process/spawned', 'sched/switched', 'sched/blocked', 'ipc/sent', 'ipc/received', 'heap/allocated', 'process/failed', 'user/intervened']) {
      expect(seen.has(type), type).toBe(true);
    }
  });

  it('names channels, sizes and reasons', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 3000 });
    const journal = kernel.machine.journal;
    let sent = -1, blocked = -1;
    for (let seq = 0; seq < journal.length && (sent < 0 || blocked < 0); seq++) {
      if (journal.type(seq) === EventCode['ipc/sent'] && sent < 0) sent = seq;
      if (journal.type(seq) === EventCode['sched/blocked'] && blocked < 0) blocked = seq;
    }
    expect(eventText(kernel, sent)).toMatch(/^sent \d+ (B|KiB) on source\.out → mapper\.in \(arrives in \d+ µs\)$/);
    expect(eventText(kernel, blocked)).toMatch(/^blocked: (recv on|send on|sleep|io)/);
  });
});
