// Deadlock: processes that wait on each other forever. A process blocked with no timeout on a recv
// (woken only by the channel's senders), a send to a full channel (woken only by its receivers) or
// a bid (woken only by the resource's holders) waits on those processes. When every process it
// waits on, and every process they wait on in turn, is blocked the same way, and the chain comes
// back to it, nothing but the user can ever wake any of them: a waits-for cycle.
//
// Checked when a process blocks (the last event was its block) and once when the run goes quiet;
// a check reads the state only (no event, no PRNG), looks at most DEADLOCK_SCAN_MAX processes and
// stops at the first one that could still act, so its cost is bounded and usually tiny.
import type { KernelContext } from '../context';
import { BlockReason, FailReason } from '../events';
import { Op } from '../program/opcodes';
import { NONE, Scalar, Status, type KernelState } from '../state';

/** Processes one check may look at before it gives up (saying: no deadlock found). */
export const DEADLOCK_SCAN_MAX = 4096;

export interface Deadlock {
  /** The process whose block closed the cycle. */
  readonly pid: number;
  /** A process of the cycle it waits on (itself when it waits on its own agent only). */
  readonly waitsOn: number;
  /** Every process of the deadlocked set, in pid order. */
  readonly pids: number[];
}

const MAY_WAKE = -1;

/** What a check needs of the spec, worked out once per context. */
interface Plan {
  /** The first boot pid of each agent (boot pids of an agent are consecutive). */
  readonly firstPid: Int32Array;
  /** Agents whose programs spawn: their live processes could make a waker of any agent. */
  readonly spawners: readonly number[];
}
const plans = new WeakMap<KernelContext, Plan>();

function planOf(ctx: KernelContext): Plan {
  let plan = plans.get(ctx);
  if (!plan) {
    const firstPid = new Int32Array(ctx.spec.agents.length);
    for (let agent = 1; agent < firstPid.length; agent++) firstPid[agent] = firstPid[agent - 1] + ctx.spec.agents[agent - 1].replicas;
    plan = { firstPid, spawners: ctx.compiled.programs.flatMap((program, agent) => (program.spawns ? [agent] : [])) };
    plans.set(ctx, plan);
  }
  return plan;
}

/** The deadlock `pid` is part of, or undefined (it can still be woken, or the check gave up). */
export function deadlockOf(ctx: KernelContext, state: KernelState, pid: number): Deadlock | undefined {
  const wait = waitOf(ctx, state, pid);
  if (wait === MAY_WAKE) return undefined;
  const plan = planOf(ctx);
  // The common case, without allocating: one of the boot processes it waits on can still act.
  if (wait !== BlockReason.bid && plan.spawners.length === 0) {
    const channel = ctx.spec.channels[state.procBlockObject[pid]];
    const agent = wait === BlockReason.recv ? channel.from.agentIndex : channel.to.agentIndex;
    const first = plan.firstPid[agent], end = first + ctx.spec.agents[agent].replicas;
    for (let waker = first; waker < end; waker++) {
      const status = state.procStatus[waker];
      if (status !== Status.exited && status !== Status.failed && waitOf(ctx, state, waker) === MAY_WAKE) return undefined;
    }
  }
  const seen = new Set<number>([pid]);
  const order: number[] = [pid];
  const agentsDone = new Uint8Array(ctx.spec.agents.length);
  let waitsOn = NONE, closed = false;
  const spawners = plan.spawners;
  for (let index = 0; index < order.length; index++) {
    const current = order[index];
    const wakers: number[] = [];
    const wait = waitOf(ctx, state, current);
    if (wait === MAY_WAKE) return undefined;
    if (wait === BlockReason.bid) holdersOf(state, state.procBlockObject[current], wakers);
    else agentsOf(ctx, state, current, wakers, agentsDone, spawners, plan);
    for (const waker of wakers) {
      if (waker === pid) closed = true;
      if (seen.has(waker)) continue;
      const status = state.procStatus[waker];
      if (status === Status.exited || status === Status.free) continue;
      if (status === Status.failed) {
        // Failed by a node crash with a restart due when the node recovers: it may come back.
        if (state.procFailReason[waker] === FailReason.nodeCrashed && state.procSlot[waker] !== NONE) return undefined;
        continue;
      }
      if (waitOf(ctx, state, waker) === MAY_WAKE) return undefined;
      if (seen.size >= DEADLOCK_SCAN_MAX) return undefined;
      if (index === 0 && waitsOn === NONE) waitsOn = waker;
      seen.add(waker);
      order.push(waker);
    }
  }
  if (!closed) return undefined;
  return { pid, waitsOn: waitsOn === NONE ? pid : waitsOn, pids: order.sort((a, b) => a - b) };
}

