// Syscalls that are not a process's own step: the CPU's picks and preemptions, timers firing,
// faults from the spec, auctions clearing, boot, and the user's interventions.
import type { KernelContext } from '../context';
import { ALLOCATOR_CODES, BlockReason, DeniedWhy, DropReason, EventCode as E, FailReason, InterventionKind, POLICY_CODES, WakeReason } from '../events';
import { NONE, Scalar, Status, STATUS_NAMES } from '../state';
import { TimerKind, type PoppedTimer } from '../sim/timers';
import { endProcess, startProcess, wakeFirst } from './steps';
import { probe } from '../autonomy/probes';
import { cooledDown } from '../autonomy/breakers';
import { readinessCheck } from '../autonomy/readiness';
import { subtreeVictims } from '../autonomy/tree';
import { migrateNow, migrationProblem } from '../autonomy/migrate';
import type { Journal } from '../journal/journal';
import { nextSlot, restartableAfterCrash } from '../reducers/process';
import { drawTicks, type Sys } from './sys';
import { AUTONOMY_MODES, capacityNow, type AutonomyModeName } from '../autonomy/state';
import type { AllocatorKind, SchedulerPolicy } from '../../spec/types';

const PPM = 1_000_000;

/** The CPU is free: ask the scheduler who runs next. Returns false if nobody is runnable. */
export function pick(sys: Sys, node: number, t: number): boolean {
  const { state } = sys;
  const choice = sys.core.sched.pick(node);
  if (!choice) return false;
  const pid = slotOwner(sys, node, choice.slot);
  const value = Math.max(-0x80000000, Math.min(0x7fffffff, choice.value));
  sys.emit(t, E['sched/switched'], node, pid, state.procLastSeq[pid], choice.reason, value, choice.sliceTicks);
  return true;
}

/** pid of the process holding a slot on a node (the core speaks slots). */
function slotOwner(sys: Sys, node: number, slot: number): number {
  const pid = slot >= 0 && slot < sys.state.layout.procsMax ? sys.state.slotPid[node * sys.state.layout.procsMax + slot] : NONE;
  if (pid === NONE) throw new Error(`kernel: the scheduler picked slot ${slot} on node n${node}, which no process holds`);
  return pid;
}

export function preempt(sys: Sys, node: number, pid: number, t: number): void {
  const { state } = sys;
  const ran = t - state.nodeRunSince[node];
  const slot = state.procSlot[pid];
  sys.core.sched.charge(node, slot, ran);
  sys.core.sched.requeue(node, slot);
  sys.emit(t, E['sched/preempted'], node, pid, state.procLastSeq[pid], ran, 0, 0);
}

export function bootNext(sys: Sys): void {
  const { state, ctx } = sys;
  const index = state.scalars[Scalar.bootNext];
  const process = ctx.boot[index];
  startProcess(sys, process.node, state.scalars[Scalar.nextPid], process.agent, process.replica, NONE, 0, 0);
}

