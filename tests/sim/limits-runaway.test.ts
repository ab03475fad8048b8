// Limits that used to be declared but never reached: a zero-time loop (virtual time stands still)
// and a file written past FILE_BYTES_MAX. Both become limit/reached events, and the runs they
// end in replay to the same state after a seek.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { events, pidsOf } from '../helpers/queries';
import { FailReason, LimitKind } from '../../src/kernel/events';
import { ZERO_TIME_EVENTS_MAX } from '../../src/kernel/sim/machine';
import { FILE_BYTES_MAX } from '../../src/kernel/state';
import { eventText } from '../../src/worker/event-text';

describe('runaway and file limits', () => {
  it('repeat: forever around sleep: 0us is a runaway once time has stood still for ZERO_TIME_EVENTS_MAX events', async () => {
    const text = 'agentos: 1\nname: still\ncluster: { nodes: 2 }\nagents:\n  spinner:\n    node: n0\n    program:\n      - repeat: forever\n        do:\n          - sleep: 0us\n'
      + '  bystander:\n    node: n1\n    program:\n      - sleep: 5ms\n      - compute: 1ms\n';
    const kernel = await kernelFor(text);
    expect(kernel.run({ events: 3 * ZERO_TIME_EVENTS_MAX })).toBe('quiescent');
    const [spinner] = pidsOf(kernel, 'spinner');
    const limits = events(kernel, 'limit/reached');
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ limit: LimitKind.runaway, value: ZERO_TIME_EVENTS_MAX, pid: spinner, tick: 0 });
    expect(limits[0].seq).toBe(ZERO_TIME_EVENTS_MAX);
    const failed = events(kernel, 'process/failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ pid: spinner, reason: FailReason.runaway, cause: limits[0].seq });
    expect(kernel.agents().find((row) => row.agent === 'bystander')!.exited).toBe(1);
    expect(kernel.tick).toBe(6000);
    expect(eventText(kernel, limits[0].seq)).toBe('limit reached: runaway: 1,000,000 events without virtual time passing; this process fails');
    // The decision is the journal's: seek before it, replay past it, same state.
    const end = kernel.cursor, hash = kernel.stateHash();
    kernel.seek(limits[0].seq - 5);
    kernel.seek(end);
    expect(kernel.stateHash()).toBe(hash);
  }, 120_000);

  it('a write past FILE_BYTES_MAX is refused with a files limit event, and the file stays at the limit', async () => {
    const text = 'agentos: 1\nname: big\nagents:\n  w:\n    program:\n      - repeat: 1030\n        do:\n          - write: { path: /huge, size: 1GiB }\n';
    const kernel = await kernelFor(text);
    expect(kernel.run({ events: 100_000 })).toBe('quiescent');
    expect(events(kernel, 'fs/written')).toHaveLength(FILE_BYTES_MAX / 2 ** 30);
    const refused = events(kernel, 'limit/reached');
    expect(refused).toHaveLength(1030 - FILE_BYTES_MAX / 2 ** 30);
    expect(refused[0]).toMatchObject({ limit: LimitKind.files, value: 0 }); // value: the file's index
    expect(kernel.machine.state.fileLength[0]).toBe(FILE_BYTES_MAX);
    expect(kernel.agents()[0].exited).toBe(1);
    expect(eventText(kernel, refused[0].seq)).toBe('limit reached: /huge is at its largest (1 TiB): the write was refused');
  });

  it('timeouts that can no longer fire never crowd a live timer out of the queue', async () => {
    // Each recv that gets its message leaves its 1800s timeout behind; the queue is sized for live
    // timers only. It used to refuse the sender's wake silently once full: everyone hung at event 410.
    const receivers = 5;
    const lines = ['agentos: 1', 'name: stale', 'agents:', '  s:', '    program:', '      - repeat: 300', '        do:', '          - sleep: 10us', ...Array.from({ length: receivers }, (_, i) => `          - send: o${i}`)];
    for (let i = 0; i < receivers; i++) lines.push(`  r${i}:`, '    program:', '      - repeat: 300', '        do:', '          - recv: { port: i, timeout: 1800s }');
    lines.push('channels:', ...Array.from({ length: receivers }, (_, i) => `  - { from: s.o${i}, to: r${i}.i, capacity: 1 }`));
    const kernel = await kernelFor(lines.join('\n') + '\n');
    expect(kernel.run({ events: 200_000 })).toBe('quiescent');
    expect(kernel.agents().every((row) => row.exited === 1)).toBe(true);
    expect(kernel.agents().find((row) => row.agent === 's')!.sent).toBe(300 * receivers);
    const end = kernel.cursor, hash = kernel.stateHash();
    kernel.seek(Math.floor(end / 2));
    kernel.seek(end);
    expect(kernel.stateHash()).toBe(hash);
  });
});
