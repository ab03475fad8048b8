// Supervisors as Erlang/OTP has them, and Kubernetes' CrashLoopBackOff, on virtual time.
//
// A supervised process that ends with a restart type asking for a restart (permanent: always;
// transient: after a failure; temporary: never) waits, status restarting, in the decision queue.
// The machine's next action is its supervisor's decision, one event:
// - `supervisor/restarting`: the processes the strategy names (one_for_one: that one;
//   one_for_all: every child's; rest_for_one: that child's and those after it) are stopped and
//   each gets a restart timer after its backoff; their process/restarted events are caused by it;
// - `supervisor/gaveUp` when this restart would be more than `intensity` within `period`: every
//   process under it fails (reason supervisor) and, unless it is a root, its parent decides about
//   it as one child, which restarts the whole subtree.
// The legacy `restart:` of an unsupervised agent is the same mechanism with an implicit
// one_for_one supervisor of one process whose intensity is `max` over its whole life and whose
// decision emits no event of its own (so format-1 journals are unchanged); its backoff is the
// same delay function (constant, or CrashLoopBackOff with `backoff: { initial, max, reset }`).
//
// `decide*` run before the event (they make the core calls: stopping processes), `apply*` are
// the event's reducers; both compute the same sets from the same state.
import type { KernelContext } from '../context';
import { EventCode as E, FailReason } from '../events';
import { letGo, releaseSlot } from '../reducers/process';
import { NONE, Scalar, Status, type KernelState } from '../state';
import { pushTimer, TimerKind } from '../sim/timers';
import type { Sys } from '../syscalls/sys';
import { endProcess } from '../syscalls/steps';
import type { CrashLoopSpec } from '../../spec/types';
import { armProbe } from './probes';
import { armReadiness } from './readiness';

/** A queue entry for a child supervisor that gave up: -2 - its index. */
const supervisorEntry = (supervisor: number) => -2 - supervisor;

// --- CrashLoopBackOff ---------------------------------------------------------------------------

/** Doublings before the delay is capped whatever the durations (2^40 µs is far past any max). */
const DOUBLINGS_MAX = 40;

/** The delay of the restart after `level` restarts in a row: min(initial * 2^level, max). */
export function backoffDelay(backoff: CrashLoopSpec, level: number): number {
  let delay = backoff.initialTicks;
  for (let step = 0; step < level && step < DOUBLINGS_MAX && delay < backoff.maxTicks; step++) delay *= 2;
  return Math.min(delay, backoff.maxTicks);
}

/** The restart level of a process that ended at `tick`: back to 0 after it ran `reset` without failing. */
function levelAt(state: KernelState, pid: number, tick: number, backoff: CrashLoopSpec): number {
  return tick - state.procStartTick[pid] >= backoff.resetTicks ? 0 : state.procBackoffLevel[pid];
}

/** Reducer side: the delay of this restart of `pid`, and one more restart in a row. */
export function nextRestartDelay(state: KernelState, pid: number, tick: number, backoff: CrashLoopSpec): number {
  const level = levelAt(state, pid, tick, backoff);
  state.procBackoffLevel[pid] = Math.min(level + 1, DOUBLINGS_MAX);
  return backoffDelay(backoff, level);
}

/** A process (re)started at `tick` (spawned, restarted): the reset period counts from here, its liveness probe too. */
export function started(ctx: KernelContext, state: KernelState, pid: number, tick: number, seq: number): void {
  if (state.procStartTick.length > 0) state.procStartTick[pid] = tick;
  if (state.procProbeArm.length > 0) armProbe(ctx, state, pid, tick, seq);
  if (state.procReady.length > 0) armReadiness(ctx, state, pid, tick, seq);
}

// --- Ending: into the decision queue -----------------------------------------------------------

/** True when `pid`'s agent has a supervisor (its ends are decided there, not by `restart:`). */
export function isSupervised(ctx: KernelContext, state: KernelState, pid: number): boolean {
  return ctx.supervision !== undefined && ctx.supervision.agentSupervisor[state.procAgent[pid]] >= 0;
}

/** Reducer side of a supervised process's end asking for a restart: it waits for the decision. */
export function awaitDecision(state: KernelState, pid: number): void {
  state.procStatus[pid] = Status.restarting;
  state.procSupDue[pid] = 1;
  enqueue(state, pid);
}

function enqueue(state: KernelState, entry: number): void {
  const size = state.supQueue.length;
  const [head, length] = state.supQueueAt;
  // Each process and supervisor is in the queue at most once while due, so it never fills.
  if (length >= size) throw new Error(`kernel: the supervisors' decision queue is full (${size}): a kernel bug`);
  state.supQueue[(head + length) % size] = entry;
  state.supQueueAt[1] = length + 1;
}

function dequeue(state: KernelState): void {
  state.supQueueAt[0] = (state.supQueueAt[0] + 1) % state.supQueue.length;
  state.supQueueAt[1]--;
}