export function fireTimer(sys: Sys, timer: PoppedTimer): boolean {
  const { state, ctx } = sys;
  const t = timer.tick;
  switch (timer.kind) {
    case TimerKind.wake: {
      const pid = timer.target;
      if (state.procToken[pid] !== timer.token || state.procStatus[pid] !== Status.blocked) return false;
      sys.core.sched.wake(state.procNode[pid], state.procSlot[pid]);
      sys.emit(t, E['sched/woken'], state.procNode[pid], pid, timer.cause, WakeReason.timer, state.procBlockObject[pid], 0);
      return true;
    }
    case TimerKind.timeout: {
      const pid = timer.target;
      if (state.procToken[pid] !== timer.token || state.procStatus[pid] !== Status.blocked) return false;
      const reason = state.procBlockReason[pid];
      if (reason === BlockReason.bid && ctx.spec.agents[state.procAgent[pid]].budget !== undefined) {
        // A budgeted bid still outbid when its timeout ends: RESOURCE_DENIED, the process fails.
        endProcess(sys, state.procNode[pid], pid);
        sys.emit(t, E['resource/denied'], state.procNode[pid], pid, timer.cause, state.procBlockObject[pid], state.procBidPrice[pid], DeniedWhy.outbid);
        return true;
      }
      const op = reason === BlockReason.recv ? 0 : reason === BlockReason.sendFull ? 1 : 2;
      sys.core.sched.wake(state.procNode[pid], state.procSlot[pid]);
      sys.emit(t, E['ipc/timedOut'], state.procNode[pid], pid, timer.cause, state.procBlockObject[pid], op, 0);
      return true;
    }
    case TimerKind.deliver: {
      const id = timer.target;
      const channel = state.msgChannel[id];
      const home = ctx.channelHome[channel];
      // The node it was sent from (its ipc/sent's node): a sender that migrated since does not move
      // a message already on its way.
      const from = 'journal' in sys ? (sys as Sys & { journal: Journal }).journal.node(state.msgSentSeq[id]) : state.procNode[state.msgSender[id]];
      const why = !state.nodeUp[home] ? DropReason.nodeDown
        : state.nodeGroup[from] !== state.nodeGroup[home] ? DropReason.partition
        : ctx.spec.cluster.lossPpm > 0 && sys.prng.below(PPM) < ctx.spec.cluster.lossPpm ? DropReason.loss
        : NONE;
      if (why !== NONE) {
        wakeFirst(sys, 'send', channel);
        sys.emit(t, E['ipc/dropped'], home, state.msgSender[id], timer.cause, channel, id, why);
      } else {
        wakeFirst(sys, 'recv', channel);
        sys.emit(t, E['ipc/delivered'], home, state.msgSender[id], timer.cause, channel, state.msgSentSeq[id], id);
      }
      return true;
    }
    case TimerKind.fault:
      applyFault(sys, timer.target, t);
      return true;
    case TimerKind.sync: {
      const N = state.layout.nodeCount;
      const key = timer.target;
      const to = key % N, from = Math.floor(key / N) % N, object = Math.floor(key / (N * N));
      if (!state.nodeUp[from] || !state.nodeUp[to] || state.nodeGroup[from] !== state.nodeGroup[to]) {
        state.syncPending[key] = 0; // lost with the partition or the node; a heal or recovery syncs again
        return false;
      }
      sys.core.shared!.merge(object, from, to);
      sys.emit(t, E['crdt/merged'], to, NONE, timer.cause, object, from, to);
      return true;
    }
    case TimerKind.probe:
      return probe(sys, timer);
    case TimerKind.breaker:
      return cooledDown(sys, timer);
    case TimerKind.ready:
      return readinessCheck(sys, timer);
    case TimerKind.restart: {
      const pid = timer.target;
      if (state.procToken[pid] !== timer.token || state.procStatus[pid] !== Status.restarting) return false;
      const node = state.procNode[pid];
      sys.core.sched.add(node, state.procSlot[pid], state.procNice[pid]);
      sys.emit(t, E['process/restarted'], node, pid, timer.cause, state.procRestarts[pid] + 1, 0, 0);
      return true;
    }
  }
  return false;
}

function applyFault(sys: Sys, index: number, t: number): void {
  const { state, ctx } = sys;
  const fault = ctx.spec.cluster.faults[index];
  switch (fault.kind) {
    case 'partition':
      sys.emit(t, E['net/partitioned'], 0, NONE, NONE, index, fault.groups.length, 0);
      return;
    case 'heal':
      sys.emit(t, E['net/healed'], 0, NONE, NONE, index, 0, 0);
      return;
    case 'crash': {
      const count = state.scalars[Scalar.nextPid];
      for (let pid = 0; pid < count; pid++) {
        const status = state.procStatus[pid];
        if (state.procNode[pid] !== fault.node || status === Status.exited || status === Status.failed || status === Status.free) continue;
        if (status !== Status.restarting) endProcess(sys, fault.node, pid);
      }
      sys.emit(t, E['node/crashed'], fault.node, NONE, NONE, index, 0, 0);
      return;
    }
    case 'recover': {
      for (const pid of restartableAfterCrash(ctx, state, fault.node)) sys.core.sched.add(fault.node, state.procSlot[pid], state.procNice[pid]);
      sys.emit(t, E['node/recovered'], fault.node, NONE, NONE, index, 0, 0);
      return;
    }
  }
}

