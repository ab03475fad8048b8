// Readiness probes, after Kubernetes' readinessProbe. `agents.<name>.readiness: { delay, period,
// heap }`: a process is not ready for `delay` after each (re)start, and, with `heap`, not ready
// while its heap holds at least that much (looked at every `period`). A process that is not
// ready gets no messages from its input queues: a message goes to the first *ready* process
// waiting on the channel (another replica), and its own recv waits (blocked) with messages
// queued until it is ready again. Each change is an event: probe/ready (reason: warmed up, or the
// heap fell below the mark; a recv waiting on a non-empty queue is woken) and probe/unready.
// A (re)start makes it not ready again without an event of its own (the start is the event).
//
// The arrays (procReady, procReadyAt, procReadyArm) and the timers exist only when an agent has
// the key; otherwise every process counts as ready and nothing here runs.
import type { KernelContext } from '../context';
import { BlockReason, EventCode as E, ReadyReason } from '../events';
import { Status, type KernelState } from '../state';
import { pushTimer, TimerKind, type PoppedTimer } from '../sim/timers';
import type { Sys } from '../syscalls/sys';
import { makeRunnable, removeWaiter } from '../reducers/cpu';

/** True when `pid` may be handed messages (always, unless the spec has readiness probes). */
export function isReady(state: KernelState, pid: number): boolean {
  return state.procReady.length === 0 || state.procReady[pid] === 1;
}

/** Reducer side: a process (re)started at `tick`: not ready until its delay ends; its first look is armed. */
export function armReadiness(ctx: KernelContext, state: KernelState, pid: number, tick: number, seq: number): void {
  if (state.procReady.length === 0) return;
  const spec = ctx.spec.agents[state.procAgent[pid]].readiness;
  state.procReadyArm[pid]++;
  if (spec === undefined) {
    state.procReady[pid] = 1;
    return;
  }
  state.procReadyAt[pid] = tick + spec.delayTicks;
  state.procReady[pid] = spec.delayTicks === 0 ? 1 : 0;
  const first = spec.delayTicks > 0 ? spec.delayTicks : spec.heapBytes !== undefined ? spec.periodTicks : 0;
  if (first > 0) pushTimer(state, tick + first, TimerKind.ready, pid, state.procReadyArm[pid], seq);
}

const live = (status: number) => status === Status.runnable || status === Status.running || status === Status.blocked || status === Status.paused;

/** The probe's timer fired: emits probe/ready or probe/unready when readiness changes; false when it did not. */
export function readinessCheck(sys: Sys, timer: PoppedTimer): boolean {
  const { state, ctx } = sys;
  const pid = timer.target;
  if (state.procReadyArm[pid] !== timer.token || !live(state.procStatus[pid])) return false; // restarted or ended since
  const spec = ctx.spec.agents[state.procAgent[pid]].readiness!;
  const heap = state.procHeapBytes[pid];
  const threshold = spec.heapBytes ?? 0;
  const ready = timer.tick >= state.procReadyAt[pid] && (spec.heapBytes === undefined || heap < spec.heapBytes);
  if (spec.heapBytes !== undefined) pushTimer(state, timer.tick + spec.periodTicks, TimerKind.ready, pid, timer.token, timer.cause);
  if (ready === (state.procReady[pid] === 1)) return false;
  const node = state.procNode[pid];
  if (ready) {
    if (waitsWithMessages(state, pid)) sys.core.sched.wake(node, state.procSlot[pid]);
    const reason = timer.tick === state.procReadyAt[pid] ? ReadyReason.warmedUp : ReadyReason.heap;
    sys.emit(timer.tick, E['probe/ready'], node, pid, state.procLastSeq[pid], reason, heap, threshold);
  } else {
    sys.emit(timer.tick, E['probe/unready'], node, pid, state.procLastSeq[pid], ReadyReason.heap, heap, threshold);
  }
  return true;
}

/** Blocked on a recv whose queue holds messages (it waited there while not ready). */
function waitsWithMessages(state: KernelState, pid: number): boolean {
  return state.procStatus[pid] === Status.blocked && state.procBlockReason[pid] === BlockReason.recv && state.chanQueued[state.procBlockObject[pid]] > 0;
}

/** Reducer of probe/ready and probe/unready. */
export function readinessChanged(state: KernelState, seq: number, tick: number, pid: number, ready: boolean): void {
  state.procReady[pid] = ready ? 1 : 0;
  if (ready && waitsWithMessages(state, pid)) {
    removeWaiter(state, 'recv', state.procBlockObject[pid], pid);
    makeRunnable(state, pid, tick, seq);
  }
}

/** The first process of a recv wait list that is ready (the list's head without probes); -1 when none. */
export function firstReadyWaiter(state: KernelState, head: number): number {
  let pid = head;
  while (pid >= 0 && state.procReady[pid] !== 1) pid = state.procWaitNext[pid];
  return pid;
}
