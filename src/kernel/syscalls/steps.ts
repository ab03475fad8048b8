// The interpreter: runs a process's program at tick `t` until one step emits its event (control
// instructions in between emit none). Every core call and PRNG draw for a step happens here.
import { BlockReason, DeniedWhy, EventCode as E, ExhaustedWhy, FailReason, LimitKind } from '../events';
import { ALLOC_SLOTS_MAX, LOOP_DEPTH_MAX, Op } from '../program/opcodes';
import { nextSlot } from '../reducers/process';
import { headMessage } from '../reducers/ipc';
import { FILE_BYTES_MAX, NONE, Scalar, Status } from '../state';
import { ALLOC_FAILED } from './ports';
import { drawTicks, type Sys } from './sys';
import { eligibleNodes, hops } from '../placement';
import { rejects } from '../autonomy/breakers';
import { SHARED_FULL } from './shared-port';
import { capacityNow, memoryLimitOf } from '../autonomy/state';
import { firstReadyWaiter, isReady } from '../autonomy/readiness';

/** Control instructions (loop, jump, choose, fail that did not fire) one step may run before its event. */
export const CONTROL_STEPS_MAX = 4096;
const PPM = 1_000_000;

export type StepOutcome = 'event' | 'computing';

/** Runs the process's next step. 'computing' means a compute segment started (no event yet). */
export function executeStep(sys: Sys, node: number, pid: number, t: number): StepOutcome {
  const { state, ctx } = sys;
  const cause = state.procLastSeq[pid];
  const slot = state.procSlot[pid];
  const code = ctx.compiled.programs[state.procAgent[pid]].code;

  if (state.procFailReason[pid] !== NONE) {
    failProcess(sys, node, pid, t, state.procFailReason[pid], 0, 1);
    return 'event';
  }

  for (let control = 0; control < CONTROL_STEPS_MAX; control++) {
    const pc = state.procPc[pid];
    switch (code[pc]) {
      case Op.loop: {
        const depth = code[pc + 1], count = code[pc + 2];
        state.procLoop[pid * LOOP_DEPTH_MAX + depth] = count;
        state.procPc[pid] = count === 0 ? code[pc + 3] : pc + 4;
        continue;
      }
      case Op.next: {
        const index = pid * LOOP_DEPTH_MAX + code[pc + 1];
        const left = state.procLoop[index];
        if (left < 0 || left > 1) {
          if (left > 1) state.procLoop[index] = left - 1;
          state.procPc[pid] = code[pc + 2];
        } else {
          state.procLoop[index] = 0;
          state.procPc[pid] = pc + 3;
        }
        continue;
      }
      case Op.jump:
        state.procPc[pid] = code[pc + 1];
        continue;
      case Op.fail:
        if (sys.prng.below(PPM) < code[pc + 1]) {
          failProcess(sys, node, pid, t, FailReason.injected, 0, code[pc + 2]);
          return 'event';
        }
        state.procPc[pid] = pc + 3;
        continue;
      case Op.choose: {
        const total = code[pc + 1], branches = code[pc + 2];
        const draw = sys.prng.below(total);
        let branch = 0;
        for (let sum = code[pc + 3]; draw >= sum && branch < branches - 1; sum += code[pc + 3 + 2 * ++branch]);
        sys.emit(t, E['step/chose'], node, pid, cause, branch, draw, total);
        return 'event';
      }
      case Op.compute: {
        if (state.procComputeLeft[pid] === 0) {
          const ticks = drawTicks(sys, code[pc + 1], code[pc + 2]);
          if (ticks === 0) {
            sys.emit(t, E['cpu/computed'], node, pid, cause, 0, 0, 0);
            return 'event';
          }
          state.procComputeLeft[pid] = ticks;
          state.procComputeTotal[pid] = ticks;
        }
        state.nodeSegStart[node] = t;
        state.nodeNext[node] = Math.min(t + state.procComputeLeft[pid], state.nodeSliceEnd[node]);
        return 'computing';
      }
      case Op.io:
      case Op.sleep: {
        const ticks = drawTicks(sys, code[pc + 1], code[pc + 2]);
        block(sys, node, pid, t, code[pc] === Op.io ? BlockReason.io : BlockReason.sleep, NONE, ticks);
        return 'event';
      }
      case Op.alloc: {
        const size = code[pc + 1], allocSlot = code[pc + 2];
        const limit = memoryLimitOf(state, ctx.spec, pid);
        if (state.procHeapBytes[pid] + size > limit) {
          sys.emit(t, E['heap/exhausted'], node, pid, cause, size, ExhaustedWhy.limit, allocSlot);
          return 'event';
        }
        const block = sys.core.heap.alloc(node, slot, size);
        if (block === ALLOC_FAILED) sys.emit(t, E['heap/exhausted'], node, pid, cause, size, ExhaustedWhy.heap, allocSlot);
        else sys.emit(t, E['heap/allocated'], node, pid, cause, block, size, allocSlot);
        return 'event';
      }
      case Op.free: {
        const allocSlot = code[pc + 1];
        const block = state.procSlotBlock[pid * ALLOC_SLOTS_MAX + allocSlot];
        if (block === NONE) {
          sys.emit(t, E['heap/freeSkipped'], node, pid, cause, allocSlot, 0, 0);
          return 'event';
        }
        sys.core.heap.free(node, slot, block);
        const size = state.procSlotSize[pid * ALLOC_SLOTS_MAX + allocSlot];
        sys.emit(t, E['heap/freed'], node, pid, cause, block, size, allocSlot);
        return 'event';
      }
      case Op.send:
        send(sys, node, pid, t, code[pc + 1], code[pc + 2], code[pc + 3]);
        return 'event';
      case Op.recv: {
        const channel = code[pc + 1];
        // Not ready (a readiness probe): it waits, blocked, and the messages go to ready replicas.
        if (state.chanQueued[channel] > 0 && isReady(state, pid)) {
          const message = headMessage(state, channel);
          wakeFirst(sys, 'send', channel); // a slot frees up for a blocked sender
          sys.emit(t, E['ipc/received'], node, pid, cause, channel, state.msgSentSeq[message], state.msgSize[message]);
        } else {
          block(sys, node, pid, t, BlockReason.recv, channel, code[pc + 2]);
        }
        return 'event';
      }
      case Op.spawn:
        spawnChild(sys, node, pid, t, code[pc + 1]);
        return 'event';
      case Op.exit:
        endProcess(sys, node, pid);
        sys.emit(t, E['process/exited'], node, pid, cause, code[pc + 1], 0, 0);
        return 'event';
      case Op.end:
        endProcess(sys, node, pid);
        sys.emit(t, E['process/exited'], node, pid, cause, 0, 0, 0);
        return 'event';
      case Op.write: {
        const file = code[pc + 1], size = code[pc + 2];
        const length = state.fileLength[node * state.layout.fileCount + file] + size;
        if (length > FILE_BYTES_MAX) {
          sys.emit(t, E['limit/reached'], node, pid, cause, LimitKind.files, file, 0); // value: which file
          return 'event';
        }
        sys.emit(t, E['fs/written'], node, pid, cause, file, size, Math.min(length, 0x7fffffff));
        return 'event';
      }
      case Op.read: {
        const file = code[pc + 1];
        const length = state.fileLength[node * state.layout.fileCount + file];
        const wanted = code[pc + 2] < 0 ? length : Math.min(code[pc + 2], length);
        sys.emit(t, E['fs/read'], node, pid, cause, file, Math.min(wanted, 0x7fffffff), length > 0 ? 1 : 0);
        return 'event';
      }
      case Op.crdt: {
        const object = code[pc + 1], op = code[pc + 2];
        const shared = sys.core.shared;
        if (!shared) throw new Error('kernel: the spec has shared objects but the core has none');
        const value = shared.apply(node, object, op, pid, { agent: ctx.spec.agents[state.procAgent[pid]].name, replica: state.procReplica[pid] }, t);
        if (value === SHARED_FULL) sys.emit(t, E['limit/reached'], node, pid, cause, LimitKind.sharedFull, object, 0);
        else sys.emit(t, E['crdt/applied'], node, pid, cause, object, op, value);
        return 'event';
      }
      case Op.bid:
        bid(sys, node, pid, t, code[pc + 1], code[pc + 2], code[pc + 3]);
        return 'event';
      case Op.release: {
        const resource = code[pc + 1];
        sys.emit(t, E['resource/released'], node, pid, cause, resource, state.procHeld[pid * state.layout.resourceCount + resource], 0);
        return 'event';
      }
      default:
        throw new Error(`kernel: unknown opcode ${code[pc]} at pc ${pc} of agent ${ctx.spec.agents[state.procAgent[pid]].name}`);
    }
  }
  // A program that only loops and jumps: fail it instead of hanging the worker.
  failProcess(sys, node, pid, t, FailReason.runaway, CONTROL_STEPS_MAX, 1);
  return 'event';
}