/** Grants units to the best waiting bid of a resource with free units; false if none can be granted. */
export function clearAuction(sys: Sys, t: number): boolean {
  const { state, ctx } = sys;
  const count = state.scalars[Scalar.nextPid];
  for (let resource = 0; resource < state.layout.resourceCount; resource++) {
    let winner = NONE, runnerUpPrice = 0;
    for (let pid = 0; pid < count; pid++) {
      if (state.procStatus[pid] !== Status.blocked || state.procBlockReason[pid] !== BlockReason.bid || state.procBlockObject[pid] !== resource) continue;
      if (winner === NONE || state.procBidPrice[pid] > state.procBidPrice[winner]) {
        if (winner !== NONE) runnerUpPrice = Math.max(runnerUpPrice, state.procBidPrice[winner]);
        winner = pid;
      } else {
        runnerUpPrice = Math.max(runnerUpPrice, state.procBidPrice[pid]);
      }
    }
    if (winner === NONE || state.procBidUnits[winner] > state.resourceFree[resource]) continue;
    const paid = ctx.spec.resources[resource].auction === 'first-price' ? state.procBidPrice[winner] : runnerUpPrice;
    const node = state.procNode[winner];
    sys.core.sched.wake(node, state.procSlot[winner]);
    sys.emit(t, E['resource/granted'], node, winner, state.procLastSeq[winner], resource, state.procBidUnits[winner], paid);
    return true;
  }
  state.scalars[Scalar.auctionsDue] = 0;
  return false;
}

// Interventions ------------------------------------------------------------------------------

export type Intervention =
  | { kind: 'kill'; pid: number }
  | { kind: 'nice'; pid: number; nice: number }
  | { kind: 'policy'; node: number; policy: SchedulerPolicy }
  /** Switches a node's heap allocator; its blocks stay where they are. */
  | { kind: 'allocator'; node: number; allocator: AllocatorKind }
  | { kind: 'pause'; pid: number }
  | { kind: 'resume'; pid: number }
  /** The process starts its program again now (also after it ended, or was killed). */
  | { kind: 'restart'; pid: number }
  /** A message of `size` bytes appears in a channel's queue, as if sent by nobody. */
  | { kind: 'inject'; channel: number; size: number }
  /** Switches the spec's autonomy off, to detect only, or to heal (kernel/autonomy/). */
  | { kind: 'autonomy'; mode: AutonomyModeName }
  /**
   * Kills a subtree (kernel/autonomy/tree.ts): a process and its descendants, or, by name, a
   * supervisor's processes, an agent's, or agent[replica]'s, with their descendants; one event each.
   */
  | { kind: 'killTree'; pid: number }
  | { kind: 'killTree'; name: string }
  /**
   * Moves a live process to another node (kernel/autonomy/migrate.ts): a user/intervened event,
   * then the move (process/migrated, or process/unplaced saying why) caused by it, the next event.
   */
  | { kind: 'migrate'; pid: number; node: number };

// The codes a policy or allocator switch carries live beside the other event codes (events.ts), so
// the page can name them without loading the kernel's syscalls.
export { ALLOCATOR_CODES, POLICY_CODES };

