// Circuit breakers on channels (`channels[].breaker`): closed -> open -> half-open -> closed or
// open again, each transition an event. Closed, the breaker counts the sends that end within a
// tumbling window (ipc/delivered: success; ipc/dropped, a send's ipc/timedOut: failure); at least
// `min` ended and `threshold` failed and it opens: sends are rejected at once (breaker/rejected,
// the step goes on). After `cooldown` it is half-open: one trial send goes through and the first
// outcome on the channel closes it or opens it again. An outcome that calls for a transition
// marks it due; the machine's next action emits it (cause: that outcome). Arrays are empty
// unless a channel has a breaker.
import type { KernelContext } from '../context';
import { DropReason, EventCode as E } from '../events';
import { NONE, type KernelState } from '../state';
import { pushTimer, TimerKind, type PoppedTimer } from '../sim/timers';
import type { Sys } from '../syscalls/sys';

export const Breaker = { closed: 0, open: 1, halfOpen: 2 } as const;
const DUE_OPEN = 1, DUE_CLOSE = 2;
const PPM = 1_000_000;

/** Syscall side of a send: true when the breaker rejects it (the caller emits nothing else). */
export function rejects(sys: Sys, node: number, pid: number, t: number, channel: number, size: number): boolean {
  const { state, ctx } = sys;
  if (state.brState.length === 0 || ctx.spec.channels[channel].breaker === undefined) return false;
  const status = state.brState[channel];
  if (status === Breaker.closed || (status === Breaker.halfOpen && !state.brTrial[channel])) return false;
  sys.emit(t, E['breaker/rejected'], node, pid, state.procLastSeq[pid], channel, size, 0);
  return true;
}

/** Reducer side, after every event when a channel has a breaker: counts outcomes, marks transitions due. */
export function breakerAfter(ctx: KernelContext, state: KernelState, seq: number, type: number, tick: number, a: number, b: number, c: number): void {
  let failed: boolean;
  if (type === E['ipc/delivered']) failed = false;
  else if (type === E['ipc/dropped']) {
    if (c === DropReason.shed) return; // shed by healing from the queue: the send itself had succeeded
    failed = true;
  }
  else if (type === E['ipc/timedOut'] && b === 1) failed = true; // a send that waited on a full channel too long
  else {
    if (type === E['ipc/sent'] && state.brState[a] === Breaker.halfOpen && ctx.spec.channels[a].breaker) state.brTrial[a] = 1;
    return;
  }
  const channel = a;
  const spec = ctx.spec.channels[channel].breaker;
  if (spec === undefined || state.brDue[channel] !== 0) return;
  const status = state.brState[channel];
  if (status === Breaker.open) return; // a message sent before it opened
  if (status === Breaker.halfOpen) {
    if (!state.brTrial[channel]) return;
    markDue(state, channel, failed ? DUE_OPEN : DUE_CLOSE, seq);
    return;
  }
  const window = Math.floor(tick / spec.windowTicks) * spec.windowTicks;
  if (state.brWindow[channel] !== window) {
    state.brWindow[channel] = window;
    state.brCalls[channel] = 0;
    state.brFailures[channel] = 0;
  }
  state.brCalls[channel]++;
  if (failed) state.brFailures[channel]++;
  const calls = state.brCalls[channel], failures = state.brFailures[channel];
  if (calls >= spec.min && failures * PPM >= spec.thresholdPpm * calls) markDue(state, channel, DUE_OPEN, seq);
}

function markDue(state: KernelState, channel: number, due: number, seq: number): void {
  state.brDue[channel] = due;
  state.brCause[channel] = seq;
  state.brDueCount[0]++;
}

/** The machine's action when a transition is due (lowest channel first): one event. */
export function transitionNext(sys: Sys, t: number): boolean {
  const { state, ctx } = sys;
  for (let channel = 0; channel < state.brDue.length; channel++) {
    const due = state.brDue[channel];
    if (due === 0) continue;
    const node = ctx.channelHome[channel];
    if (due === DUE_OPEN) sys.emit(t, E['breaker/opened'], node, NONE, state.brCause[channel], channel, state.brFailures[channel], state.brCalls[channel]);
    else sys.emit(t, E['breaker/closed'], node, NONE, state.brCause[channel], channel, 0, 0);
    return true;
  }
  return false;
}

/** Reducer of breaker/opened and breaker/closed. */
export function transitioned(ctx: KernelContext, state: KernelState, seq: number, tick: number, type: number, channel: number): void {
  state.brDue[channel] = 0;
  state.brDueCount[0]--;
  state.brTrial[channel] = 0;
  state.brCalls[channel] = 0;
  state.brFailures[channel] = 0;
  state.brWindow[channel] = NONE;
  if (type === E['breaker/opened']) {
    state.brState[channel] = Breaker.open;
    pushTimer(state, tick + ctx.spec.channels[channel].breaker!.cooldownTicks, TimerKind.breaker, channel, 0, seq);
  } else {
    state.brState[channel] = Breaker.closed;
  }
}

/** The cooldown timer: open -> half-open (an event). */
export function cooledDown(sys: Sys, timer: PoppedTimer): boolean {
  const { state, ctx } = sys;
  const channel = timer.target;
  if (state.brState[channel] !== Breaker.open) return false;
  sys.emit(timer.tick, E['breaker/halfOpened'], ctx.channelHome[channel], NONE, timer.cause, channel, 0, 0);
  return true;
}
