// The supervisor trees at the cursor, for the Processes panel: one row per supervisor (its
// strategy, restarts within its period, in all, times it gave up, whether it is down) and per
// supervised process (status, restarts), in preorder with their depth. At most
// SUPERVISOR_ROWS_MAX rows (a child agent with many replicas is cut, saying how many more).
import type { Kernel } from '../kernel/kernel';
import { restartsWithin } from '../kernel/autonomy/supervise';
import { Scalar, STATUS_NAMES } from '../kernel/state';

export const SUPERVISOR_ROWS_MAX = 512;
/** Processes listed under one child agent; the rest are counted. */
const PROCESSES_PER_AGENT_MAX = 32;

export type SupervisorRow =
  | { kind: 'supervisor'; depth: number; name: string; strategy: string; intensity: number; periodTicks: number; recent: number; restarts: number; gaveUp: number; down: boolean }
  | { kind: 'process'; depth: number; pid: number; name: string; status: string; restarts: number }
  | { kind: 'more'; depth: number; agent: string; count: number };

export function supervisorRows(kernel: Kernel): SupervisorRow[] {
  const plan = kernel.ctx.supervision;
  if (plan === undefined) return [];
  const { state } = kernel.machine;
  const spec = kernel.spec;
  const tick = state.scalars[Scalar.tick];
  const count = state.scalars[Scalar.nextPid];
  const rows: SupervisorRow[] = [];
  const visit = (index: number, depth: number) => {
    if (rows.length >= SUPERVISOR_ROWS_MAX) return;
    const supervisor = spec.supervisors[index];
    rows.push({
      kind: 'supervisor', depth, name: supervisor.name, strategy: supervisor.strategy, intensity: supervisor.intensity,
      periodTicks: supervisor.periodTicks, recent: restartsWithin(kernel.ctx, state, index, tick), restarts: state.supRestarts[index],
      gaveUp: state.supGaveUp[index], down: state.supDown[index] === 1,
    });
    for (const child of supervisor.children) {
      if (child.kind === 'supervisor') { visit(child.index, depth + 1); continue; }
      let listed = 0, more = 0;
      for (let pid = 0; pid < count; pid++) {
        if (state.procAgent[pid] !== child.index) continue;
        if (listed >= PROCESSES_PER_AGENT_MAX || rows.length >= SUPERVISOR_ROWS_MAX) { more++; continue; }
        listed++;
        rows.push({ kind: 'process', depth: depth + 1, pid, name: `${spec.agents[child.index].name}[${state.procReplica[pid]}]`, status: STATUS_NAMES[state.procStatus[pid]], restarts: state.procRestarts[pid] });
      }
      if (more > 0 && rows.length < SUPERVISOR_ROWS_MAX) rows.push({ kind: 'more', depth: depth + 1, agent: spec.agents[child.index].name, count: more });
    }
  };
  spec.supervisors.forEach((supervisor) => { if (supervisor.parent < 0) visit(supervisor.index, 0); });
  return rows;
}
