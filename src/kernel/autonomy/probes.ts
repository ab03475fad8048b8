// Liveness probes, after Kubernetes': an agent with `liveness: <period>` has each process looked
// at every period; one that completed no step for the whole period fails (probe/failed, reason
// liveness) and its restart policy or supervisor takes it from there. A probe that finds recent
// progress re-arms for one period after that step without an event. Only specs with a liveness
// key have the arrays (otherwise empty, left out of stateHash) and the timers.
import type { KernelContext } from '../context';
import { EventCode as E } from '../events';
import { Status, type KernelState } from '../state';
import { pushTimer, TimerKind, type PoppedTimer } from '../sim/timers';
import type { Sys } from '../syscalls/sys';
import { endProcess } from '../syscalls/steps';

/** Events that complete a step of the process they name (or start it): what a probe counts as progress. */
const PROGRESS = new Uint8Array(256);
for (const type of [
  'process/spawned', 'process/restarted', 'sched/woken', 'cpu/computed', 'heap/allocated', 'heap/freed', 'heap/exhausted',
  'heap/freeSkipped', 'ipc/sent', 'ipc/received', 'ipc/timedOut', 'fs/written', 'fs/read', 'crdt/applied',
  'resource/granted', 'resource/released', 'step/chose',
] as const) PROGRESS[E[type]] = 1;

/** Reducer side, every event: a step of `pid` completed at `tick`. */
export function noteProgress(state: KernelState, type: number, pid: number, tick: number): void {
  if (PROGRESS[type] && pid >= 0) state.procLastStep[pid] = tick;
}

/** Reducer side: a process (re)started; its probe looks one period from now. */
export function armProbe(ctx: KernelContext, state: KernelState, pid: number, tick: number, seq: number): void {
  const period = ctx.spec.agents[state.procAgent[pid]].livenessTicks;
  if (period === undefined || state.procProbeArm.length === 0) return;
  state.procLastStep[pid] = tick;
  state.procProbeArm[pid]++;
  pushTimer(state, tick + period, TimerKind.probe, pid, state.procProbeArm[pid], seq);
}

/** The probe timer fired: fail the process if it has been idle a whole period, else look again later. */
export function probe(sys: Sys, timer: PoppedTimer): boolean {
  const { state, ctx } = sys;
  const pid = timer.target;
  if (state.procProbeArm[pid] !== timer.token) return false; // restarted since: a newer probe looks
  const status = state.procStatus[pid];
  if (status !== Status.runnable && status !== Status.running && status !== Status.blocked) {
    // Paused by the user: not the process's fault; look again a period later. Ended: no probe.
    if (status === Status.paused) pushTimer(state, timer.tick + ctx.spec.agents[state.procAgent[pid]].livenessTicks!, TimerKind.probe, pid, timer.token, timer.cause);
    return false;
  }
  const period = ctx.spec.agents[state.procAgent[pid]].livenessTicks!;
  const idle = timer.tick - state.procLastStep[pid];
  if (idle < period) {
    pushTimer(state, state.procLastStep[pid] + period, TimerKind.probe, pid, timer.token, timer.cause);
    return false;
  }
  const node = state.procNode[pid];
  endProcess(sys, node, pid);
  sys.emit(timer.tick, E['probe/failed'], node, pid, state.procLastSeq[pid], period, idle, 0);
  return true;
}
