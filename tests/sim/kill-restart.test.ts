// A kill is a kill: no restart policy undoes it. Restart is its own intervention, which starts a
// process over from its first step (running, blocked, waiting to restart, ended or killed).
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { events, pidsOf } from '../helpers/queries';
import { InterventionKind } from '../../src/kernel/events';
import { Kernel } from '../../src/kernel/kernel';
import { loadDebugCore } from '../helpers/core';

const SPEC = 'agentos: 1\nname: kr\nagents:\n  worker:\n    restart: { policy: always, max: 5, backoff: 1ms }\n    program:\n      - repeat: forever\n        do:\n          - compute: 100us\n          - alloc: { size: 1KiB, as: x }\n          - free: x\n  other:\n    program:\n      - repeat: 50\n        do:\n          - compute: 100us\n';

describe('kill and restart', () => {
  it('a killed process with restart: always (or on-failure) stays dead', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({ events: 200 });
    const [worker] = pidsOf(kernel, 'worker');
    kernel.intervene({ kind: 'kill', pid: worker });
    expect(kernel.statusOf(worker)).toBe('failed');
    expect(kernel.run({ events: 100_000 })).toBe('quiescent');
    expect(kernel.statusOf(worker)).toBe('failed');
    expect(events(kernel, 'process/restarted')).toHaveLength(0);
    expect(kernel.agents().find((row) => row.agent === 'worker')).toMatchObject({ failed: 1, restarts: 0 });
  });

  it('restart brings a killed process back from its first step, and a live one starts over; the run replays', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({ events: 200 });
    const [worker] = pidsOf(kernel, 'worker');
    kernel.intervene({ kind: 'kill', pid: worker });
    kernel.run({ events: kernel.cursor + 50 });
    kernel.intervene({ kind: 'restart', pid: worker });
    expect(kernel.machine.journal.event(kernel.cursor - 1)).toMatchObject({ type: 'user/intervened', kind: InterventionKind.restart, pid: worker });
    expect(kernel.statusOf(worker)).toBe('runnable');
    expect(kernel.machine.state.procPc[worker]).toBe(0);
    kernel.run({ events: kernel.cursor + 300 });
    expect(['running', 'runnable', 'blocked']).toContain(kernel.statusOf(worker));
    // A live (running or runnable) process starts over too, and keeps one scheduler entry.
    kernel.intervene({ kind: 'restart', pid: worker });
    kernel.run({ events: kernel.cursor + 300 });
    expect(kernel.agents().find((row) => row.agent === 'worker')!.restarts).toBe(2);
    const session = kernel.toSession();
    const hash = kernel.stateHash();
    const replayed = Kernel.fromSession(JSON.parse(JSON.stringify(session)), await loadDebugCore());
    expect(replayed.stateHash()).toBe(hash);
    kernel.seek(150);
    kernel.seek(session.cursor);
    expect(kernel.stateHash()).toBe(hash);
  });

  it('restart is refused for a process that does not exist', async () => {
    const kernel = await kernelFor(SPEC);
    kernel.run({ events: 20 });
    expect(() => kernel.intervene({ kind: 'restart', pid: 99 })).toThrow(/there is no process 99/);
  });
});
