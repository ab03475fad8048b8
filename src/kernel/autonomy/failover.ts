// Failover on a node crash (`cluster.failover: on`): each process of the crashed node that would
// restart (its restart policy or its supervisor asks for it: what would otherwise wait for the
// node to recover) moves to a live node and restarts there. One event per process, the machine's
// next actions after the crash, in pid order and before any supervisor decision (so a
// one_for_all supervisor restarts its moved children once, not once per child):
// - `process/migrated` (from, to, runnable on `to` when chosen): the least loaded live node
//   offering everything the agent `requires` (any live node without it), fewest runnable
//   processes, lowest index on ties, as spawn places. Its slot moves; then it restarts as it
//   would have: its supervisor decides by its strategy and intensity (with its backoff), or its
//   restart policy's delay starts.
// - `process/unplaced` (from, why): pinned by `node:`, no live node offering its requirements,
//   or no other node up. It stays failed and restarts when its node recovers, as without failover.
// Messages keep their channel's home (placement.ts): a queue on the crashed node is lost with it.
// The arrays exist only with failover on (otherwise empty, left out of stateHash).
import type { KernelContext } from '../context';
import { EventCode as E, UnplacedWhy } from '../events';
import { eligibleNodes } from '../placement';
import { releaseSlot, restartableAfterCrash, takeSlot } from '../reducers/process';
import { NONE, Scalar, Status, type KernelState } from '../state';
import { pushTimer, TimerKind } from '../sim/timers';
import type { Sys } from '../syscalls/sys';
import { awaitDecision, isSupervised, nextRestartDelay } from './supervise';
import { migratable, migratedLive } from './migrate';

/** Reducer side of node/crashed: the processes it ended that would restart get a move due. */
export function markFailovers(ctx: KernelContext, state: KernelState, node: number): void {
  if (state.procFailoverDue.length === 0) return;
  for (const pid of restartableAfterCrash(ctx, state, node)) {
    if (state.procFailoverDue[pid]) continue;
    state.procFailoverDue[pid] = 1;
    state.failoverDueCount[0]++;
  }
}

/** Where `pid` would go: a node index, or -1 - UnplacedWhy. */
export function failoverTarget(ctx: KernelContext, state: KernelState, pid: number): number {
  const agent = ctx.spec.agents[state.procAgent[pid]];
  if (agent.node !== 'any') return -1 - UnplacedWhy.pinned;
  const eligible = eligibleNodes(ctx.spec, agent);
  let best = NONE;
  for (let node = 0; node < state.layout.nodeCount; node++) {
    if (!state.nodeUp[node] || (eligible !== undefined && !eligible.includes(node))) continue;
    if (best === NONE || state.nodeRunnable[node] < state.nodeRunnable[best]) best = node;
  }
  if (best !== NONE) return best;
  return -1 - (eligible !== undefined ? UnplacedWhy.noCapableNode : UnplacedWhy.noLiveNode);
}

/** The machine's action while moves are due: one process/migrated or process/unplaced. False when none is due. */
export function failoverNext(sys: Sys, t: number): boolean {
  const { state, ctx } = sys;
  const count = state.scalars[Scalar.nextPid];
  let pid = 0;
  while (pid < count && state.procFailoverDue[pid] === 0) pid++;
  if (pid === count) {
    state.failoverDueCount[0] = 0;
    return false;
  }
  const from = state.procNode[pid];
  const target = failoverTarget(ctx, state, pid);
  const cause = state.procLastSeq[pid];
  if (target >= 0) sys.emit(t, E['process/migrated'], target, pid, cause, from, target, state.nodeRunnable[target]);
  else sys.emit(t, E['process/unplaced'], from, pid, cause, from, -1 - target, 0);
  return true;
}

/** Reducer of process/migrated: the slot moves to `to`; the restart it would have had starts. A live process (migrate.ts) goes on there instead. */
export function migrated(ctx: KernelContext, state: KernelState, seq: number, tick: number, pid: number, to: number): void {
  if (migratable(state.procStatus[pid])) {
    migratedLive(state, seq, tick, pid, to);
    return;
  }
  clearDue(state, pid);
  releaseSlot(state, pid);
  state.procNode[pid] = to;
  state.procSlot[pid] = takeSlot(state, to);
  state.slotPid[to * state.layout.procsMax + state.procSlot[pid]] = pid;
  state.procLastSeq[pid] = seq;
  state.procFailReason[pid] = NONE;
  state.scalars[Scalar.liveProcesses]++;
  if (isSupervised(ctx, state, pid)) {
    awaitDecision(state, pid);
    return;
  }
  const agent = ctx.spec.agents[state.procAgent[pid]];
  state.procStatus[pid] = Status.restarting;
  const delay = agent.restart.crashLoop ? nextRestartDelay(state, pid, tick, agent.restart.crashLoop) : agent.restart.backoffTicks;
  pushTimer(state, tick + delay, TimerKind.restart, pid, state.procToken[pid], seq);
}

/** Reducer of process/unplaced: no move; it waits for its node. */
export function unplaced(state: KernelState, seq: number, pid: number): void {
  if (state.procFailoverDue.length > 0 && state.procFailoverDue[pid]) clearDue(state, pid);
  state.procLastSeq[pid] = seq;
}

function clearDue(state: KernelState, pid: number): void {
  state.procFailoverDue[pid] = 0;
  state.failoverDueCount[0]--;
}