/** Leaves the CPU blocked: the core hears of it first, with the ticks the process ran. */
export function block(sys: Sys, node: number, pid: number, t: number, reason: number, object: number, ticks: number): void {
  const { state } = sys;
  const slot = state.procSlot[pid];
  sys.core.sched.charge(node, slot, t + 1 - state.nodeRunSince[node]);
  sys.core.sched.block(node, slot);
  sys.emit(t, E['sched/blocked'], node, pid, state.procLastSeq[pid], reason, object, ticks);
}

function send(sys: Sys, node: number, pid: number, t: number, channel: number, size: number, timeout: number): void {
  const { state, ctx } = sys;
  const spec = ctx.spec.channels[channel];
  if (state.brState.length > 0 && rejects(sys, node, pid, t, channel, size)) return;
  if (state.chanQueued[channel] + state.chanInFlight[channel] >= capacityNow(state, ctx.spec, channel) || state.scalars[Scalar.messagesLive] >= state.layout.messagesMax) {
    block(sys, node, pid, t, BlockReason.sendFull, channel, timeout);
    return;
  }
  if (spec.rate) {
    const window = Math.floor(t / spec.rate.windowTicks) * spec.rate.windowTicks;
    const used = state.chanWindowStart[channel] === window ? state.chanWindowCount[channel] : 0;
    if (used >= spec.rate.count) {
      block(sys, node, pid, t, BlockReason.rate, channel, window + spec.rate.windowTicks - t);
      return;
    }
  }
  const home = ctx.channelHome[channel];
  const latency = ctx.spec.cluster.latency;
  let delay = 0;
  for (let hop = hops(ctx.spec, node, home); hop > 0; hop--) delay += drawTicks(sys, latency.minTicks, latency.maxTicks);
  if (delay === 0) wakeFirst(sys, 'recv', channel);
  sys.emit(t, E['ipc/sent'], node, pid, state.procLastSeq[pid], channel, size, delay);
}

