// Load shedding (issue 13): the heal decides (heal/loadShed, how many), then every message it
// drops is its own ipc/dropped event (why shed, cause: the heal), so KernelQL, the IPC panel and
// the channel's dropped count agree event by event.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { events } from '../helpers/queries';
import { DropReason } from '../../src/kernel/events';
import { eventText } from '../../src/worker/event-text';
import { checkInvariants } from '../../src/kernel/invariants';

// A feed far faster than one slow parser, no room to scale (replicas 0) or grow (capacity 1): shed.
const SHEDDING = `agentos: 1
name: shed
seed: 4
autonomy: { replicas: 0, capacity: 1 }
agents:
  feed: { program: producer, args: { size: 64B, every: 50us } }
  parser: { program: worker, args: { in: jobs, work: 2ms } }
channels:
  - { from: feed.out, to: parser.jobs, capacity: 16 }
`;

describe('heal/loadShed drops messages one ipc/dropped each', () => {
  it('emits exactly as many ipc/dropped (why shed) as each shed decided, right after it, caused by it', async () => {
    const kernel = await kernelFor(SHEDDING);
    kernel.run({ ticks: 200_000 });
    const sheds = events(kernel, 'heal/loadShed');
    expect(sheds.length).toBeGreaterThan(0);
    const drops = events(kernel, 'ipc/dropped').filter((event) => event.why === DropReason.shed);
    expect(drops.length).toBe(sheds.reduce((sum, shed) => sum + shed.dropped, 0));
    for (const shed of sheds) {
      const mine = drops.filter((drop) => drop.cause === shed.seq);
      expect(mine.length, `shed at #${shed.seq}`).toBe(shed.dropped);
      expect(mine.map((drop) => drop.seq)).toEqual(mine.map((_, index) => shed.seq + 1 + index));
      for (const drop of mine) expect(drop.channel).toBe(shed.channel);
    }
    // The channel's dropped count is the events' count (no loss, no partition in this spec).
    const state = kernel.machine.state;
    expect(state.chanDropped[0]).toBe(drops.length);
    expect(eventText(kernel, drops[0].seq)).toBe('dropped on feed.out → parser.jobs: shed by healing, the oldest message queued');
    checkInvariants(kernel.ctx, state);
  });

  it('replays the same journal and seeks to the same state in the middle of a shed', async () => {
    const a = await kernelFor(SHEDDING), b = await kernelFor(SHEDDING);
    a.run({ ticks: 200_000 });
    b.run({ ticks: 200_000 });
    expect(b.cursor).toBe(a.cursor);
    expect(b.stateHash()).toBe(a.stateHash());
    const shed = events(a, 'heal/loadShed')[0];
    const live = await kernelFor(SHEDDING);
    live.run({ events: shed.seq + 3 });
    const hash = live.stateHash();
    a.seek(shed.seq + 3);
    expect(a.stateHash()).toBe(hash);
  });
});
