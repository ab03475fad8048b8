// Readiness, failover and subtree kills in words (kernel/autonomy/readiness.ts, failover.ts, the
// killTree intervention): each says why it happened. Undefined for events that are not theirs.
import type { Kernel } from '../kernel/kernel';
import { EventCode as E, InterventionKind, ReadyReason, UnplacedWhy } from '../kernel/events';
import { eligibleNodes } from '../kernel/placement';

const duration = (ticks: number) => (ticks % 1_000_000 === 0 ? `${ticks / 1_000_000} s` : ticks % 1000 === 0 ? `${ticks / 1000} ms` : `${ticks} µs`);
const size = (bytes: number) => (bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`);

export function processName(kernel: Kernel, pid: number): string {
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
      const live = liveMoveText(kernel, seq);
      if (live !== undefined) return live;
      const requires = agent?.requires;
      const fits = requires && requires.length > 0 ? `offers ${requires.join(', ')} and ` : '';
      return `failed over from n${a} (crashed) to n${b}: n${b} ${fits}had the fewest runnable processes (${c}) of the live nodes${requires && requires.length > 0 ? ' that do' : ''}; it restarts there as its ${agent && kernel.ctx.supervision?.agentSupervisor[agent.index] !== undefined && kernel.ctx.supervision.agentSupervisor[agent.index] >= 0 ? 'supervisor decides' : 'restart policy says'}`;
    }
    case E['process/unplaced']: {
      const cause = journal.cause(seq);
      const causeType = cause >= 0 ? journal.type(cause) : -1;
      if (causeType === E['user/intervened'] || causeType === E['heal/migrated']) {
        const why = b === UnplacedWhy.heap ? `n${c}'s allocator had no room for its heap` : b === UnplacedWhy.ended ? 'it had ended' : b === UnplacedWhy.pinned ? `it is pinned to n${a}` : b === UnplacedWhy.noCapableNode ? `n${c} does not offer what it requires` : `n${c} is down`;
        return `could not move ${processName(kernel, pid)} from n${a} to n${c}: ${why}; it stays on n${a}`;
      }
      if (b === UnplacedWhy.pinned) return `cannot fail over from n${a}: ${processName(kernel, pid)} is pinned there (node: n${a}); it restarts when n${a} recovers`;
      if (b === UnplacedWhy.noCapableNode) {
        const offering = agent ? (eligibleNodes(kernel.spec, agent) ?? []).filter((node) => node !== a) : [];
        return `cannot fail over from n${a}: it requires ${agent?.requires?.join(', ') ?? '?'}, and ${offering.length === 0 ? 'no other node offers it' : `${offering.map((node) => `n${node}`).join(', ')} ${offering.length === 1 ? 'is' : 'are'} down too`}; it restarts when n${a} recovers`;
      }
      return `cannot fail over from n${a}: no other node is up; it restarts when n${a} recovers`;
    }
    case E['user/intervened']: {
      if (a === InterventionKind.migrate) return `user: migrate ${processName(kernel, pid)} from n${journal.node(seq)} to n${b}`;
      if (a !== InterventionKind.killTree) return undefined;
      const root = b >= 0 ? `the subtree of ${processName(kernel, b)} (pid ${b})` : `supervisor ${kernel.spec.supervisors[-2 - b]?.name ?? -2 - b}'s subtree`;
      return `user: killed ${processName(kernel, pid)}, ${c + 1} of ${root}; no restart policy undoes it`;
    }
    default:
      return undefined;
  }
}

/** A live process's move (kernel/autonomy/migrate.ts) in words, by its cause; undefined for a failover. */
function liveMoveText(kernel: Kernel, seq: number): string | undefined {
  const journal = kernel.machine.journal;
  const cause = journal.cause(seq);
  if (cause < 0) return undefined;
  const pid = journal.pid(seq), from = journal.a(seq), to = journal.b(seq), runnable = journal.c(seq);
  const goesOn = 'it goes on there with its heap, and receives what was queued or in flight for it';
  if (journal.type(cause) === E['user/intervened']) {
    return `moved ${processName(kernel, pid)} from n${from} to n${to} as the user asked (n${to} had ${runnable} runnable); ${goesOn}`;
  }
  if (journal.type(cause) !== E['heal/migrated']) return undefined;
  const anomaly = journal.cause(cause);
  const used = anomaly >= 0 ? journal.b(anomaly) : 0, window = anomaly >= 0 ? journal.c(anomaly) : 0;
  const share = window > 0 ? Math.round((used * 100) / window) : 0;
  return `moved ${processName(kernel, pid)} from n${from} to n${to} because it used ${share}% of n${from}'s CPU over ${duration(window)} while ${journal.c(cause)} processes were runnable there, and n${to} had ${runnable}; ${goesOn}`;
}
