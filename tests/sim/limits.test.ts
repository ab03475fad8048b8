// Runaway agents hit limits that become events; nothing can hang the kernel or grow without bound.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { events } from '../helpers/queries';
import { FailReason, LimitKind } from '../../src/kernel/events';
import { CONTROL_STEPS_MAX } from '../../src/kernel/syscalls/steps';

describe('limits', () => {
  it('a program that loops without ever doing a step fails as a runaway instead of hanging', async () => {
    const kernel = await kernelFor('agentos: 1\nname: spin\nagents:\n  spinner:\n    program:\n      - repeat: forever\n        do:\n          - fail: 0\n  bystander:\n    program:\n      - compute: 1ms\n');
    expect(kernel.run({ events: 1000 })).toBe('quiescent');
    const failed = events(kernel, 'process/failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: FailReason.runaway, detail: CONTROL_STEPS_MAX });
    expect(kernel.agents().find((row) => row.agent === 'bystander')!.exited).toBe(1);
  });

  it('a spawn bomb fills the process table and gets a limit event per refused spawn', async () => {
    const kernel = await kernelFor('agentos: 1\nname: bomb\nagents:\n  bomb:\n    program:\n      - repeat: forever\n        do:\n          - spawn: bomb\n          - sleep: 10us\n');
    kernel.run({ events: 60_000 });
    const refused = events(kernel, 'limit/reached').filter((event) => event.limit === LimitKind.processTable);
    expect(refused.length).toBeGreaterThan(0);
    expect(kernel.machine.state.layout.procsMax).toBe(kernel.agents()[0].processes);
  });

  it('the journal stops at its limit with a limit event, and says so', async () => {
    const kernel = await kernelFor('agentos: 1\nname: busy\nagents:\n  w:\n    replicas: 3\n    program:\n      - repeat: forever\n        do:\n          - compute: 10us\n', { eventsMax: 500 });
    expect(kernel.run({ events: 10_000 })).toBe('journal-full');
    expect(kernel.cursor).toBe(500);
    expect(kernel.machine.journal.event(499)).toMatchObject({ type: 'limit/reached', limit: LimitKind.journalFull, value: 500 });
    expect(kernel.run({ events: 10_000 })).toBe('journal-full');
    expect(kernel.cursor).toBe(500);
  });

  it('a bad spec is refused with every error and its line:column', async () => {
    await expect(kernelFor('agentos: 1\nname: bad\nagents:\n  w:\n    program: wroker\n    memory: lots\n')).rejects.toThrow(/5:14.*\n.*6:13|6:13/s);
  });
});
