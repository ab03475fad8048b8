// Channels: messages sent, delivered after their delay, received, dropped, timed out.
import type { KernelContext } from '../context';
import { NONE, Scalar, type KernelState } from '../state';
import { pushTimer, TimerKind } from '../sim/timers';
import { dequeueWaiter, makeRunnable, removeWaiter } from './cpu';
import { advancePc } from './program';

/** The message id a send will get (the reducer takes the same one). */
export function nextMessage(state: KernelState): number {
  return state.scalars[Scalar.messageFreeHead];
}

export function initMessagePool(state: KernelState): void {
  const M = state.msgNext.length;
  for (let id = 0; id < M; id++) state.msgNext[id] = id + 1 < M ? id + 1 : NONE;
  state.scalars[Scalar.messageFreeHead] = 0;
}

function freeMessage(state: KernelState, id: number): void {
  state.msgNext[id] = state.scalars[Scalar.messageFreeHead];
  state.scalars[Scalar.messageFreeHead] = id;
  state.scalars[Scalar.messagesLive]--;
}

function enqueue(state: KernelState, channel: number, id: number, tick: number, seq: number): void {
  const capacity = capacityOf(state, channel);
  const index = (state.chanHead[channel] + state.chanQueued[channel]) % capacity;
  state.chanRing[state.chanRingBase[channel] + index] = id;
  state.chanQueued[channel]++;
  const waiter = dequeueWaiter(state, 'recv', channel);
  if (waiter !== NONE) makeRunnable(state, waiter, tick, seq);
}

export function capacityOf(state: KernelState, channel: number): number {
  const next = channel + 1 < state.chanRingBase.length ? state.chanRingBase[channel + 1] : state.chanRing.length;
  return next - state.chanRingBase[channel];
}

/** The message at the head of a channel's queue. */
export function headMessage(state: KernelState, channel: number): number {
  return state.chanRing[state.chanRingBase[channel] + state.chanHead[channel]];
}

/** Takes a message from the pool (the syscall checked there is room). */
function newMessage(state: KernelState, seq: number, channel: number, size: number, sender: number): number {
  const id = state.scalars[Scalar.messageFreeHead];
  state.scalars[Scalar.messageFreeHead] = state.msgNext[id];
  state.scalars[Scalar.messagesLive]++;
  state.msgSentSeq[id] = seq;
  state.msgSize[id] = size;
  state.msgChannel[id] = channel;
  state.msgSender[id] = sender;
  return id;
}

export function sent(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number, channel: number, size: number, delay: number): void {
  const id = newMessage(state, seq, channel, size, pid);
  state.chanSent[channel]++;
  state.procSent[pid]++;
  const rate = ctx.spec.channels[channel].rate;
  if (rate) {
    const window = Math.floor(tick / rate.windowTicks) * rate.windowTicks;
    if (state.chanWindowStart[channel] !== window) {
      state.chanWindowStart[channel] = window;
      state.chanWindowCount[channel] = 0;
    }
    state.chanWindowCount[channel]++;
  }
  state.procLastSeq[pid] = seq;
  advancePc(ctx, state, pid);
  if (delay === 0) enqueue(state, channel, id, tick, seq);
  else {
    state.chanInFlight[channel]++;
    pushTimer(state, tick + delay, TimerKind.deliver, id, 0, seq);
  }
}

/** A message from nobody (the user's intervention) goes straight into the queue. */
export function injectMessage(state: KernelState, seq: number, tick: number, channel: number, size: number): void {
  enqueue(state, channel, newMessage(state, seq, channel, size, NONE), tick, seq);
}

export function delivered(state: KernelState, seq: number, tick: number, channel: number, id: number): void {
  state.chanInFlight[channel]--;
  state.chanDelivered[channel]++;
  enqueue(state, channel, id, tick, seq);
}

export function received(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number, channel: number): void {
  const id = headMessage(state, channel);
  state.chanHead[channel] = (state.chanHead[channel] + 1) % capacityOf(state, channel);
  state.chanQueued[channel]--;
  freeMessage(state, id);
  state.procReceived[pid]++;
  state.procLastSeq[pid] = seq;
  advancePc(ctx, state, pid);
  wakeSender(state, channel, tick, seq);
}

export function dropped(state: KernelState, seq: number, tick: number, channel: number, id: number): void {
  state.chanInFlight[channel]--;
  state.chanDropped[channel]++;
  freeMessage(state, id);
  wakeSender(state, channel, tick, seq);
}

function wakeSender(state: KernelState, channel: number, tick: number, seq: number): void {
  const waiter = dequeueWaiter(state, 'send', channel);
  if (waiter !== NONE) makeRunnable(state, waiter, tick, seq);
}

/** op: 0 recv, 1 send, 2 bid (channel is then the resource). */
export function timedOut(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number, channel: number, op: number): void {
  if (op === 2) state.procBidUnits[pid] = 0;
  else removeWaiter(state, op === 0 ? 'recv' : 'send', channel, pid);
  makeRunnable(state, pid, tick, seq);
  advancePc(ctx, state, pid);
}
