// Readiness, failover and subtree kills in words (kernel/autonomy/readiness.ts, failover.ts, the
// killTree intervention): each says why it happened. Undefined for events that are not theirs.
import type { Kernel } from '../kernel/kernel';
import { EventCode as E, InterventionKind, ReadyReason, UnplacedWhy } from '../kernel/events';
import { eligibleNodes } from '../kernel/placement';

const duration = (ticks: number) => (ticks % 1_000_000 === 0 ? `${ticks / 1_000_000} s` : ticks % 1000 === 0 ? `${ticks / 1000} ms` : `${ticks} µs`);
const size = (bytes: number) => (bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`);

function processName(kernel: Kernel, pid: number): string {
  const state = kernel.machine.state;
  if (pid < 0 || pid >= state.procAgent.length) return `pid ${pid}`;
  return `${kernel.spec.agents[state.procAgent[pid]]?.name ?? 'process'}[${state.procReplica[pid]}]`;
}

export function failoverEventText(kernel: Kernel, seq: number): string | undefined {
  const journal = kernel.machine.journal;
  const type = journal.type(seq), pid = journal.pid(seq);
  const a = journal.a(seq), b = journal.b(seq), c = journal.c(seq);
  const agent = pid >= 0 && pid < kernel.machine.state.procAgent.length ? kernel.spec.agents[kernel.machine.state.procAgent[pid]] : undefined;
  switch (type) {
    case E['probe/ready']:
      if (a === ReadyReason.warmedUp) return `ready: warmed up (its readiness delay of ${duration(agent?.readiness?.delayTicks ?? 0)} ended); it gets messages`;
      return `ready: its heap (${size(b)}) is below the readiness mark (${size(c)}); it gets messages again`;
    case E['probe/unready']:
      return `not ready: its heap (${size(b)}) reached the readiness mark (${size(c)}); messages go to ready replicas`;
    case E['process/migrated']: {
      const requires = agent?.requires;
      const fits = requires && requires.length > 0 ? `offers ${requires.join(', ')} and ` : '';
      return `failed over from n${a} (crashed) to n${b}: n${b} ${fits}had the fewest runnable processes (${c}) of the live nodes${requires && requires.length > 0 ? ' that do' : ''}; it restarts there as its ${agent && kernel.ctx.supervision?.agentSupervisor[agent.index] !== undefined && kernel.ctx.supervision.agentSupervisor[agent.index] >= 0 ? 'supervisor decides' : 'restart policy says'}`;
    }
    case E['process/unplaced']: {
      if (b === UnplacedWhy.pinned) return `cannot fail over from n${a}: ${processName(kernel, pid)} is pinned there (node: n${a}); it restarts when n${a} recovers`;
      if (b === UnplacedWhy.noCapableNode) {
        const offering = agent ? (eligibleNodes(kernel.spec, agent) ?? []).filter((node) => node !== a) : [];
        return `cannot fail over from n${a}: it requires ${agent?.requires?.join(', ') ?? '?'}, and ${offering.length === 0 ? 'no other node offers it' : `${offering.map((node) => `n${node}`).join(', ')} ${offering.length === 1 ? 'is' : 'are'} down too`}; it restarts when n${a} recovers`;
      }
      return `cannot fail over from n${a}: no other node is up; it restarts when n${a} recovers`;
    }
    case E['user/intervened']: {
      if (a !== InterventionKind.killTree) return undefined;
      const root = b >= 0 ? `the subtree of ${processName(kernel, b)} (pid ${b})` : `supervisor ${kernel.spec.supervisors[-2 - b]?.name ?? -2 - b}'s subtree`;
      return `user: killed ${processName(kernel, pid)}, ${c + 1} of ${root}; no restart policy undoes it`;
    }
    default:
      return undefined;
  }
}
