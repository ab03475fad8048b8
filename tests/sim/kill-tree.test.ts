// Killing a subtree (issue 13): the process tree is read from the journal's spawns; a killTree
// intervention kills a process and its descendants (or a supervisor's, an agent's processes and
// theirs), one user/intervened event each, on one branch, each caused by the one before; the
// session and a seek replay it exactly; no restart policy undoes it.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { events } from '../helpers/queries';
import { InterventionKind } from '../../src/kernel/events';
import { Status } from '../../src/kernel/state';
import { Kernel } from '../../src/kernel/kernel';
import { loadDebugCore } from '../helpers/core';
import { checkInvariants } from '../../src/kernel/invariants';
import { parentsOf } from '../../src/kernel/autonomy/tree';
import { eventText } from '../../src/worker/event-text';

// boss (pid 0) spawns two managers; each manager spawns two workers; bystander is unrelated.
const SPEC = `agentos: 1
agents:
  boss: { restart: always, program: [{ spawn: manager }, { spawn: manager }, { sleep: 1s }] }
  manager: { replicas: 0, restart: always, program: [{ spawn: worker }, { spawn: worker }, { sleep: 1s }] }
  worker: { replicas: 0, restart: always, program: [{ repeat: forever, do: [{ compute: 100us }, { sleep: 1ms }] }] }
  bystander: { restart: always, program: [{ repeat: forever, do: [{ compute: 100us }, { sleep: 1ms }] }] }
`;

async function grown(): Promise<Kernel> {
  const kernel = await kernelFor(SPEC);
  kernel.run({ ticks: 5_000 });
  return kernel;
}

describe('kill a subtree', () => {
  it('reads parents from the spawns: boss → 2 managers → 2 workers each', async () => {
    const kernel = await grown();
    const parents = parentsOf(kernel.machine.journal, kernel.cursor, kernel.machine.state.scalars[1]);
    const agent = (pid: number) => kernel.spec.agents[kernel.machine.state.procAgent[pid]].name;
    const managers = [...parents.keys()].filter((pid) => agent(pid) === 'manager');
    expect(managers.map((pid) => agent(parents[pid]))).toEqual(['boss', 'boss']);
    const workers = [...parents.keys()].filter((pid) => agent(pid) === 'worker');
    expect(workers).toHaveLength(4);
    expect(workers.map((pid) => parents[pid]).sort()).toEqual([managers[0], managers[0], managers[1], managers[1]].sort());
  });

  it('kills a manager and its two workers, one event each, chained; the rest runs on; none restarts', async () => {
    const kernel = await grown();
    const { state } = kernel.machine;
    const parents = parentsOf(kernel.machine.journal, kernel.cursor, state.scalars[1]);
    const manager = [...parents.keys()].find((pid) => kernel.spec.agents[state.procAgent[pid]].name === 'manager')!;
    const subtree = [manager, ...[...parents.keys()].filter((pid) => parents[pid] === manager)];
    const at = kernel.cursor;
    kernel.intervene({ kind: 'killTree', pid: manager });
    expect(kernel.cursor).toBe(at + 3);
    const kills = events(kernel, 'user/intervened').filter((event) => event.kind === InterventionKind.killTree);
    expect(kills.map((event) => [event.seq, event.pid, event.arg, event.arg2, event.cause])).toEqual(
      subtree.map((pid, index) => [at + index, pid, manager, index, index === 0 ? -1 : at + index - 1]));
    expect(eventText(kernel, at + 1)).toMatch(/^user: killed worker\[\d\], 2 of the subtree of manager\[\d\] \(pid \d+\); no restart policy undoes it$/);
    kernel.run({ ticks: kernel.tick + 20_000 });
    for (const pid of subtree) expect(state.procStatus[pid], `pid ${pid}`).toBe(Status.failed);
    const others = [...Array(state.scalars[1]).keys()].filter((pid) => !subtree.includes(pid));
    for (const pid of others) expect(state.procStatus[pid], `pid ${pid}`).not.toBe(Status.failed);
    checkInvariants(kernel.ctx, state);
    // One branch: Undo takes back the whole kill.
    expect(kernel.timeline.undo()).toBe(true);
    expect(kernel.cursor).toBe(at);
    for (const pid of subtree) expect(state.procStatus[pid]).not.toBe(Status.failed);
  });

  it('by name: a whole agent with its descendants, or agent[i]; unknown names say what exists', async () => {
    const kernel = await grown();
    const { state } = kernel.machine;
    kernel.intervene({ kind: 'killTree', name: 'boss' });
    const alive = [...Array(state.scalars[1]).keys()].filter((pid) => state.procStatus[pid] !== Status.failed);
    expect(alive.map((pid) => kernel.spec.agents[state.procAgent[pid]].name)).toEqual(['bystander']);
    expect(() => kernel.intervene({ kind: 'killTree', name: 'bos' })).toThrow(/no supervisor, agent or process named "bos" \(boss, manager, worker, bystander\)/);
    expect(() => kernel.intervene({ kind: 'killTree', name: 'worker[1]' })).toThrow(/every process of that subtree has already ended/);
  });

  it('a supervisor by name: everything under it; a session and a seek replay it exactly', async () => {
    const text = `agentos: 1
supervisors:
  top: { strategy: one_for_all, children: [a, b] }
agents:
  a: { replicas: 2, program: [{ spawn: c }, { repeat: forever, do: [{ compute: 100us }, { sleep: 1ms }] }] }
  b: { program: [{ repeat: forever, do: [{ compute: 100us }, { sleep: 1ms }] }] }
  c: { replicas: 0, program: [{ repeat: forever, do: [{ compute: 100us }, { sleep: 1ms }] }] }
  d: { program: [{ repeat: forever, do: [{ compute: 100us }, { sleep: 1ms }] }] }
`;
    const kernel = await kernelFor(text);
    kernel.run({ ticks: 3_000 });
    const at = kernel.cursor;
    kernel.intervene({ kind: 'killTree', name: 'top' });
    const { state } = kernel.machine;
    const name = (pid: number) => kernel.spec.agents[state.procAgent[pid]].name;
    const killed = events(kernel, 'user/intervened').map((event) => name(event.pid));
    expect(killed).toEqual(['a', 'a', 'b', 'c', 'c']);
    expect(events(kernel, 'user/intervened').every((event) => event.arg === -2)).toBe(true);
    kernel.run({ ticks: kernel.tick + 20_000 });
    // No supervisor decision: a kill is the user's.
    expect(events(kernel, 'supervisor/restarting').filter((event) => event.seq > at)).toEqual([]);
    const hash = kernel.stateHash();
    const session = kernel.toSession();
    expect(session.interventions.map((entry) => entry.command)).toEqual([{ kind: 'killTree', name: 'top' }]);
    const replayed = Kernel.fromSession(JSON.parse(JSON.stringify(session)), await loadDebugCore());
    expect(replayed.stateHash()).toBe(hash);
    kernel.seek(at + 2);
    kernel.seek(kernel.machine.journal.length);
    expect(kernel.stateHash()).toBe(hash);
    // Not in the middle of one.
    kernel.seek(at + 2);
    expect(() => kernel.intervene({ kind: 'kill', pid: 3 })).toThrow(/in the middle of a subtree kill \(events \d+\.\.\d+\)/);
  });
});