/** Checks an intervention against the state; returns why it cannot apply, or undefined. */
export function interventionProblem(sys: Sys & { readonly journal: Journal; readonly cursor: number }, intervention: Intervention): string | undefined {
  const { state } = sys;
  if (intervention.kind === 'killTree') {
    if ('name' in intervention && (typeof intervention.name !== 'string' || intervention.name.length === 0 || intervention.name.length > 128)) return 'a subtree is named by a pid, a supervisor, an agent or agent[replica]';
    const found = subtreeVictims(sys.ctx, state, sys.journal, sys.cursor, intervention);
    return typeof found === 'string' ? found : undefined;
  }
  if (intervention.kind === 'inject') {
    const channel = sys.ctx.spec.channels[intervention.channel];
    if (!Number.isInteger(intervention.channel) || !channel) return `there is no channel ${intervention.channel}`;
    if (!Number.isInteger(intervention.size) || intervention.size < 0 || intervention.size > 0x3fffffff) return 'the message size must be 0..1GiB in bytes';
    if (state.chanQueued[intervention.channel] + state.chanInFlight[intervention.channel] >= capacityNow(state, sys.ctx.spec, intervention.channel)) return `channel ${channel.from.agent}.${channel.from.port} -> ${channel.to.agent}.${channel.to.port} is full`;
    if (state.scalars[Scalar.messagesLive] >= state.layout.messagesMax) return 'the kernel holds as many messages as it can';
    return undefined;
  }
  if (intervention.kind === 'autonomy') {
    if (state.auScalars.length === 0) return 'the spec has no autonomy: key (add `autonomy: { heal: off }` to watch, or `autonomy:` to heal too)';
    if (!AUTONOMY_MODES.includes(intervention.mode)) return `unknown autonomy mode "${intervention.mode}" (off, detect or heal)`;
    return undefined;
  }
  if (intervention.kind === 'migrate') return migrationProblem(sys.ctx, state, sys.core, intervention.pid, intervention.node);
  if (intervention.kind === 'policy') {
    if (!Number.isInteger(intervention.node) || intervention.node < 0 || intervention.node >= state.layout.nodeCount) return `there is no node n${intervention.node}`;
    if (!POLICY_CODES.includes(intervention.policy)) return `unknown policy "${intervention.policy}"`;
    return undefined;
  }
  if (intervention.kind === 'allocator') {
    if (!Number.isInteger(intervention.node) || intervention.node < 0 || intervention.node >= state.layout.nodeCount) return `there is no node n${intervention.node}`;
    if (!ALLOCATOR_CODES.includes(intervention.allocator)) return `unknown allocator "${intervention.allocator}"`;
    if (!sys.core.heap.canSwitch(intervention.node, intervention.allocator)) return `node n${intervention.node} has blocks in use: buddy needs an empty heap (its blocks are powers of two at aligned addresses)`;
    return undefined;
  }
  const pid = intervention.pid;
  if (!Number.isInteger(pid) || pid < 0 || pid >= state.scalars[Scalar.nextPid]) return `there is no process ${pid}`;
  const status = state.procStatus[pid];
  if (intervention.kind === 'restart') {
    if (status === Status.free) return `there is no process ${pid}`;
    if (!state.nodeUp[state.procNode[pid]]) return `node n${state.procNode[pid]} is down`;
    return undefined;
  }
  if (status === Status.exited || status === Status.failed) return `process ${pid} has already ended`;
  if (intervention.kind === 'nice' && (!Number.isInteger(intervention.nice) || intervention.nice < -20 || intervention.nice > 19)) return 'nice must be an integer from -20 to 19';
  if (intervention.kind === 'pause' && status !== Status.runnable && status !== Status.running) return `process ${pid} is ${STATUS_NAMES[status]}; only a runnable or running process can be paused`;
  if (intervention.kind === 'resume' && status !== Status.paused) return `process ${pid} is not paused`;
  if (intervention.kind === 'kill' && status === Status.restarting) return `process ${pid} is waiting to restart`;
  return undefined;
}