/**
 * The first deadlock among blocked processes in pid order, for the check when the run goes quiet
 * (a cycle closed by a delivery rather than a block). Bounded like one check per blocked process.
 */
export function anyDeadlock(ctx: KernelContext, state: KernelState, reported: (seq: number) => boolean): Deadlock | undefined {
  const count = Math.min(state.scalars[Scalar.nextPid], DEADLOCK_SCAN_MAX);
  const checked = new Set<number>();
  for (let pid = 0; pid < count; pid++) {
    if (state.procStatus[pid] !== Status.blocked || checked.has(pid)) continue;
    const found = deadlockOf(ctx, state, pid);
    if (!found) continue;
    // A set stays deadlocked once it is: reported already if one of its processes' last event says so.
    if (!found.pids.some((member) => state.procLastSeq[member] >= 0 && reported(state.procLastSeq[member]))) return found;
    for (const member of found.pids) checked.add(member);
  }
  return undefined;
}

/** What a process waits for when nothing but others can end the wait, else MAY_WAKE. */
function waitOf(ctx: KernelContext, state: KernelState, pid: number): number {
  if (state.procStatus[pid] !== Status.blocked) return MAY_WAKE;
  const reason = state.procBlockReason[pid], object = state.procBlockObject[pid];
  const code = ctx.compiled.programs[state.procAgent[pid]].code;
  const pc = state.procPc[pid];
  switch (reason) {
    case BlockReason.recv:
      if (code[pc] !== Op.recv || code[pc + 2] >= 0) return MAY_WAKE; // a timeout ends it
      if (state.chanInFlight[object] > 0 || state.chanQueued[object] > 0) return MAY_WAKE;
      return reason;
    case BlockReason.sendFull:
      if (code[pc] !== Op.send || code[pc + 3] >= 0) return MAY_WAKE;
      if (state.chanInFlight[object] > 0) return MAY_WAKE; // a drop would make room
      return reason;
    case BlockReason.bid:
      if (code[pc] !== Op.bid || code[pc + 4] >= 0 || state.scalars[Scalar.auctionsDue]) return MAY_WAKE;
      return reason;
    default:
      return MAY_WAKE; // sleep, io and rate waits end by a timer; a pause by the user
  }
}

/** The processes that hold units of a resource (pid order). */
function holdersOf(state: KernelState, resource: number, out: number[]): void {
  const R = state.layout.resourceCount;
  const count = Math.min(state.scalars[Scalar.nextPid], DEADLOCK_SCAN_MAX);
  for (let pid = 0; pid < count; pid++) if (state.procHeld[pid * R + resource] > 0) out.push(pid);
}

/** The processes of the agent at the channel's other end, and of every agent that spawns. */
function agentsOf(ctx: KernelContext, state: KernelState, pid: number, out: number[], done: Uint8Array, spawners: readonly number[], plan: Plan): void {
  const channel = ctx.spec.channels[state.procBlockObject[pid]];
  const agent = state.procBlockReason[pid] === BlockReason.recv ? channel.from.agentIndex : channel.to.agentIndex;
  for (const each of [agent, ...spawners]) {
    if (done[each]) continue;
    done[each] = 1;
    processesOf(ctx, state, each, out, plan);
  }
}

/** An agent's processes: its boot processes (a pid range) and any it spawned later. */
function processesOf(ctx: KernelContext, state: KernelState, agent: number, out: number[], plan: Plan): void {
  const first = plan.firstPid[agent];
  for (let pid = first; pid < first + ctx.spec.agents[agent].replicas; pid++) out.push(pid);
  // Processes beyond the boot ones: spawned, or added by healing (heal/scaled).
  if (plan.spawners.length === 0 && state.scalars[Scalar.nextPid] <= ctx.boot.length) return;
  const count = Math.min(state.scalars[Scalar.nextPid], ctx.boot.length + DEADLOCK_SCAN_MAX);
  for (let pid = ctx.boot.length; pid < count; pid++) if (state.procAgent[pid] === agent) out.push(pid);
}