/** Tells the core that the first waiter of a wait list is about to be woken by the next event. */
export function wakeFirst(sys: Sys, list: 'recv' | 'send', channel: number): number {
  const { state } = sys;
  let pid = list === 'recv' ? state.chanRecvHead[channel] : state.chanSendHead[channel];
  if (list === 'recv' && state.procReady.length > 0) pid = firstReadyWaiter(state, pid);
  if (pid !== NONE) sys.core.sched.wake(state.procNode[pid], state.procSlot[pid]);
  return pid;
}

function spawnChild(sys: Sys, node: number, parent: number, t: number, agent: number): void {
  const { state, ctx } = sys;
  const pid = state.scalars[Scalar.nextPid];
  if (pid >= state.layout.procsMax) {
    sys.emit(t, E['limit/reached'], node, parent, state.procLastSeq[parent], LimitKind.processTable, state.layout.procsMax, 0);
    return;
  }
  const placement = ctx.spec.agents[agent].node;
  const target = placement === 'any' ? leastLoadedNode(sys, eligibleNodes(ctx.spec, ctx.spec.agents[agent])) : placement;
  startProcess(sys, target, pid, agent, state.agentProcesses[agent], parent, t, state.procLastSeq[parent]);
}

export function startProcess(sys: Sys, node: number, pid: number, agent: number, replica: number, parent: number, t: number, cause: number): void {
  const slot = nextSlot(sys.state, node);
  sys.core.sched.add(node, slot, sys.ctx.spec.agents[agent].priority);
  sys.emit(t, E['process/spawned'], node, pid, cause, agent, replica, parent);
}

