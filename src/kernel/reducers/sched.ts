// The CPU: switches, preemptions, blocking and waking.
import type { KernelContext } from '../context';
import { BlockReason } from '../events';
import { NONE, Status, type KernelState } from '../state';
import { pushTimer, TimerKind } from '../sim/timers';
import { enqueueWaiter, leaveCpu, makeRunnable } from './cpu';
import { advancePc } from './program';

export function switched(state: KernelState, seq: number, tick: number, node: number, pid: number, sliceTicks: number): void {
  state.procStatus[pid] = Status.running;
  state.procLastSeq[pid] = seq;
  state.nodeRunning[node] = pid;
  state.nodeRunSince[node] = tick;
  state.nodeSliceEnd[node] = tick + sliceTicks;
  state.nodeSegStart[node] = NONE;
  state.nodeNext[node] = tick;
}

export function preempted(state: KernelState, seq: number, tick: number, node: number, pid: number): void {
  state.procStatus[pid] = Status.runnable;
  state.procLastSeq[pid] = seq;
  leaveCpu(state, node, pid, tick);
}

/** Blocking costs the step's tick: the CPU is free from tick + 1. */
export function blocked(state: KernelState, seq: number, tick: number, node: number, pid: number, reason: number, object: number, ticks: number): void {
  state.procStatus[pid] = Status.blocked;
  state.procBlockReason[pid] = reason;
  state.procBlockObject[pid] = object;
  state.procLastSeq[pid] = seq;
  state.nodeRunnable[node]--;
  leaveCpu(state, node, pid, tick + 1);
  const token = state.procToken[pid];
  switch (reason) {
    case BlockReason.recv:
      enqueueWaiter(state, 'recv', object, pid);
      if (ticks >= 0) pushTimer(state, tick + ticks, TimerKind.timeout, pid, token, seq);
      break;
    case BlockReason.sendFull:
      enqueueWaiter(state, 'send', object, pid);
      if (ticks >= 0) pushTimer(state, tick + ticks, TimerKind.timeout, pid, token, seq);
      break;
    case BlockReason.bid:
      if (ticks >= 0) pushTimer(state, tick + ticks, TimerKind.timeout, pid, token, seq);
      break;
    case BlockReason.sleep:
    case BlockReason.io:
    case BlockReason.rate:
      pushTimer(state, tick + ticks, TimerKind.wake, pid, token, seq);
      break;
  }
}

/** A sleep or io step is over (its step completes); a rate wait is over (the send retries). */
export function woken(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number): void {
  const reason = state.procBlockReason[pid];
  makeRunnable(state, pid, tick, seq);
  if (reason === BlockReason.sleep || reason === BlockReason.io) advancePc(ctx, state, pid);
}

export function paused(state: KernelState, seq: number, tick: number, pid: number): void {
  const node = state.procNode[pid];
  if (state.nodeRunning[node] === pid) leaveCpu(state, node, pid, tick);
  if (state.procStatus[pid] === Status.runnable || state.procStatus[pid] === Status.running) state.nodeRunnable[node]--;
  state.procStatus[pid] = Status.paused;
  state.procLastSeq[pid] = seq;
}

export const NO_OBJECT = NONE;
