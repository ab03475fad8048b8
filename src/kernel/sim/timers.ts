// The timer queue: a binary min-heap over (tick, insertion order) kept in KernelState's typed
// arrays, so it is snapshotted and hashed with everything else and ties fire in a defined order.
import type { KernelState } from '../state';
import { Scalar } from '../state';

export const TimerKind = {
  wake: 0,     // a sleep, io or rate wait ends: target pid, token
  timeout: 1,  // a blocking send/recv/bid gives up: target pid, token
  deliver: 2,  // a message in flight arrives: target message id, token = drop reason + 1 (0: arrives)
  fault: 3,    // a cluster fault from the spec: target fault index
  restart: 4,  // a failed process restarts: target pid, token
  sync: 5,     // a replica's changes reach another replica: target (object * N + from) * N + to
  probe: 6,    // a liveness probe looks: target pid, token = its probe arming (autonomy/probes.ts)
  breaker: 7,  // an open circuit breaker's cooldown ends: target channel (autonomy/breakers.ts)
  ready: 8,    // a readiness probe looks: target pid, token = its arming (autonomy/readiness.ts)
} as const;

export class TimerQueueFullError extends Error {}

export function timerCount(state: KernelState): number {
  return state.scalars[Scalar.timerCount];
}

export function peekTimerTick(state: KernelState): number {
  return state.scalars[Scalar.timerCount] > 0 ? state.timerTick[0] : Infinity;
}

export function pushTimer(state: KernelState, tick: number, kind: number, target: number, token: number, cause: number): boolean {
  let count = state.scalars[Scalar.timerCount];
  // Full: most of it is timers that will never fire (a recv's timeout after the message came).
  if (count >= state.timerTick.length) count = dropStaleTimers(state);
  if (count >= state.timerTick.length) return false;
  const order = state.scalars[Scalar.timerOrder]++;
  let index = count;
  state.scalars[Scalar.timerCount] = count + 1;
  // Sift up.
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!before(tick, order, state.timerTick[parent], state.timerOrder[parent])) break;
    move(state, parent, index);
    index = parent;
  }
  set(state, index, tick, order, kind, target, token, cause);
  return true;
}

/**
 * A wake, timeout or restart timer whose process has moved on (its token changed: the block or the
 * wait it was for has ended) can never fire. The queue is sized for the timers that can (one wait
 * and one timeout per process, one delivery per message, the faults and syncs), so dropping these
 * always makes room. Pops come in (tick, order) order whatever the heap's layout, so the run is
 * the same; the layout is a function of the state, so every re-execution compacts alike.
 */
export function dropStaleTimers(state: KernelState): number {
  const count = state.scalars[Scalar.timerCount];
  let kept = 0;
  for (let index = 0; index < count; index++) {
    const kind = state.timerKind[index];
    const process = kind === TimerKind.wake || kind === TimerKind.timeout || kind === TimerKind.restart;
    if (process && state.timerToken[index] !== state.procToken[state.timerTarget[index]]) continue;
    if (kind === TimerKind.probe && state.timerToken[index] !== state.procProbeArm[state.timerTarget[index]]) continue;
    if (kept !== index) move(state, index, kept);
    kept++;
  }
  state.scalars[Scalar.timerCount] = kept;
  for (let index = (kept >> 1) - 1; index >= 0; index--) siftDown(state, index, kept);
  return kept;
}

function siftDown(state: KernelState, start: number, count: number): void {
  const tick = state.timerTick[start], order = state.timerOrder[start];
  const kind = state.timerKind[start], target = state.timerTarget[start], token = state.timerToken[start], cause = state.timerCause[start];
  let index = start;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= count) break;
    const right = left + 1;
    const child = right < count && before(state.timerTick[right], state.timerOrder[right], state.timerTick[left], state.timerOrder[left]) ? right : left;
    if (!before(state.timerTick[child], state.timerOrder[child], tick, order)) break;
    move(state, child, index);
    index = child;
  }
  set(state, index, tick, order, kind, target, token, cause);
}

/** Removes the earliest timer into `out` (reused) and returns it. */
export function popTimer(state: KernelState, out: PoppedTimer): PoppedTimer {
  out.tick = state.timerTick[0];
  out.kind = state.timerKind[0];
  out.target = state.timerTarget[0];
  out.token = state.timerToken[0];
  out.cause = state.timerCause[0];
  const count = --state.scalars[Scalar.timerCount];
  if (count === 0) return out;
  // The last entry moves to the root and sifts down.
  move(state, count, 0);
  siftDown(state, 0, count);
  return out;
}

export interface PoppedTimer {
  tick: number;
  kind: number;
  target: number;
  token: number;
  cause: number;
}

export const newPoppedTimer = (): PoppedTimer => ({ tick: 0, kind: 0, target: 0, token: 0, cause: 0 });

function before(tickA: number, orderA: number, tickB: number, orderB: number): boolean {
  return tickA < tickB || (tickA === tickB && orderA < orderB);
}

function move(state: KernelState, from: number, to: number): void {
  state.timerTick[to] = state.timerTick[from];
  state.timerOrder[to] = state.timerOrder[from];
  state.timerKind[to] = state.timerKind[from];
  state.timerTarget[to] = state.timerTarget[from];
  state.timerToken[to] = state.timerToken[from];
  state.timerCause[to] = state.timerCause[from];
}

function set(state: KernelState, index: number, tick: number, order: number, kind: number, target: number, token: number, cause: number): void {
  state.timerTick[index] = tick;
  state.timerOrder[index] = order;
  state.timerKind[index] = kind;
  state.timerTarget[index] = target;
  state.timerToken[index] = token;
  state.timerCause[index] = cause;
}
