// checkInvariants(state): what must hold after every event. Tests and simulations call it after
// each event; a violation names the invariant and the entity, so a failing seed is debuggable.
import { BlockReason, FailReason } from './events';
import { capacityOf } from './reducers/ipc';
import { NONE, Scalar, Status, type KernelState } from './state';
import type { KernelContext } from './context';
import { memoryLimitOf } from './autonomy/state';

export class InvariantError extends Error {
  constructor(message: string) {
    super(`kernel invariant violated: ${message}`);
    this.name = 'InvariantError';
  }
}

export function checkInvariants(ctx: KernelContext, state: KernelState): void {
  const fail = (message: string) => { throw new InvariantError(message); };
  const N = state.layout.nodeCount;
  const count = state.scalars[Scalar.nextPid];
  const runnable = new Int32Array(N);
  const heapBytes = new Float64Array(N);
  let live = 0;
  for (let pid = 0; pid < count; pid++) {
    const status = state.procStatus[pid];
    const node = state.procNode[pid];
    if (status === Status.runnable || status === Status.running) runnable[node]++;
    if (status === Status.running && state.nodeRunning[node] !== pid) fail(`process ${pid} is running but node n${node} runs ${state.nodeRunning[node]}`);
    if (status !== Status.exited && status !== Status.failed && status !== Status.free) live++;
    // A process a node crash or a supervisor giving up ended keeps its slot: it may start again there.
    const keepsSlot = state.procFailReason[pid] === FailReason.nodeCrashed || state.procFailReason[pid] === FailReason.supervisor;
    if ((status === Status.exited || (status === Status.failed && !keepsSlot)) && state.procSlot[pid] !== NONE) fail(`ended process ${pid} still holds slot ${state.procSlot[pid]}`);
    if (state.procSlot[pid] !== NONE && state.slotPid[node * state.layout.procsMax + state.procSlot[pid]] !== pid) fail(`slot map of n${node} disagrees for process ${pid}`);
    if (state.procHeapBytes[pid] < 0) fail(`process ${pid} has negative heap bytes`);
    heapBytes[node] += state.procHeapBytes[pid];
    const limit = memoryLimitOf(state, ctx.spec, pid);
    if (state.procHeapBytes[pid] > limit) fail(`process ${pid} holds ${state.procHeapBytes[pid]} B, over its limit of ${limit} B`);
    if (status === Status.blocked && state.procBlockReason[pid] === NONE) fail(`blocked process ${pid} has no reason`);
  }
  if (live !== state.scalars[Scalar.liveProcesses]) fail(`liveProcesses is ${state.scalars[Scalar.liveProcesses]} but ${live} processes are live`);
  for (let node = 0; node < N; node++) {
    if (runnable[node] !== state.nodeRunnable[node]) fail(`node n${node} counts ${state.nodeRunnable[node]} runnable, the table has ${runnable[node]}`);
    const running = state.nodeRunning[node];
    if (running !== NONE && state.procStatus[running] !== Status.running) fail(`node n${node} runs ${running}, whose status is ${state.procStatus[running]}`);
    if (heapBytes[node] !== state.nodeHeapBytes[node]) fail(`node n${node} heap is ${state.nodeHeapBytes[node]} B but its processes hold ${heapBytes[node]} B`);
  }
  for (let channel = 0; channel < state.layout.channelCount; channel++) {
    const capacity = capacityOf(state, channel);
    if (state.chanQueued[channel] < 0 || state.chanInFlight[channel] < 0) fail(`channel ${channel} has a negative count`);
    if (state.chanQueued[channel] + state.chanInFlight[channel] > capacity) fail(`channel ${channel} holds more than its capacity ${capacity}`);
    checkWaitList(state, state.chanRecvHead[channel], BlockReason.recv, channel, fail);
    checkWaitList(state, state.chanSendHead[channel], BlockReason.sendFull, channel, fail);
  }
  for (let resource = 0; resource < state.layout.resourceCount; resource++) {
    let held = 0;
    for (let pid = 0; pid < count; pid++) held += state.procHeld[pid * state.layout.resourceCount + resource];
    if (held + state.resourceFree[resource] !== ctx.spec.resources[resource].units) fail(`resource ${resource}: ${held} held + ${state.resourceFree[resource]} free != ${ctx.spec.resources[resource].units} units`);
  }
}

function checkWaitList(state: KernelState, head: number, reason: number, channel: number, fail: (message: string) => never): void {
  let steps = 0;
  for (let pid = head; pid !== NONE; pid = state.procWaitNext[pid]) {
    if (++steps > state.layout.procsMax) fail(`wait list of channel ${channel} has a cycle`);
    if (state.procStatus[pid] !== Status.blocked || state.procBlockReason[pid] !== reason || state.procBlockObject[pid] !== channel) {
      fail(`process ${pid} is in a wait list of channel ${channel} but is not blocked on it`);
    }
  }
}
