// Emitting what the detectors queued, one event per action of the machine. Anomalies are
// reports; a heal is a syscall: it tells the core (restart, nice, policy, a woken sender) and
// emits one event that the reducers (reduce.ts) apply. A queued heal that no longer applies (the
// process ended meanwhile, autonomy was switched to detect only) is dropped, not emitted.
import { DropReason, EventCode as E } from '../events';
import { headMessage } from '../reducers/ipc';
import { nextSlot } from '../reducers/process';
import { NONE, Scalar, Status } from '../state';
import { endProcess, wakeFirst } from '../syscalls/steps';
import type { Sys } from '../syscalls/sys';
import { POLICY_CODES } from '../syscalls/world';
import { AUTONOMY_QUEUE_MAX, AuScalar, AutonomyMode, CAUSE_PREVIOUS, QUEUE_FIELDS, SHED_STRIDE } from './state';
import { live } from './watch';
import { migrateNow, unplacedWhy } from './migrate';

const HEALS = new Set<number>([
  E['heal/restarted'], E['heal/reniced'], E['heal/policySwitched'], E['heal/capacityRaised'], E['heal/loadShed'], E['heal/scaled'], E['tune/switched'],
  E['heal/migrated'], E['heal/limitRaised'],
]);

/** Emits the next queued event that still applies; false when the queue held none. */
export function emitQueued(sys: Sys & { readonly cursor: number }): boolean {
  const { state } = sys;
  if (state.auScalars[AuScalar.shed] > 0 && emitShedDrop(sys)) return true;
  const event = { type: 0, node: 0, pid: 0, a: 0, b: 0, c: 0 };
  while (state.auScalars[AuScalar.count] > 0) {
    const at = state.auScalars[AuScalar.head] * QUEUE_FIELDS;
    const q = state.auQueue;
    event.type = q[at]; event.node = q[at + 1]; event.pid = q[at + 2]; event.a = q[at + 4]; event.b = q[at + 5]; event.c = q[at + 6];
    const cause = q[at + 3] === CAUSE_PREVIOUS ? state.auScalars[AuScalar.lastSeq] : q[at + 3];
    state.auScalars[AuScalar.head] = (state.auScalars[AuScalar.head] + 1) % AUTONOMY_QUEUE_MAX;
    state.auScalars[AuScalar.count]--;
    if (event.type === E['process/migrated']) {
      // The move a heal/migrated decided (emitted already, so it happens whatever the mode now).
      state.auScalars[AuScalar.lastSeq] = sys.cursor;
      migrateNow(sys, event.pid, event.b, state.scalars[Scalar.tick], cause);
      return true;
    }
    const mode = state.auScalars[AuScalar.mode];
    if (mode === AutonomyMode.off) continue;
    if (HEALS.has(event.type) && event.type !== E['tune/switched'] && mode !== AutonomyMode.heal) continue;
    if (!apply(sys, event)) continue;
    state.auScalars[AuScalar.lastSeq] = sys.cursor;
    sys.emit(state.scalars[Scalar.tick], event.type, event.node, event.pid, cause, event.a, event.b, event.c);
    return true;
  }
  return false;
}

/**
 * A load shed in progress (heal/loadShed set auScalars[shed]): drops the oldest message of the
 * channel as one ipc/dropped (why shed, cause: the heal), waking the first blocked sender. A
 * queue that emptied meanwhile ends the shed without an event.
 */
function emitShedDrop(sys: Sys): boolean {
  const { state, ctx } = sys;
  const shed = state.auScalars[AuScalar.shed];
  const channel = shed % SHED_STRIDE;
  if (state.chanQueued[channel] === 0) {
    state.auScalars[AuScalar.shed] = 0;
    return false;
  }
  const id = headMessage(state, channel);
  wakeFirst(sys, 'send', channel);
  sys.emit(state.scalars[Scalar.tick], E['ipc/dropped'], ctx.channelHome[channel], state.msgSender[id], state.auScalars[AuScalar.lastSeq], channel, id, DropReason.shed);
  return true;
}

