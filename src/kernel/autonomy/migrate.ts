// Live migration: a running, runnable, blocked or paused process moves to another live node and
// goes on there, as it was: same pid, same program counter and loops, its heap (re-allocated on
// the target's allocator, freed on the source), its place in wait lists and supervisors, its
// timers (they name the pid, not the node). Used by the user (`migrate` intervention: a
// user/intervened event, then this move caused by it) and by healing (`autonomy.migrate: on`: a
// hog's heal/migrated, then this move caused by it). Failover (failover.ts) moves processes a
// crash ended; this moves live ones, with the same event: process/migrated (from, to, runnable on
// `to` when chosen). A move that cannot happen when it is due is process/unplaced (from, why).
//
// Messages: a channel's queue lives on its home node (placement.ts) and its receivers take from it
// wherever they run, so what is queued for the process, or in flight toward its channel, stays
// where it is and is received by the process at its new node: nothing is lost, nothing is copied.
// A receiver blocked on an empty queue stays in the channel's wait list and is woken on its new
// node when the message arrives (the core hears of it at the node the process is on then). A
// message the process sent that is still on its way keeps its route: its delivery judges a
// partition from the node it was sent from (its ipc/sent's node), not from where the sender went.
import type { KernelContext } from '../context';
import { EventCode as E, UnplacedWhy } from '../events';
import { eligibleNodes } from '../placement';
import { ALLOC_SLOTS_MAX } from '../program/opcodes';
import { leaveCpu } from '../reducers/cpu';
import { nextSlot, releaseSlot, takeSlot } from '../reducers/process';
import { NONE, Scalar, Status, type KernelState } from '../state';
import { ALLOC_FAILED, type CorePorts } from '../syscalls/ports';
import type { Sys } from '../syscalls/sys';

/** Statuses a process can be moved in. */
export function migratable(status: number): boolean {
  return status === Status.running || status === Status.runnable || status === Status.blocked || status === Status.paused;
}

/** The bytes a move takes on the target: the process's heap (its named blocks and what it leaked). */
export const heapToMove = (state: KernelState, pid: number): number => state.procHeapBytes[pid];

/**
 * Why `pid` cannot move to `to` now, in words, or undefined. The same checks the kernel makes when
 * the move is due (besides the target's allocator finding room, which only the allocation tells).
 */
export function migrationProblem(ctx: KernelContext, state: KernelState, core: CorePorts, pid: number, to: number): string | undefined {
  if (!Number.isInteger(pid) || pid < 0 || pid >= state.scalars[Scalar.nextPid]) return `there is no process ${pid}`;
  if (!Number.isInteger(to) || to < 0 || to >= state.layout.nodeCount) return `there is no node n${to} (the cluster has n0..n${state.layout.nodeCount - 1})`;
  const status = state.procStatus[pid];
  const name = processName(ctx, state, pid);
  if (status === Status.exited || status === Status.failed || status === Status.free) return `${name} has already ended`;
  if (status === Status.restarting) return `${name} is waiting to restart`;
  const from = state.procNode[pid];
  if (from === to) return `${name} is already on n${to}`;
  if (!state.nodeUp[to]) return `n${to} is down (crashed)`;
  const agent = ctx.spec.agents[state.procAgent[pid]];
  if (agent.node !== 'any') return `${name} is pinned to n${agent.node} (node: n${agent.node} in the spec)`;
  const eligible = eligibleNodes(ctx.spec, agent);
  if (eligible !== undefined && !eligible.includes(to)) {
    const missing = agent.requires!.filter((capability) => !(ctx.spec.cluster.nodeCapabilities?.[to] ?? []).includes(capability));
    return `${name} requires ${agent.requires!.join(', ')}, and n${to} does not offer ${missing.join(', ')}`;
  }
  const need = heapToMove(state, pid), free = core.heap.freeBytes(to);
  if (need > free) return `its heap (${bytes(need)}) does not fit in n${to}'s free heap (${bytes(free)})`;
  return undefined;
}

