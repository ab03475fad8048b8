// Everything a check can read, as one snapshot per class of input (check-plan.ts's classes), to
// see what changed between two consecutive checks.
import type { Kernel } from '../../src/kernel/kernel';
import { capacityNow } from '../../src/kernel/autonomy/state';
import { Scalar } from '../../src/kernel/state';

export type InputClass = 'runnable' | 'node' | 'heap' | 'channel' | 'shared' | 'otherProcess';

export interface InputSnapshot {
  readonly classes: Record<InputClass, string>;
  /** Per pid: its fields agents.* and procs[] read. */
  readonly procs: string[];
}

export function inputSnapshot(kernel: Kernel): InputSnapshot {
  const { state, core, machineCore } = kernel.machine;
  const spec = kernel.spec;
  const nodes = state.layout.nodeCount;
  const shared = machineCore.shared();
  const list = (count: number, read: (i: number) => unknown) => JSON.stringify(Array.from({ length: count }, (_, i) => read(i)));
  const spawned = state.scalars[Scalar.nextPid];
  const procs = Array.from({ length: spawned }, (_, pid) => [
    state.procStatus[pid], state.procAgent[pid], state.procReplica[pid], state.procNode[pid], state.procNice[pid], state.procHeapBytes[pid],
    state.procCpuTicks[pid], state.procSent[pid], state.procReceived[pid], state.procRestarts[pid], state.procSpent.length > 0 ? state.procSpent[pid] : 0,
  ].join(','));
  return {
    procs,
    classes: {
      runnable: list(nodes, (n) => state.nodeRunnable[n]),
      node: list(nodes, (n) => [state.nodeUp[n], state.nodeGroup[n]]),
      heap: list(nodes, (n) => core.heap.freeBytes(n)),
      channel: list(spec.channels.length, (c) => [state.chanQueued[c], capacityNow(state, spec, c), state.chanSent[c], state.chanDelivered[c], state.chanDropped[c]]),
      shared: list(spec.shared.length, (o) => [shared?.version(o), ...Array.from({ length: nodes }, (_, n) => shared?.numeric(o, n))]),
      otherProcess: String(spawned),
    },
  };
}

/** The classes that differ between two snapshots; a process other than `pid` that differs counts as otherProcess. */
export function changedClasses(before: InputSnapshot, after: InputSnapshot, pid: number): InputClass[] {
  const changed = (Object.keys(before.classes) as InputClass[]).filter((key) => before.classes[key] !== after.classes[key]);
  if (!changed.includes('otherProcess')) {
    for (let other = 0; other < before.procs.length; other++) {
      if (other !== pid && before.procs[other] !== after.procs[other]) { changed.push('otherProcess'); break; }
    }
  }
  return changed;
}