function entryDue(state: KernelState, entry: number): boolean {
  if (entry >= 0) return state.procSupDue[entry] === 1 && state.procStatus[entry] === Status.restarting;
  return state.supDue[-2 - entry] === 1;
}

// --- The decision ----------------------------------------------------------------------------

const live = (status: number) => status === Status.runnable || status === Status.running || status === Status.blocked || status === Status.paused;

/** Restarts `supervisor` remembers within its period before `tick`. */
export function restartsWithin(ctx: KernelContext, state: KernelState, supervisor: number, tick: number): number {
  const plan = ctx.supervision!;
  const base = plan.ringBase[supervisor], count = state.supRingCount[supervisor];
  const since = tick - ctx.spec.supervisors[supervisor].periodTicks;
  let within = 0;
  for (let index = 0; index < count; index++) if (state.supRing[base + index] > since) within++;
  return within;
}

/** The direct supervisor deciding about a queue entry. */
function deciderOf(ctx: KernelContext, state: KernelState, entry: number): number {
  return entry >= 0 ? ctx.supervision!.agentSupervisor[state.procAgent[entry]] : ctx.spec.supervisors[-2 - entry].parent;
}

interface RestartSet {
  /** Processes the decision stops or restarts, in start order (children order, then pid). */
  readonly pids: number[];
  /** Child supervisors restarted with them (their restart history starts afresh). */
  readonly supervisors: number[];
}

/** What `supervisor`'s strategy restarts when `entry` (a pid, or a child supervisor) ended. */
export function restartSet(ctx: KernelContext, state: KernelState, supervisor: number, entry: number): RestartSet {
  const plan = ctx.supervision!;
  const spec = ctx.spec.supervisors[supervisor];
  const childIndex = spec.children.findIndex((child) => (entry >= 0 ? child.kind === 'agent' && child.index === state.procAgent[entry] : child.kind === 'supervisor' && child.index === -2 - entry));
  const pids: number[] = [], supervisors: number[] = [];
  if (spec.strategy === 'one_for_one' && entry >= 0) return { pids: [entry], supervisors };
  const first = spec.strategy === 'one_for_all' ? 0 : childIndex;
  const last = spec.strategy === 'one_for_one' ? childIndex : spec.children.length - 1;
  const count = state.scalars[Scalar.nextPid];
  for (let index = first; index <= last; index++) {
    const child = spec.children[index];
    if (child.kind === 'supervisor') supervisors.push(...plan.subtree[child.index]);
    for (const agent of plan.childAgents[supervisor][index]) {
      for (let pid = 0; pid < count; pid++) {
        if (state.procAgent[pid] !== agent || !state.nodeUp[state.procNode[pid]]) continue;
        const status = state.procStatus[pid];
        const stopped = status === Status.failed && state.procFailReason[pid] === FailReason.supervisor && state.procSlot[pid] !== NONE;
        if (pid === entry || live(status) || status === Status.restarting || stopped) pids.push(pid);
      }
    }
  }
  return { pids, supervisors };
}

/**
 * The machine's action when a decision is due: one supervisor/restarting or supervisor/gaveUp
 * event. Entries no longer due (restarted meanwhile by another decision or the user) are dropped
 * first without an event. False when none is due.
 */
export function decideNext(sys: Sys, t: number): boolean {
  const { state, ctx } = sys;
  if (state.supQueueAt.length === 0) return false;
  while (state.supQueueAt[1] > 0 && !entryDue(state, state.supQueue[state.supQueueAt[0]])) dequeue(state);
  if (state.supQueueAt[1] === 0) return false;
  const entry = state.supQueue[state.supQueueAt[0]];
  const supervisor = deciderOf(ctx, state, entry);
  const spec = ctx.spec.supervisors[supervisor];
  const restarts = restartsWithin(ctx, state, supervisor, t) + 1;
  const pid = entry >= 0 ? entry : NONE;
  const node = entry >= 0 ? state.procNode[entry] : 0;
  const cause = entry >= 0 ? state.procLastSeq[entry] : state.supCauseSeq[-2 - entry];
  const child = entry >= 0 ? NONE : -2 - entry;
  const stop = (target: number) => {
    if (live(state.procStatus[target])) endProcess(sys, state.procNode[target], target);
  };
  if (restarts > spec.intensity) {
    forEachUnder(ctx, state, supervisor, stop);
    sys.emit(t, E['supervisor/gaveUp'], node, pid, cause, supervisor, restarts, child);
    return true;
  }
  for (const target of restartSet(ctx, state, supervisor, entry).pids) stop(target);
  sys.emit(t, E['supervisor/restarting'], node, pid, cause, supervisor, restarts, child);
  return true;
}

/**
 * For views that replay the journal without the state: the agents whose running processes a
 * decision stopped (the strategy's children; a give-up: its whole subtree). `agent` is the
 * agent of the event's pid, or -1 when a child supervisor `child` was the trigger.
 */