/** `victim`: for a killTree, the process this event of it kills, its index in the subtree and the event's arg. */
export function applyIntervention(sys: Sys & { readonly cursor: number }, intervention: Intervention, t: number, victim?: { pid: number; index: number; arg: number }): void {
  const { state } = sys;
  if (intervention.kind === 'killTree') {
    const { pid, index, arg } = victim!;
    const node = state.procNode[pid];
    // A process waiting to restart is off the core already; its restart timer goes stale.
    if (state.procStatus[pid] !== Status.restarting) endProcess(sys, node, pid);
    sys.emit(t, E['user/intervened'], node, pid, index === 0 ? NONE : sys.cursor - 1, InterventionKind.killTree, arg, index);
    return;
  }
  if (intervention.kind === 'migrate') {
    const { pid, node } = intervention;
    // Its second event: the move, caused by the first.
    if (victim !== undefined && victim.index === 1) migrateNow(sys, pid, node, t, sys.cursor - 1);
    else sys.emit(t, E['user/intervened'], state.procNode[pid], pid, NONE, InterventionKind.migrate, node, 0);
    return;
  }
  if (intervention.kind === 'autonomy') {
    sys.emit(t, E['user/intervened'], 0, NONE, NONE, InterventionKind.autonomy, AUTONOMY_MODES.indexOf(intervention.mode), 0);
    return;
  }
  if (intervention.kind === 'policy') {
    sys.core.sched.setPolicy(intervention.node, intervention.policy);
    sys.emit(t, E['user/intervened'], intervention.node, NONE, NONE, InterventionKind.policy, POLICY_CODES.indexOf(intervention.policy), 0);
    return;
  }
  if (intervention.kind === 'allocator') {
    sys.core.heap.setAllocator(intervention.node, intervention.allocator);
    sys.emit(t, E['user/intervened'], intervention.node, NONE, NONE, InterventionKind.allocator, ALLOCATOR_CODES.indexOf(intervention.allocator), 0);
    return;
  }
  if (intervention.kind === 'inject') {
    wakeFirst(sys, 'recv', intervention.channel);
    sys.emit(t, E['user/intervened'], sys.ctx.channelHome[intervention.channel], NONE, NONE, InterventionKind.inject, intervention.channel, intervention.size);
    return;
  }
  const pid = intervention.pid;
  const node = state.procNode[pid];
  const slot = state.procSlot[pid];
  const running = state.nodeRunning[node] === pid;
  switch (intervention.kind) {
    case 'kill':
      endProcess(sys, node, pid);
      sys.emit(t, E['user/intervened'], node, pid, NONE, InterventionKind.kill, 0, 0);
      return;
    case 'nice':
      // A process waiting to restart has no scheduler entry: it gets the new nice when re-added.
      if (state.procStatus[pid] !== Status.restarting) sys.core.sched.setNice(node, slot, intervention.nice);
      sys.emit(t, E['user/intervened'], node, pid, NONE, InterventionKind.nice, intervention.nice, 0);
      return;
    case 'pause':
      if (running) sys.core.sched.charge(node, slot, t - state.nodeRunSince[node]);
      sys.core.sched.block(node, slot);
      sys.emit(t, E['user/intervened'], node, pid, NONE, InterventionKind.pause, 0, 0);
      return;
    case 'resume':
      sys.core.sched.wake(node, slot);
      sys.emit(t, E['user/intervened'], node, pid, NONE, InterventionKind.resume, 0, 0);
      return;
    case 'restart': {
      // Off the core as it was (a live process), then back in from its first step; the slot is
      // the one it held, or the one the reducer will take.
      const status = state.procStatus[pid];
      const ended = status === Status.exited || status === Status.failed;
      if (!ended && status !== Status.restarting) endProcess(sys, node, pid);
      sys.core.sched.add(node, slot === NONE ? nextSlot(state, node) : slot, state.procNice[pid]);
      sys.emit(t, E['user/intervened'], node, pid, NONE, InterventionKind.restart, 0, 0);
      return;
    }
  }
}

export { FailReason, nextSlot, drawTicks };
export type { KernelContext };
