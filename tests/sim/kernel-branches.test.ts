import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { Kernel } from '../../src/kernel/kernel';
import { loadDebugCore } from '../helpers/core';
import { decodeSessionLink, encodeSessionLink } from '../../src/share/link';

const SPEC = exampleText('priority-starvation.yaml');

describe('interventions, branches, undo and sessions', () => {
  it('an intervention in the past forks: the old future stays on its branch, undo and redo move between them', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({ events: 3000 });
    const endHash = kernel.stateHash();
    kernel.seek(1000);
    const forkHash = kernel.stateHash();
    kernel.intervene({ kind: 'nice', pid: 1, nice: 19 });
    expect(kernel.timeline.current).toBe(1);
    expect(kernel.machine.journal.event(1000)).toMatchObject({ type: 'user/intervened', pid: 1 });
    kernel.run({ events: 3000 });
    const forkedEndHash = kernel.stateHash();
    expect(forkedEndHash).not.toBe(endHash);

    expect(kernel.timeline.undo()).toBe(true);
    expect(kernel.timeline.current).toBe(0);
    expect(kernel.cursor).toBe(1000);
    expect(kernel.stateHash()).toBe(forkHash);
    kernel.seek(3000);
    expect(kernel.stateHash()).toBe(endHash); // the old future is intact

    expect(kernel.timeline.redo()).toBe(true);
    expect(kernel.timeline.current).toBe(1);
    kernel.seek(3000);
    expect(kernel.stateHash()).toBe(forkedEndHash);
  });

  it('a session with interventions replays to the same hash, also through a share link', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({ events: 800 });
    kernel.intervene({ kind: 'kill', pid: 2 });
    kernel.run({ events: 1500 });
    kernel.intervene({ kind: 'policy', node: 0, policy: 'round-robin' });
    kernel.run({ events: 2500 });
    const link = await encodeSessionLink(kernel.toSession(), 'http://localhost:4173/');
    const replayed = Kernel.fromSession(await decodeSessionLink(link), await loadDebugCore());
    expect(replayed.cursor).toBe(2500);
    expect(replayed.stateHash()).toBe(kernel.stateHash());
  });

  it('refuses an intervention that cannot apply, with the reason, and changes nothing', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({ events: 500 });
    const hash = kernel.stateHash();
    expect(() => kernel.intervene({ kind: 'kill', pid: 999 })).toThrow('cannot kill at event 500: there is no process 999');
    expect(() => kernel.intervene({ kind: 'nice', pid: 0, nice: 40 })).toThrow(/nice must be an integer from -20 to 19/);
    expect(kernel.stateHash()).toBe(hash);
    expect(kernel.timeline.branches).toHaveLength(1);
  });
});

describe('one core, many sessions', () => {
  it('a core reused for a new session (as the worker does) gives the same run as a fresh core', async () => {
    const core = await loadDebugCore();
    const text = exampleText('partition-crdt.yaml');
    const first = Kernel.fromText(text, core);
    first.run({ events: 400 });
    const reused = Kernel.fromText(text, core);
    reused.run({ events: 400 });
    const fresh = Kernel.fromText(text, await loadDebugCore());
    fresh.run({ events: 400 });
    expect(reused.stateHash()).toBe(fresh.stateHash());
    expect(Buffer.from(reused.machine.journal.encode()).equals(Buffer.from(fresh.machine.journal.encode()))).toBe(true);
  });
});