export function agentsStoppedBy(ctx: KernelContext, gaveUp: boolean, supervisor: number, agent: number, child: number): readonly number[] {
  const plan = ctx.supervision;
  if (plan === undefined) return [];
  if (gaveUp) return plan.subtreeAgents[supervisor];
  const spec = ctx.spec.supervisors[supervisor];
  const index = spec.children.findIndex((item) => (agent >= 0 ? item.kind === 'agent' && item.index === agent : item.kind === 'supervisor' && item.index === child));
  if (spec.strategy === 'one_for_one') return agent >= 0 ? [] : plan.childAgents[supervisor][index];
  return plan.childAgents[supervisor].slice(spec.strategy === 'one_for_all' ? 0 : index).flat();
}

function forEachUnder(ctx: KernelContext, state: KernelState, supervisor: number, visit: (pid: number) => void): void {
  const count = state.scalars[Scalar.nextPid];
  for (const agent of ctx.supervision!.subtreeAgents[supervisor]) {
    for (let pid = 0; pid < count; pid++) if (state.procAgent[pid] === agent) visit(pid);
  }
}

// --- Reducers ----------------------------------------------------------------------------------

/** supervisor/restarting: remember the restart, stop what the strategy names, time each restart. */
export function applyRestarting(ctx: KernelContext, state: KernelState, seq: number, tick: number, supervisor: number, pid: number, child: number): void {
  const plan = ctx.supervision!;
  const spec = ctx.spec.supervisors[supervisor];
  const entry = pid >= 0 ? pid : supervisorEntry(child);
  const { pids, supervisors } = restartSet(ctx, state, supervisor, entry);
  dequeue(state);
  // The ring keeps the last `intensity` restart ticks.
  const base = plan.ringBase[supervisor], size = plan.ringSize[supervisor];
  state.supRing[base + state.supRingNext[supervisor]] = tick;
  state.supRingNext[supervisor] = (state.supRingNext[supervisor] + 1) % size;
  state.supRingCount[supervisor] = Math.min(size, state.supRingCount[supervisor] + 1);
  state.supRestarts[supervisor]++;
  for (const target of pids) {
    const status = state.procStatus[target];
    const agent = ctx.spec.agents[state.procAgent[target]];
    const own = plan.agentSupervisor[agent.index];
    if (live(status)) {
      letGo(state, seq, tick, target);
      if (agent.restart.policy === 'never') {
        // temporary: stopped with its siblings, never restarted.
        state.procStatus[target] = Status.failed;
        state.procFailReason[target] = FailReason.supervisor;
        state.procExitCode[target] = 0;
        state.scalars[Scalar.liveProcesses]--;
        releaseSlot(state, target);
        continue;
      }
    } else if (status === Status.failed) {
      state.scalars[Scalar.liveProcesses]++;
      state.procToken[target]++;
    } else {
      state.procToken[target]++; // restarting: an earlier timer no longer fires
    }
    state.procStatus[target] = Status.restarting;
    state.procSupDue[target] = 0;
    state.procLastSeq[target] = seq;
    const delay = nextRestartDelay(state, target, tick, ctx.spec.supervisors[own].backoff);
    pushTimer(state, tick + delay, TimerKind.restart, target, state.procToken[target], seq);
  }
  for (const restarted of supervisors) {
    state.supDown[restarted] = 0;
    state.supDue[restarted] = 0;
    state.supRingCount[restarted] = 0;
    state.supRingNext[restarted] = 0;
  }
  void spec;
}

/** supervisor/gaveUp: everything under it fails; its parent's decision is due (unless temporary). */
export function applyGaveUp(ctx: KernelContext, state: KernelState, seq: number, tick: number, supervisor: number): void {
  dequeue(state);
  forEachUnder(ctx, state, supervisor, (pid) => {
    const status = state.procStatus[pid];
    if (!live(status) && status !== Status.restarting) return;
    if (live(status)) letGo(state, seq, tick, pid);
    else state.procToken[pid]++;
    // Failed, keeping its slot: a restart of the subtree by the parent starts it again.
    state.procStatus[pid] = Status.failed;
    state.procFailReason[pid] = FailReason.supervisor;
    state.procExitCode[pid] = 0;
    state.procSupDue[pid] = 0;
    state.procLastSeq[pid] = seq;
    state.scalars[Scalar.liveProcesses]--;
  });
  for (const under of ctx.supervision!.subtree[supervisor]) state.supDown[under] = 1;
  state.supGaveUp[supervisor]++;
  const spec = ctx.spec.supervisors[supervisor];
  if (spec.parent >= 0 && spec.restart !== 'never') {
    state.supDue[supervisor] = 1;
    state.supCauseSeq[supervisor] = seq;
    enqueue(state, supervisorEntry(supervisor));
  }
}
