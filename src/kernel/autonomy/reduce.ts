// What the autonomy's events change in the state (called from reducers/index.ts). Anomaly and
// classification events are reports and change nothing here (the detectors' own arrays move in
// watch.ts); heals change the world like the user's interventions do.
import type { KernelContext } from '../context';
import { EventCode as E } from '../events';
import { dequeueWaiter, makeRunnable } from '../reducers/cpu';
import { headMessage } from '../reducers/ipc';
import { restartedByUser, spawned } from '../reducers/process';
import { Scalar, NONE, type KernelState } from '../state';
import { capacityOf } from '../reducers/ipc';
import { AuScalar, SHED_STRIDE } from './state';
import { AnomalyKind, kindOf, subjectOf } from './codes';

export function reduceAutonomy(ctx: KernelContext, state: KernelState, seq: number, tick: number, type: number, node: number, pid: number, a: number, b: number, c: number): void {
  switch (type) {
    case E['heal/restarted']:
      restartedByUser(ctx, state, seq, tick, pid);
      return;
    case E['heal/reniced']:
      state.procNice[pid] = b;
      return;
    case E['heal/policySwitched']: case E['tune/switched']:
      state.auNodePolicy[node] = b;
      state.auNodeQuantum[node] = c;
      return;
    case E['heal/capacityRaised']: {
      state.auChanCapacity[b] = c;
      rearmChannel(state, b);
      const waiter = dequeueWaiter(state, 'send', b);
      if (waiter !== NONE) makeRunnable(state, waiter, tick, seq);
      return;
    }
    case E['heal/loadShed']:
      // The drops follow, one ipc/dropped each (shedDropped), oldest first.
      state.auScalars[AuScalar.shed] = c * SHED_STRIDE + b;
      rearmChannel(state, b);
      return;
    case E['heal/scaled']:
      spawned(ctx, state, seq, tick, node, pid, b, c, NONE, true);
      state.auAgentAdded[b]++;
      // A congestion's replica: look at the channel afresh, so a queue still full a window later
      // is found again and answered (another replica, room, shed) instead of left as it is.
      if (kindOf(a) === AnomalyKind.congestion) rearmChannel(state, subjectOf(a));
      return;
    case E['heal/limitRaised']:
      state.auAgentMemory[b] = c;
      return;
    default:
      return; // anomaly/detected, anomaly/predicted, workload/classified: reports
  }
}

function rearmChannel(state: KernelState, channel: number): void {
  if (!(channel >= 0 && channel < state.auChanFlags.length)) return;
  state.auChanFlags[channel] = 0;
  state.auChanHighSince[channel] = NONE;
}

/** ipc/dropped, why shed: the oldest message of the channel's queue leaves it; one drop fewer to go. */
export function shedDropped(state: KernelState, seq: number, tick: number, channel: number): void {
  const id = headMessage(state, channel);
  state.chanHead[channel] = (state.chanHead[channel] + 1) % capacityOf(state, channel);
  state.chanQueued[channel]--;
  state.chanDropped[channel]++;
  state.msgNext[id] = state.scalars[Scalar.messageFreeHead];
  state.scalars[Scalar.messageFreeHead] = id;
  state.scalars[Scalar.messagesLive]--;
  const waiter = dequeueWaiter(state, 'send', channel);
  if (waiter !== NONE) makeRunnable(state, waiter, tick, seq);
  const left = Math.floor(state.auScalars[AuScalar.shed] / SHED_STRIDE) - 1;
  state.auScalars[AuScalar.shed] = left > 0 ? left * SHED_STRIDE + channel : 0;
}

/** The user switched autonomy (user/intervened, kind autonomy): 0 off, 1 detect only, 2 heal. */
export function autonomySwitched(state: KernelState, mode: number): void {
  if (state.auScalars.length > 0) state.auScalars[AuScalar.mode] = mode;
}
