// Shared moves of processes on and off a node's CPU, and the wait lists of channels.
import { NONE, Scalar, Status, type KernelState } from '../state';
import { firstReadyWaiter } from '../autonomy/readiness';

/**
 * `pid`'s CPU time at `tick` (by default the last event's), its current slice included: the
 * time charged when it left the CPU, plus what it has run since it got the CPU, if it is on it.
 */
export function cpuTicksAt(state: KernelState, pid: number, tick: number = state.scalars[Scalar.tick]): number {
  const node = state.procNode[pid];
  return state.procCpuTicks[pid] + (state.nodeRunning[node] === pid ? Math.max(0, tick - state.nodeRunSince[node]) : 0);
}

/** The running process leaves the CPU at `freeAt` (its CPU time is charged up to then). */
export function leaveCpu(state: KernelState, node: number, pid: number, freeAt: number): void {
  state.procCpuTicks[pid] += freeAt - state.nodeRunSince[node];
  state.nodeRunning[node] = NONE;
  state.nodeSegStart[node] = NONE;
  state.nodeNext[node] = state.nodeRunnable[node] > 0 ? freeAt : Infinity;
}

/** A blocked or new process becomes runnable; an idle CPU wakes up to pick at `tick`. */
export function makeRunnable(state: KernelState, pid: number, tick: number, cause: number): void {
  const node = state.procNode[pid];
  state.procStatus[pid] = Status.runnable;
  state.procBlockReason[pid] = NONE;
  state.procBlockObject[pid] = NONE;
  state.procToken[pid]++;
  state.procLastSeq[pid] = cause;
  state.nodeRunnable[node]++;
  if (state.nodeRunning[node] === NONE && state.nodeNext[node] > tick) state.nodeNext[node] = tick;
}

export type WaitList = 'recv' | 'send';

export function enqueueWaiter(state: KernelState, list: WaitList, channel: number, pid: number): void {
  const head = list === 'recv' ? state.chanRecvHead : state.chanSendHead;
  const tail = list === 'recv' ? state.chanRecvTail : state.chanSendTail;
  state.procWaitNext[pid] = NONE;
  if (tail[channel] === NONE) head[channel] = pid;
  else state.procWaitNext[tail[channel]] = pid;
  tail[channel] = pid;
}

/** Removes and returns the first waiter, or NONE. */
export function dequeueWaiter(state: KernelState, list: WaitList, channel: number): number {
  if (list === 'recv' && state.procReady.length > 0) {
    // Readiness probes (autonomy/readiness.ts): the first waiter that is ready, wherever it is.
    const ready = firstReadyWaiter(state, state.chanRecvHead[channel]);
    if (ready !== NONE) removeWaiter(state, 'recv', channel, ready);
    return ready;
  }
  const head = list === 'recv' ? state.chanRecvHead : state.chanSendHead;
  const tail = list === 'recv' ? state.chanRecvTail : state.chanSendTail;
  const pid = head[channel];
  if (pid === NONE) return NONE;
  head[channel] = state.procWaitNext[pid];
  if (head[channel] === NONE) tail[channel] = NONE;
  state.procWaitNext[pid] = NONE;
  return pid;
}

/** Removes `pid` wherever it is in the list (a timeout, a kill). Bounded by the list's length. */
export function removeWaiter(state: KernelState, list: WaitList, channel: number, pid: number): void {
  const head = list === 'recv' ? state.chanRecvHead : state.chanSendHead;
  const tail = list === 'recv' ? state.chanRecvTail : state.chanSendTail;
  let previous = NONE;
  for (let current = head[channel]; current !== NONE; previous = current, current = state.procWaitNext[current]) {
    if (current !== pid) continue;
    const next = state.procWaitNext[current];
    if (previous === NONE) head[channel] = next;
    else state.procWaitNext[previous] = next;
    if (tail[channel] === pid) tail[channel] = previous;
    state.procWaitNext[pid] = NONE;
    return;
  }
}