/** The up node with the fewest runnable processes among `nodes` (all when undefined); lowest index on ties. */
function leastLoadedNode(sys: Sys, nodes?: readonly number[]): number {
  const { state } = sys;
  if (nodes !== undefined && nodes.length > 0) {
    let best = nodes[0];
    for (const node of nodes) {
      if (!state.nodeUp[node]) continue;
      if (!state.nodeUp[best] || state.nodeRunnable[node] < state.nodeRunnable[best]) best = node;
    }
    return best;
  }
  let best = 0;
  for (let node = 1; node < state.layout.nodeCount; node++) {
    if (!state.nodeUp[node]) continue;
    if (!state.nodeUp[best] || state.nodeRunnable[node] < state.nodeRunnable[best]) best = node;
  }
  return best;
}

function bid(sys: Sys, node: number, pid: number, t: number, resource: number, units: number, price: number): void {
  const { state, ctx } = sys;
  const cause = state.procLastSeq[pid];
  const budget = ctx.spec.agents[state.procAgent[pid]].budget;
  if (budget !== undefined && price > budget - state.procSpent[pid]) {
    // The budget cannot cover the offer (a second-price winner pays at most its offer).
    endProcess(sys, node, pid);
    sys.emit(t, E['resource/denied'], node, pid, cause, resource, price, DeniedWhy.budget);
    return;
  }
  if (state.resourceFree[resource] >= units && !hasBidders(sys, resource)) {
    // Uncontested: a second-price auction with no other bid clears at 0.
    const paid = ctx.spec.resources[resource].auction === 'first-price' ? price : 0;
    sys.emit(t, E['resource/granted'], node, pid, cause, resource, units, paid);
    return;
  }
  const slot = state.procSlot[pid];
  sys.core.sched.charge(node, slot, t + 1 - state.nodeRunSince[node]);
  sys.core.sched.block(node, slot);
  sys.emit(t, E['resource/bid'], node, pid, cause, resource, units, price);
}

export function hasBidders(sys: Sys, resource: number): boolean {
  const { state } = sys;
  const count = state.scalars[Scalar.nextPid];
  for (let pid = 0; pid < count; pid++) {
    if (state.procStatus[pid] === Status.blocked && state.procBlockReason[pid] === BlockReason.bid && state.procBlockObject[pid] === resource) return true;
  }
  return false;
}

/** Removes a process from the core (it is ending): its scheduler entry and every heap block. */
export function endProcess(sys: Sys, node: number, pid: number): void {
  const slot = sys.state.procSlot[pid];
  sys.core.sched.remove(node, slot);
  sys.core.heap.freeAll(node, slot);
}

export function failProcess(sys: Sys, node: number, pid: number, t: number, reason: number, detail: number, code: number): void {
  endProcess(sys, node, pid);
  sys.emit(t, E['process/failed'], node, pid, sys.state.procLastSeq[pid], reason, detail, code);
}
