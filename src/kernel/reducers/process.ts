// Processes: spawned, exited, failed, restarted; their slot in the node's core tables.
import type { KernelContext } from '../context';
import { BlockReason, FailReason } from '../events';
import { ALLOC_SLOTS_MAX, LOOP_DEPTH_MAX } from '../program/opcodes';
import { NONE, Scalar, Status, type KernelState } from '../state';
import { pushTimer, TimerKind } from '../sim/timers';
import { leaveCpu, makeRunnable, removeWaiter } from './cpu';
import { advancePc } from './program';
import { awaitDecision, isSupervised, nextRestartDelay, started } from '../autonomy/supervise';

/** The slot a new process on `node` gets: the last one freed, else the next never used. */
export function nextSlot(state: KernelState, node: number): number {
  const free = state.nodeFreeSlotCount[node];
  return free > 0 ? state.nodeFreeSlots[node * state.layout.procsMax + free - 1] : state.nodeSlotsUsed[node];
}

export function takeSlot(state: KernelState, node: number): number {
  const free = state.nodeFreeSlotCount[node];
  if (free > 0) {
    state.nodeFreeSlotCount[node] = free - 1;
    return state.nodeFreeSlots[node * state.layout.procsMax + free - 1];
  }
  return state.nodeSlotsUsed[node]++;
}

export function releaseSlot(state: KernelState, pid: number): void {
  const node = state.procNode[pid];
  state.nodeFreeSlots[node * state.layout.procsMax + state.nodeFreeSlotCount[node]++] = state.procSlot[pid];
  state.slotPid[node * state.layout.procsMax + state.procSlot[pid]] = NONE;
  state.procSlot[pid] = NONE;
}

/** `scaled`: started by healing (heal/scaled), neither a boot process nor a child. */
export function spawned(ctx: KernelContext, state: KernelState, seq: number, tick: number, node: number, pid: number, agent: number, replica: number, parent: number, scaled = false): void {
  state.scalars[Scalar.nextPid] = pid + 1;
  state.scalars[Scalar.liveProcesses]++;
  state.procNode[pid] = node;
  state.procSlot[pid] = takeSlot(state, node);
  state.slotPid[node * state.layout.procsMax + state.procSlot[pid]] = pid;
  state.procAgent[pid] = agent;
  state.procReplica[pid] = replica;
  state.agentProcesses[agent]++;
  state.procNice[pid] = ctx.spec.agents[agent].priority;
  resetProgram(state, pid);
  makeRunnable(state, pid, tick, seq);
  started(ctx, state, pid, tick, seq);
  if (parent !== NONE) {
    state.procLastSeq[parent] = seq;
    advancePc(ctx, state, parent);
  } else if (!scaled) {
    state.scalars[Scalar.bootNext]++;
  }
}

export function resetProgram(state: KernelState, pid: number): void {
  state.procPc[pid] = 0;
  state.procLoop.fill(0, pid * LOOP_DEPTH_MAX, (pid + 1) * LOOP_DEPTH_MAX);
  state.procSlotBlock.fill(NONE, pid * ALLOC_SLOTS_MAX, (pid + 1) * ALLOC_SLOTS_MAX);
  state.procSlotSize.fill(0, pid * ALLOC_SLOTS_MAX, (pid + 1) * ALLOC_SLOTS_MAX);
  state.procComputeLeft[pid] = 0;
  state.procComputeTotal[pid] = 0;
  state.procFailReason[pid] = NONE;
}