/** Why a due move cannot happen, as the code process/unplaced carries (-1: it can). */
export function unplacedWhy(ctx: KernelContext, state: KernelState, core: CorePorts, pid: number, to: number): number {
  const status = state.procStatus[pid];
  if (!migratable(status)) return UnplacedWhy.ended;
  if (!state.nodeUp[to] || state.procNode[pid] === to) return UnplacedWhy.noLiveNode;
  const agent = ctx.spec.agents[state.procAgent[pid]];
  if (agent.node !== 'any') return UnplacedWhy.pinned;
  const eligible = eligibleNodes(ctx.spec, agent);
  if (eligible !== undefined && !eligible.includes(to)) return UnplacedWhy.noCapableNode;
  if (heapToMove(state, pid) > core.heap.freeBytes(to)) return UnplacedWhy.heap;
  return -1;
}

/**
 * The core's part of a move (before its process/migrated event): the heap's blocks are allocated
 * on `to` (named blocks in name order, then what leaked as one block) and freed on the source; the
 * scheduler entry moves (blocked or paused ones stay blocked there). A compute step in progress
 * keeps the ticks it has left. Returns false, having changed nothing, when `to`'s allocator has no
 * room (fragmentation): the caller emits process/unplaced (heap) instead.
 */
export function moveOnCore(state: KernelState, core: CorePorts, pid: number, to: number, t: number): boolean {
  const from = state.procNode[pid], oldSlot = state.procSlot[pid], newSlot = nextSlot(state, to);
  const base = pid * ALLOC_SLOTS_MAX;
  const moved = new Int32Array(ALLOC_SLOTS_MAX).fill(NONE);
  let named = 0;
  for (let slot = 0; slot < ALLOC_SLOTS_MAX; slot++) {
    if (state.procSlotBlock[base + slot] === NONE) continue;
    const size = state.procSlotSize[base + slot];
    const block = core.heap.alloc(to, newSlot, size);
    if (block === ALLOC_FAILED) {
      core.heap.freeAll(to, newSlot);
      return false;
    }
    moved[slot] = block;
    named += size;
  }
  const leaked = state.procHeapBytes[pid] - named;
  if (leaked > 0 && core.heap.alloc(to, newSlot, leaked) === ALLOC_FAILED) {
    core.heap.freeAll(to, newSlot);
    return false;
  }
  core.heap.freeAll(from, oldSlot);
  // The block ids the target's allocator chose: the process frees them by these from now on.
  for (let slot = 0; slot < ALLOC_SLOTS_MAX; slot++) if (moved[slot] !== NONE) state.procSlotBlock[base + slot] = moved[slot];

  if (state.nodeRunning[from] === pid) {
    core.sched.charge(from, oldSlot, t - state.nodeRunSince[from]);
    if (state.nodeSegStart[from] !== NONE) {
      // The compute segment so far is done; what is left runs on the target (at least a tick, so
      // the step is not drawn again).
      state.procComputeLeft[pid] = Math.max(1, state.procComputeLeft[pid] - (t - state.nodeSegStart[from]));
      state.nodeSegStart[from] = NONE;
    }
  }
  core.sched.remove(from, oldSlot);
  core.sched.add(to, newSlot, state.procNice[pid]);
  const status = state.procStatus[pid];
  if (status === Status.blocked || status === Status.paused) core.sched.block(to, newSlot);
  return true;
}

/** Reducer of a live process/migrated: the process, its slot, its CPU share and heap bytes move to `to`. */
export function migratedLive(state: KernelState, seq: number, tick: number, pid: number, to: number): void {
  const from = state.procNode[pid];
  const status = state.procStatus[pid];
  const counted = status === Status.running || status === Status.runnable;
  if (counted) state.nodeRunnable[from]--;
  if (state.nodeRunning[from] === pid) {
    leaveCpu(state, from, pid, tick);
    state.procStatus[pid] = Status.runnable;
  }
  releaseSlot(state, pid);
  state.procNode[pid] = to;
  state.procSlot[pid] = takeSlot(state, to);
  state.slotPid[to * state.layout.procsMax + state.procSlot[pid]] = pid;
  const heap = state.procHeapBytes[pid];
  state.nodeHeapBytes[from] -= heap;
  state.nodeHeapBytes[to] += heap;
  if (counted) {
    state.nodeRunnable[to]++;
    if (state.nodeRunning[to] === NONE && state.nodeNext[to] > tick) state.nodeNext[to] = tick;
  }
  state.procLastSeq[pid] = seq;
}

