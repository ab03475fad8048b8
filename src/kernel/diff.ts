// Views of the state as plain records by entity, and the difference between two of them as data:
// {added, updated: [before, after], removed} (the shape tldraw uses for changes).
import type { KernelContext } from './context';
import { NONE, Scalar, STATUS_NAMES, type KernelState } from './state';
import { cpuTicksAt } from './reducers/cpu';

export interface EntityView {
  [field: string]: string | number;
}

/** Entities by id: "process 3", "channel 0", "node n1", "file n0:/log". */
export type StateView = Record<string, EntityView>;

export interface StateDiff {
  added: Record<string, EntityView>;
  updated: Record<string, [before: EntityView, after: EntityView]>;
  removed: Record<string, EntityView>;
}

export function viewOf(ctx: KernelContext, state: KernelState): StateView {
  const view: StateView = {};
  const count = state.scalars[Scalar.nextPid];
  for (let pid = 0; pid < count; pid++) {
    view[`process ${pid}`] = {
      agent: ctx.spec.agents[state.procAgent[pid]].name,
      replica: state.procReplica[pid],
      node: state.procNode[pid],
      status: STATUS_NAMES[state.procStatus[pid]],
      pc: state.procPc[pid],
      nice: state.procNice[pid],
      cpuTicks: cpuTicksAt(state, pid),
      heapBytes: state.procHeapBytes[pid],
      sent: state.procSent[pid],
      received: state.procReceived[pid],
      restarts: state.procRestarts[pid],
    };
  }
  ctx.spec.channels.forEach((channel, index) => {
    view[`channel ${index}`] = {
      from: `${channel.from.agent}.${channel.from.port}`,
      to: `${channel.to.agent}.${channel.to.port}`,
      queued: state.chanQueued[index],
      inFlight: state.chanInFlight[index],
      sent: state.chanSent[index],
      dropped: state.chanDropped[index],
    };
  });
  for (let node = 0; node < state.layout.nodeCount; node++) {
    view[`node n${node}`] = {
      up: state.nodeUp[node],
      running: state.nodeRunning[node] === NONE ? 'idle' : state.nodeRunning[node],
      runnable: state.nodeRunnable[node],
      heapBytes: state.nodeHeapBytes[node],
      group: state.nodeGroup[node],
    };
  }
  return view;
}

export function diffViews(before: StateView, after: StateView): StateDiff {
  const diff: StateDiff = { added: {}, updated: {}, removed: {} };
  for (const id of Object.keys(after).sort()) {
    const old = before[id];
    if (!old) diff.added[id] = after[id];
    else if (Object.keys(after[id]).some((field) => after[id][field] !== old[field])) diff.updated[id] = [old, after[id]];
  }
  for (const id of Object.keys(before).sort()) if (!after[id]) diff.removed[id] = before[id];
  return diff;
}
