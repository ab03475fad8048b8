// Liveness probes: a process that completes no step for its period fails (probe/failed, reason
// liveness) and its restart policy or supervisor restarts it; one that makes progress never does.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { EventCode as E, FailReason } from '../../src/kernel/events';
import { checkInvariants } from '../../src/kernel/invariants';
import { eventText } from '../../src/worker/event-text';
import { parseSpec, formatSpecError } from '../../src/spec/parse';

const SPEC = `agentos: 1
agents:
  stuck:
    liveness: 50ms
    restart: { policy: always, max: 3, backoff: 1ms }
    program:
      - compute: 1ms
      - sleep: 200ms
  busy:
    liveness: 50ms
    program:
      - repeat: 40
        do:
          - sleep: 10ms
`;

describe('liveness probes', () => {
  it('fail a process idle for a whole period, which its restart policy restarts; progress keeps a process alive', async () => {
    const kernel = await kernelFor(SPEC);
    for (let target = 1; target <= 2000; target++) {
      if (kernel.run({ events: target }) !== 'events') break;
      checkInvariants(kernel.ctx, kernel.machine.state);
    }
    const journal = kernel.machine.journal;
    const probes: { seq: number; tick: number; pid: number }[] = [];
    for (let seq = 0; seq < journal.length; seq++) if (journal.type(seq) === E['probe/failed']) probes.push({ seq, tick: journal.tick(seq), pid: journal.pid(seq) });
    // stuck (pid 0): started at 0, computes 1ms, then sleeps: probed at 50ms, idle since 1ms -> looks again at 51ms and fails.
    expect(probes.map((probe) => probe.pid)).toEqual([0, 0, 0, 0]);
    expect(probes[0].tick).toBe(51_000); // its compute step completed at 1ms
    expect(eventText(kernel, probes[0].seq)).toBe('liveness probe: no step completed for 50 ms (period 50 ms); the process fails');
    expect(kernel.machine.state.procFailReason[0]).toBe(FailReason.liveness);
    expect(kernel.machine.state.procRestarts[0]).toBe(3);
    // busy (pid 1) completes a step every 10ms and runs to its end.
    expect(kernel.machine.state.procStatus[1]).toBe(4); // exited
  });

  it('a supervised process restarted after its probe says why', async () => {
    const kernel = await kernelFor(`${SPEC.replace('    restart: { policy: always, max: 3, backoff: 1ms }\n', '')}supervisors:\n  s: { intensity: 5, backoff: 0us, children: [stuck] }\n`);
    kernel.run({ events: 400 });
    const journal = kernel.machine.journal;
    let restart = -1;
    for (let seq = 0; seq < journal.length && restart < 0; seq++) if (journal.type(seq) === E['process/restarted']) restart = seq;
    expect(eventText(kernel, restart)).toBe('restarted stuck[0] (one_for_one in s) because stuck[0] failed its liveness probe (no step for 50 ms); 1 of 5 restarts in 5 s');
  });

  it('the period must be a positive duration', () => {
    const result = parseSpec('agentos: 1\nagents:\n  a:\n    program: idle\n    liveness: 0us\n');
    expect(result.ok ? [] : result.errors.map(formatSpecError)).toEqual(['agents.a.liveness: expected a duration from 1us to 1800s (this is 0us) at 5:15']);
  });
});