interface QueuedEvent { type: number; node: number; pid: number; a: number; b: number; c: number }

/** The core's part of a heal (before its event), settling what only now is known; false when it no longer applies. */
function apply(sys: Sys, event: QueuedEvent): boolean {
  const { state, ctx } = sys;
  const { node, pid, b, c } = event;
  switch (event.type) {
    case E['heal/restarted']: {
      if (!live(state, pid) || !state.nodeUp[node]) return false;
      const slot = state.procSlot[pid];
      endProcess(sys, node, pid);
      sys.core.sched.add(node, slot === NONE ? nextSlot(state, node) : slot, state.procNice[pid]);
      return true;
    }
    case E['heal/reniced']:
      if (!live(state, pid)) return false;
      sys.core.sched.setNice(node, state.procSlot[pid], b);
      return true;
    case E['heal/policySwitched']: case E['tune/switched']:
      if (!state.nodeUp[node]) return false;
      sys.core.sched.setPolicy(node, POLICY_CODES[b]);
      if (c !== state.auNodeQuantum[node]) sys.core.sched.setTiming(node, c);
      return true;
    case E['heal/capacityRaised']:
      if (c <= state.auChanCapacity[b]) return false;
      wakeFirst(sys, 'send', b);
      return true;
    case E['heal/loadShed']:
      // The decision; each message it drops is then its own ipc/dropped (emitShedDrop).
      if (state.chanQueued[b] === 0) return false;
      event.c = Math.min(c, state.chanQueued[b]);
      return true;
    case E['heal/scaled']: {
      const placement = ctx.spec.agents[b].node;
      const target = placement === 'any' ? spreadTarget(sys, b) : placement;
      if (state.scalars[Scalar.nextPid] >= state.layout.procsMax || !state.nodeUp[target]) return false;
      event.node = target;
      event.pid = state.scalars[Scalar.nextPid];
      event.c = state.agentProcesses[b];
      sys.core.sched.add(target, nextSlot(state, target), ctx.spec.agents[b].priority);
      return true;
    }
    case E['heal/limitRaised']:
      return c > state.auAgentMemory[b];
    case E['heal/migrated']:
      // Still a move that can happen (the process may have ended, the target may be down or full).
      return unplacedWhy(ctx, state, sys.core, pid, b) < 0;
    default:
      return true; // anomaly/*, workload/classified: reports
  }
}

/**
 * Where a replica of `agent` goes: the up node with the fewest live processes of that agent, then
 * the fewest live processes, then the fewest runnable, then the lowest index (a spread, as
 * Kubernetes' topology spread places replicas). The runnable count alone is a snapshot: a node
 * whose busy processes happen to be blocked this instant looks idle, and the replica would land
 * beside the very processes it should relieve. One pass over the process table.
 */
function spreadTarget(sys: Sys, agent: number): number {
  const { state } = sys;
  const N = state.layout.nodeCount;
  const same = new Int32Array(N), all = new Int32Array(N);
  const count = state.scalars[Scalar.nextPid];
  for (let pid = 0; pid < count; pid++) {
    if (!live(state, pid)) continue;
    const node = state.procNode[pid];
    all[node]++;
    if (state.procAgent[pid] === agent) same[node]++;
  }
  let best = -1;
  for (let node = 0; node < N; node++) {
    if (!state.nodeUp[node]) continue;
    if (best < 0) { best = node; continue; }
    const better = same[node] !== same[best] ? same[node] < same[best]
      : all[node] !== all[best] ? all[node] < all[best]
      : state.nodeRunnable[node] < state.nodeRunnable[best];
    if (better) best = node;
  }
  return best < 0 ? leastLoaded(sys) : best;
}

/** The up node with the fewest runnable processes (lowest index on a tie), as spawn places. */
function leastLoaded(sys: Sys): number {
  const { state } = sys;
  let best = -1;
  for (let node = 0; node < state.layout.nodeCount; node++) {
    if (state.nodeUp[node] && (best < 0 || state.nodeRunnable[node] < state.nodeRunnable[best])) best = node;
  }
  return Math.max(0, best);
}