/** Ends a process (exit, failure, kill, crash): off the CPU and wait lists, memory returned. */
export function ended(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number, status: number, code: number, reason: number): void {
  letGo(state, seq, tick, pid);
  state.procExitCode[pid] = code;
  state.procFailReason[pid] = reason;

  const agent = ctx.spec.agents[state.procAgent[pid]];
  const failedRun = status === Status.failed || code !== 0;
  // A kill is the user's decision: no restart policy undoes it (restart is its own intervention).
  const wantsRestart = reason !== FailReason.killed && (agent.restart.policy === 'always' || (agent.restart.policy === 'on-failure' && failedRun));
  const crashedNode = reason === FailReason.nodeCrashed;
  // A supervised process's restart is its supervisor's decision (autonomy/supervise.ts).
  if (wantsRestart && !crashedNode && isSupervised(ctx, state, pid)) {
    awaitDecision(state, pid);
    return;
  }
  if (wantsRestart && state.procRestarts[pid] < agent.restart.countMax && !crashedNode && !isSupervised(ctx, state, pid)) {
    state.procStatus[pid] = Status.restarting;
    const delay = agent.restart.crashLoop ? nextRestartDelay(state, pid, tick, agent.restart.crashLoop) : agent.restart.backoffTicks;
    pushTimer(state, tick + delay, TimerKind.restart, pid, state.procToken[pid], seq);
    return;
  }
  state.procStatus[pid] = status;
  state.scalars[Scalar.liveProcesses]--;
  if (!(crashedNode && wantsRestart)) releaseSlot(state, pid);
}

/** Takes everything from a process: the CPU, its place in wait lists, its memory and resources. */
export function letGo(state: KernelState, seq: number, tick: number, pid: number): void {
  const node = state.procNode[pid];
  const before = state.procStatus[pid];
  if (before === Status.runnable || before === Status.running) state.nodeRunnable[node]--;
  if (before === Status.blocked) {
    const reasonBlocked = state.procBlockReason[pid];
    if (reasonBlocked === BlockReason.recv) removeWaiter(state, 'recv', state.procBlockObject[pid], pid);
    if (reasonBlocked === BlockReason.sendFull) removeWaiter(state, 'send', state.procBlockObject[pid], pid);
  }
  if (state.nodeRunning[node] === pid) leaveCpu(state, node, pid, tick + 1);
  state.nodeHeapBytes[node] -= state.procHeapBytes[pid];
  state.procHeapBytes[pid] = 0;
  state.procHeapBlocks[pid] = 0;
  state.procBlockReason[pid] = NONE;
  state.procBlockObject[pid] = NONE;
  state.procToken[pid]++;
  state.procLastSeq[pid] = seq;
  const R = state.layout.resourceCount;
  for (let resource = 0; resource < R; resource++) {
    state.resourceFree[resource] += state.procHeld[pid * R + resource];
    if (state.procHeld[pid * R + resource] > 0) state.scalars[Scalar.auctionsDue] = 1;
    state.procHeld[pid * R + resource] = 0;
  }
  state.procBidUnits[pid] = 0;
}

/**
 * The user's restart: the process starts its program again now, with the same pid, whatever it
 * was doing (running, blocked, paused, waiting to restart) or after it ended (exited, failed,
 * killed). It counts as a restart; the restart policy's own count is not checked.
 */
export function restartedByUser(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number): void {
  const status = state.procStatus[pid];
  const ended = status === Status.exited || status === Status.failed;
  if (!ended && status !== Status.restarting) letGo(state, seq, tick, pid);
  if (state.procSlot[pid] === NONE) {
    const node = state.procNode[pid];
    state.procSlot[pid] = takeSlot(state, node);
    state.slotPid[node * state.layout.procsMax + state.procSlot[pid]] = pid;
  }
  if (ended) state.scalars[Scalar.liveProcesses]++;
  state.procRestarts[pid]++;
  resetProgram(state, pid);
  makeRunnable(state, pid, tick, seq);
  started(ctx, state, pid, tick, seq);
}

export function restarted(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number): void {
  state.procRestarts[pid]++;
  if (state.procStatus[pid] !== Status.restarting) state.scalars[Scalar.liveProcesses]++;
  resetProgram(state, pid);
  makeRunnable(state, pid, tick, seq);
  started(ctx, state, pid, tick, seq);
}

/** Processes a node crash ended that restart when the node recovers (pid order). */
export function restartableAfterCrash(ctx: KernelContext, state: KernelState, node: number): number[] {
  const pids: number[] = [];
  const count = state.scalars[Scalar.nextPid];
  for (let pid = 0; pid < count; pid++) {
    if (state.procNode[pid] !== node || state.procStatus[pid] !== Status.failed || state.procFailReason[pid] !== FailReason.nodeCrashed) continue;
    if (state.procSlot[pid] === NONE || ctx.spec.agents[state.procAgent[pid]].restart.policy === 'never') continue;
    pids.push(pid);
  }
  return pids;
}
