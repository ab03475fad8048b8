// The branch tree's rows: each branch with the intervention that started it, in words.
import type { Kernel } from '../kernel/kernel';
import type { Intervention } from '../kernel/syscalls/world';
import type { BranchRow } from './api';
import { processLabel } from './event-rows';

export { branchName } from './branch-name';

export function branchRows(kernel: Kernel): BranchRow[] {
  return kernel.timeline.info().map((branch) => ({
    id: branch.id,
    parent: branch.parent,
    forkSeq: branch.forkSeq,
    events: branch.events,
    current: branch.id === kernel.timeline.current,
    cause: branch.cause ? describeIntervention(kernel, branch.cause) : undefined,
  }));
}

/** "kill pool[2] (pid 3)", "policy n0 → fair", "inject 64 B into dispatcher.jobs → pool.jobs". */
export function describeIntervention(kernel: Kernel, intervention: Intervention): string {
  // Named as the events panel names it (`pool[2]`, or `source` for a single replica).
  const process = (pid: number) => {
    const label = processLabel(kernel, pid);
    return label ? `${label} (pid ${pid})` : `pid ${pid}`;
  };
  switch (intervention.kind) {
    case 'kill':
    case 'restart':
    case 'pause':
    case 'resume':
      return `${intervention.kind} ${process(intervention.pid)}`;
    case 'nice':
      return `nice ${process(intervention.pid)} → ${intervention.nice}`;
    case 'policy':
      return `policy n${intervention.node} → ${intervention.policy}`;
    case 'allocator':
      return `allocator n${intervention.node} → ${intervention.allocator}`;
    case 'autonomy':
      return `autonomy → ${intervention.mode}`;
    case 'migrate':
      return `migrate ${process(intervention.pid)} → n${intervention.node}`;
    case 'killTree':
      return 'pid' in intervention ? `kill the subtree of ${process(intervention.pid)}` : `kill the subtree ${intervention.name}`;
    case 'inject': {
      const channel = kernel.spec.channels[intervention.channel];
      const name = channel ? `${channel.from.agent}.${channel.from.port} → ${channel.to.agent}.${channel.to.port}` : `channel ${intervention.channel}`;
      return `inject ${intervention.size} B into ${name}`;
    }
  }
}
