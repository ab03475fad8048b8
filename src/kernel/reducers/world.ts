// The rest of the world a process touches: files, shared objects, resources, choices, the
// cluster's network and nodes, the user's interventions and the kernel's own limits.
import type { KernelContext } from '../context';
import { BlockReason, FailReason, InterventionKind, LimitKind } from '../events';
import { NONE, Scalar, Status, type KernelState } from '../state';
import { advancePc, jumpToBranch } from './program';
import { injectMessage } from './ipc';
import { ended, restartableAfterCrash, restarted, restartedByUser } from './process';
import { blocked, paused } from './sched';
import { makeRunnable } from './cpu';
import { autonomySwitched } from '../autonomy/reduce';
import { markFailovers } from '../autonomy/failover';

export function stepDone(ctx: KernelContext, state: KernelState, seq: number, pid: number): void {
  state.procLastSeq[pid] = seq;
  advancePc(ctx, state, pid);
}

export function written(ctx: KernelContext, state: KernelState, seq: number, node: number, pid: number, file: number, size: number): void {
  state.fileLength[node * state.layout.fileCount + file] += size;
  stepDone(ctx, state, seq, pid);
}

export function chose(ctx: KernelContext, state: KernelState, seq: number, pid: number, branch: number): void {
  state.procLastSeq[pid] = seq;
  jumpToBranch(ctx, state, pid, branch);
}

/** A bid that cannot be granted now waits (blocked) for units to be freed, or its timeout. */
export function bid(ctx: KernelContext, state: KernelState, seq: number, tick: number, node: number, pid: number, units: number, price: number): void {
  state.procBidUnits[pid] = units;
  state.procBidPrice[pid] = price;
  const code = ctx.compiled.programs[state.procAgent[pid]].code;
  const timeout = code[state.procPc[pid] + 4];
  blocked(state, seq, tick, node, pid, BlockReason.bid, code[state.procPc[pid] + 1], timeout);
}

export function granted(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number, resource: number, units: number, paid: number): void {
  const R = state.layout.resourceCount;
  if (state.procSpent.length > 0) state.procSpent[pid] += paid;
  state.resourceFree[resource] -= units;
  state.procHeld[pid * R + resource] += units;
  state.procBidUnits[pid] = 0;
  if (state.procStatus[pid] === Status.blocked) makeRunnable(state, pid, tick, seq);
  stepDone(ctx, state, seq, pid);
}

export function released(ctx: KernelContext, state: KernelState, seq: number, pid: number, resource: number): void {
  const R = state.layout.resourceCount;
  state.resourceFree[resource] += state.procHeld[pid * R + resource];
  state.procHeld[pid * R + resource] = 0;
  state.scalars[Scalar.auctionsDue] = 1;
  stepDone(ctx, state, seq, pid);
}

export function partitioned(ctx: KernelContext, state: KernelState, fault: number): void {
  const spec = ctx.spec.cluster.faults[fault];
  if (spec.kind !== 'partition') return;
  spec.groups.forEach((group, index) => group.forEach((node) => (state.nodeGroup[node] = index)));
  state.scalars[Scalar.partitioned] = 1;
}

export function healed(state: KernelState): void {
  state.nodeGroup.fill(0);
  state.scalars[Scalar.partitioned] = 0;
}

/** Every process on the node fails; the node runs nothing until it recovers. */
export function nodeCrashed(ctx: KernelContext, state: KernelState, seq: number, tick: number, node: number): void {
  const count = state.scalars[Scalar.nextPid];
  for (let pid = 0; pid < count; pid++) {
    if (state.procNode[pid] !== node) continue;
    const status = state.procStatus[pid];
    if (status === Status.exited || status === Status.failed || status === Status.free) continue;
    ended(ctx, state, seq, tick, pid, Status.failed, 0, FailReason.nodeCrashed);
  }
  state.nodeUp[node] = 0;
  state.nodeNext[node] = Infinity;
  if (state.procFailoverDue.length > 0) markFailovers(ctx, state, node);
}

export function nodeRecovered(ctx: KernelContext, state: KernelState, seq: number, tick: number, node: number): void {
  state.nodeUp[node] = 1;
  for (const pid of restartableAfterCrash(ctx, state, node)) restarted(ctx, state, seq, tick, pid);
  if (state.nodeRunnable[node] > 0) state.nodeNext[node] = tick;
}

export function intervened(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number, kind: number, arg: number, arg2: number): void {
  switch (kind) {
    case InterventionKind.inject:
      injectMessage(state, seq, tick, arg, arg2);
      break;
    case InterventionKind.kill:
    case InterventionKind.killTree:
      ended(ctx, state, seq, tick, pid, Status.failed, 137, FailReason.killed);
      break;
    case InterventionKind.restart:
      restartedByUser(ctx, state, seq, tick, pid);
      break;
    case InterventionKind.nice:
      state.procNice[pid] = arg;
      break;
    case InterventionKind.pause:
      paused(state, seq, tick, pid);
      break;
    case InterventionKind.resume:
      makeRunnable(state, pid, tick, seq);
      break;
    case InterventionKind.autonomy:
      autonomySwitched(state, arg);
      break;
    default:
      break; // a policy switch changes only the core
  }
}

export function limitReached(ctx: KernelContext, state: KernelState, seq: number, pid: number, limit: number): void {
  // A spawn refused for a full process table is a completed step for the parent.
  // A spawn refused for a full process table, or an operation on a full shared replica, is a
  // completed step for the process that tried.
  // A write past FILE_BYTES_MAX is refused: the step is done, the file unchanged.
  if ((limit === LimitKind.processTable || limit === LimitKind.sharedFull || limit === LimitKind.files) && pid !== NONE) stepDone(ctx, state, seq, pid);
  // A runaway (time stood still) fails at its next step; the failure's cause is this event.
  if (limit === LimitKind.runaway && pid !== NONE) {
    state.procFailReason[pid] = FailReason.runaway;
    state.procLastSeq[pid] = seq;
  }
}