function processName(ctx: KernelContext, state: KernelState, pid: number): string {
  return `${ctx.spec.agents[state.procAgent[pid]].name}[${state.procReplica[pid]}] (pid ${pid})`;
}

const bytes = (value: number) => (value >= 1024 && value % 1024 === 0 ? `${value / 1024} KiB` : `${value} B`);

/**
 * The move, as the machine's action: process/migrated (node `to`, cause `cause`: the user's
 * intervention or the heal) after the core's part, or process/unplaced saying why it cannot
 * happen now (the process ended, the target went down, the allocator had no room).
 */
export function migrateNow(sys: Sys, pid: number, to: number, t: number, cause: number): void {
  const { state, ctx, core } = sys;
  const from = state.procNode[pid];
  let why = unplacedWhy(ctx, state, core, pid, to);
  if (why < 0 && !moveOnCore(state, core, pid, to, t)) why = UnplacedWhy.heap;
  if (why >= 0) sys.emit(t, E['process/unplaced'], from, pid, cause, from, why, to);
  else sys.emit(t, E['process/migrated'], to, pid, cause, from, to, state.nodeRunnable[to]);
}

// Healing by migration (autonomy.migrate: on) ---------------------------------------------------

/** A process healing moved is not moved again by healing for this many windows. */
export const MIGRATE_COOLDOWN_WINDOWS = 5;
/** The target must have at least this many fewer runnable processes than the hog's node. */
export const MIGRATE_LOAD_GAP = 2;

/**
 * Where healing moves a hog from `from`: the up node other than `from` among `eligible` (all when
 * undefined) with the fewest runnable processes (lowest index on ties), if it has at least
 * MIGRATE_LOAD_GAP fewer than `from` and room for `heap`; else -1. The gap is the hysteresis: after
 * a move the target has at most as many runnable as the source then has, so moving it back would
 * need the loads to change first (the sum of squared loads falls by at least 2 with every move).
 */
export function healTarget(runnable: ArrayLike<number>, up: ArrayLike<number>, freeHeap: (node: number) => number, eligible: readonly number[] | undefined, from: number, heap: number): number {
  let best = -1;
  for (let node = 0; node < runnable.length; node++) {
    if (node === from || !up[node] || (eligible !== undefined && !eligible.includes(node))) continue;
    if (best < 0 || runnable[node] < runnable[best]) best = node;
  }
  if (best < 0 || runnable[best] + MIGRATE_LOAD_GAP > runnable[from] || heap > freeHeap(best)) return -1;
  return best;
}

/** Whether `pid` may be moved by healing at `tick` (its cooldown since the last move is over). */
export function cooledDownForMove(state: KernelState, pid: number, tick: number, windowTicks: number): boolean {
  const at = state.auMovedAt.length > 0 ? state.auMovedAt[pid] : -1;
  return at < 0 || tick - at >= MIGRATE_COOLDOWN_WINDOWS * windowTicks;
}

/** The heal target for a hog `pid` now, or -1 (pinned, cooling down, no node clearly less loaded). */
export function hogTarget(ctx: KernelContext, state: KernelState, core: CorePorts, pid: number, tick: number, windowTicks: number): number {
  if (!migratable(state.procStatus[pid]) || !cooledDownForMove(state, pid, tick, windowTicks)) return -1;
  const agent = ctx.spec.agents[state.procAgent[pid]];
  if (agent.node !== 'any') return -1;
  return healTarget(state.nodeRunnable, state.nodeUp, (node) => core.heap.freeBytes(node), eligibleNodes(ctx.spec, agent), state.procNode[pid], heapToMove(state, pid));
}
