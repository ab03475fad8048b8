// One journal event in words, for the events panel and the cause chain: "sent 256 B on
// source.out → mapper.in (arrives in 12 µs)" rather than "channel=0 size=256 delay=12". Names
// come from the spec (channels, agents, files, resources, shared objects); codes from the enums
// in kernel/events.ts. The raw fields stay in the row for whoever wants them.
import type { Kernel } from '../kernel/kernel';
import { BlockReason, DeniedWhy, DropReason, EVENT_TYPES, EventCode as E, ExhaustedWhy, FailReason, InterventionKind, LimitKind, WakeReason, nameOf } from '../kernel/events';
import { explainPick, SCHED_REASONS } from '../core/sched';
import { ALLOCATOR_CODES, POLICY_CODES } from '../kernel/events';
import { FILE_BYTES_MAX, Scalar, Status } from '../kernel/state';
import { violationWords } from '../kernel/spec-checks';
import { supervisorEventText } from './supervisor-text';
import { failoverEventText } from './failover-text';
import { autonomyWords } from '../kernel/autonomy/words';
import { AUTONOMY_MODES } from '../kernel/autonomy/state';
import { placementWords } from './placement-text';
import { memoryLimitAt } from '../kernel/autonomy/limits';

const us = (ticks: number) => (ticks >= 10_000 ? `${(ticks / 1000).toLocaleString('en', { maximumFractionDigits: 3 })} ms` : `${ticks} µs`);
const bytes = (size: number) => (size >= 1024 && size % 1024 === 0 ? `${size / 1024} KiB` : `${size} B`);

/** "over its memory limit of 128 KiB": the limit the process of the event at `seq` was held to there (memory-limits.ts). */
function overLimit(kernel: Kernel, seq: number): string {
  const pid = kernel.machine.journal.pid(seq), { state } = kernel.machine;
  // A process not started at the cursor (an event ahead of it) has no agent in the state yet.
  if (pid < 0 || pid >= Math.min(state.scalars[Scalar.nextPid], state.layout.procsMax)) return 'over its memory limit';
  return `over its memory limit of ${bytes(memoryLimitAt(kernel.machine.journal, kernel.spec, state.procAgent[pid], seq))}`;
}

export function eventText(kernel: Kernel, seq: number): string {
  const journal = kernel.machine.journal;
  const spec = kernel.spec;
  const a = journal.a(seq), b = journal.b(seq), c = journal.c(seq);
  const channel = (index: number) => {
    const found = spec.channels[index];
    return found ? `${found.from.agent}.${found.from.port} → ${found.to.agent}.${found.to.port}` : `channel ${index}`;
  };
  const blockObject = (reason: number, object: number) => {
    switch (reason) {
      case BlockReason.recv: return `recv on ${channel(object)}`;
      case BlockReason.sendFull: return `send on ${channel(object)} (full)`;
      case BlockReason.rate: return `rate limit of ${channel(object)}`;
      case BlockReason.bid: return `bid for ${spec.resources[object]?.name ?? `resource ${object}`}`;
      case BlockReason.paused: return 'paused by the user';
      default: return nameOf(BlockReason, reason);
    }
  };
  switch (journal.type(seq)) {
    case E['kernel/booted']: return `booted ${a} node${a === 1 ? '' : 's'}, ${b} process${b === 1 ? '' : 'es'}, seed ${c}`;
    case E['process/spawned']: return `spawned ${spec.agents[a]?.name ?? `agent ${a}`}[${b}]${c >= 0 ? ` by pid ${c}` : ''}${placementWords(kernel, a, journal.node(seq))}`;
    case E['process/exited']: return `exited with code ${a}`;
    case E['process/failed']: return `failed: ${a === FailReason.memoryLimit ? overLimit(kernel, seq) : nameOf(FailReason, a)}${c !== 0 ? ` (exit code ${c})` : ''}`;
    case E['process/restarted']: return supervisorEventText(kernel, seq) ?? `restarted (restart ${a})`;
    case E['sched/switched']: return `picked: ${explainPick({ pid: 0, sliceTicks: 0, reason: SCHED_REASONS[a] ?? 'none', value: b })}; slice ${us(c)}`;
    case E['sched/preempted']: return `preempted after ${us(a)}`;
    case E['sched/blocked']: return `blocked: ${blockObject(a, b)}${c >= 0 ? ` for ${us(c)}` : ''}`;
    case E['sched/woken']: return `woken: ${nameOf(WakeReason, a)}`;
    case E['cpu/computed']: return `computed for ${us(a)}`;
    case E['heap/allocated']: return `allocated ${bytes(b)} (block ${a})`;
    case E['heap/freed']: return `freed ${bytes(b)} (block ${a})`;
    case E['heap/exhausted']: return `allocation of ${bytes(a)} failed: ${b === ExhaustedWhy.limit ? overLimit(kernel, seq) : nameOf(ExhaustedWhy, b)}`;
    case E['heap/freeSkipped']: return `free skipped: slot ${a} held nothing`;
    case E['ipc/sent']: return `sent ${bytes(b)} on ${channel(a)} (arrives in ${us(c)})`;
    case E['ipc/delivered']: return `delivered message #${b} on ${channel(a)}`;
    case E['ipc/received']: return `received message #${b} (${bytes(c)}) on ${channel(a)}`;
    case E['ipc/dropped']: return c === DropReason.shed ? `dropped on ${channel(a)}: shed by healing, the oldest message queued` : `dropped on ${channel(a)}: ${nameOf(DropReason, c)}`;
    case E['ipc/timedOut']: return `${['recv', 'send', 'rate-limited send'][b] ?? 'wait'} timed out on ${channel(a)}`;
    case E['fs/written']: return `wrote ${bytes(b)} to ${kernel.ctx.compiled.files[a] ?? `file ${a}`} (now ${bytes(c)})`;
    case E['fs/read']: return `read ${bytes(b)} from ${kernel.ctx.compiled.files[a] ?? `file ${a}`}${c ? '' : ' (not found)'}`;
    case E['crdt/applied']: return `updated shared ${spec.shared[a]?.name ?? `object ${a}`}`;
    case E['crdt/merged']: return `merged shared ${spec.shared[a]?.name ?? `object ${a}`} from n${b} into n${c}`;
    case E['resource/bid']: return `bid ${c} for ${a === -1 ? 'a resource' : (spec.resources[a]?.name ?? `resource ${a}`)} × ${b}`;
    case E['resource/granted']: return `granted ${spec.resources[a]?.name ?? `resource ${a}`} × ${b} at ${c}`;
    case E['resource/denied']: return `RESOURCE_DENIED: ${c === DeniedWhy.budget ? `the budget cannot cover a bid of ${b}` : `still outbid at ${b} when the bid timed out`} for ${spec.resources[a]?.name ?? `resource ${a}`}; the process fails`;
    case E['resource/released']: return `released ${spec.resources[a]?.name ?? `resource ${a}`} × ${b}`;
    case E['step/chose']: return `chose branch ${a} (draw ${b} of ${c})`;
    case E['net/partitioned']: return 'the network partitioned';
    case E['net/healed']: return 'the network healed';
    case E['node/crashed']: return 'the node crashed';
    case E['node/recovered']: return 'the node recovered';
    case E['user/intervened']: {
      if (a === InterventionKind.killTree || a === InterventionKind.migrate) return failoverEventText(kernel, seq) ?? '';
      if (a === InterventionKind.policy) return `user: policy → ${POLICY_CODES[b] ?? b}`;
      if (a === InterventionKind.allocator) return `user: allocator → ${ALLOCATOR_CODES[b] ?? b}`;
      if (a === InterventionKind.inject) return `user: injected ${bytes(c)} into ${channel(b)}`;
      if (a === InterventionKind.nice) return `user: nice → ${b}`;
      if (a === InterventionKind.autonomy) return `user: autonomy → ${AUTONOMY_MODES[b] ?? b}`;
      return `user: ${nameOf(InterventionKind, a)}`;
    }
    case E['sched/deadlocked']: {
      const other = b >= 0 && b < kernel.machine.state.procAgent.length ? spec.agents[kernel.machine.state.procAgent[b]]?.name : undefined;
      const whom = `${other ?? 'process'} (pid ${b})`;
      return a <= 2 ? `deadlocked: this process and ${whom} wait on each other forever` : `deadlocked: waits on ${whom}; ${a} processes wait on each other forever`;
    }
    case E['limit/reached']: {
      if (a === LimitKind.runaway) return `limit reached: runaway: ${b.toLocaleString('en')} events without virtual time passing${journal.pid(seq) >= 0 ? '; this process fails' : ''}`;
      if (a === LimitKind.files) return `limit reached: ${kernel.ctx.compiled.files[b] ?? `file ${b}`} is at its largest (${FILE_BYTES_MAX / 2 ** 40} TiB): the write was refused`;
      return `limit reached: ${nameOf(LimitKind, a)} (${b})`;
    }
    case E['invariant/violated']: return violationWords(spec, kernel.machine.invariants, a, b, c);
    case E['rule/violated']: return violationWords(spec, kernel.machine.invariants, a, b, c, true);
    case E['supervisor/restarting']:
    case E['supervisor/gaveUp']:
    case E['probe/failed']:
    case E['breaker/opened']:
    case E['breaker/halfOpened']:
    case E['breaker/closed']:
    case E['breaker/rejected']: return supervisorEventText(kernel, seq) ?? '';
    case E['probe/ready']:
    case E['probe/unready']:
    case E['process/migrated']:
    case E['process/unplaced']: return failoverEventText(kernel, seq) ?? '';
    default: return autonomyWords({ spec, journal, state: kernel.machine.state, boot: kernel.ctx.boot }, seq) ?? '';
  }
}

/**
 * How a failed process ended, in words: a kill says it was killed and by which event (the user's
 * kill intervention, or whatever else ended it), not "failed (exit code 137)".
 */
/** The event of the user's kill (kill, kill --tree) that ended `pid`, if that is how it ended. */
export function userKillSeq(kernel: Kernel, pid: number): number | undefined {
  const { state, journal } = kernel.machine;
  if (state.procStatus[pid] !== Status.failed || state.procFailReason[pid] !== FailReason.killed) return undefined;
  const at = state.procLastSeq[pid];
  return at >= 0 && at < journal.length && journal.type(at) === E['user/intervened'] ? at : undefined;
}

export function failedText(kernel: Kernel, pid: number): string {
  const { state, journal } = kernel.machine;
  const code = state.procExitCode[pid];
  const at = state.procLastSeq[pid];
  const by = at >= 0 && at < journal.length ? journal.type(at) : -1;
  switch (state.procFailReason[pid]) {
    case FailReason.killed:
      return by === E['user/intervened'] ? `killed by the user at event #${at}` : `killed${by >= 0 ? ` by ${EVENT_TYPES[by]} at event #${at}` : ''}`;
    case FailReason.memoryLimit: return `failed: over its memory limit of ${bytes(memoryLimitAt(kernel.machine.journal, kernel.spec, state.procAgent[pid], at >= 0 ? at : kernel.cursor))}${at >= 0 ? ` (event #${at})` : ''}`;
    case FailReason.heapExhausted: return `failed: the heap had no room${at >= 0 ? ` (event #${at})` : ''}`;
    case FailReason.nodeCrashed: return `failed: its node crashed${at >= 0 ? ` (event #${at})` : ''}`;
    case FailReason.exitCode: return `failed with exit code ${code}`;
    default: return `failed: ${nameOf(FailReason, state.procFailReason[pid])}${code !== 0 ? ` (exit code ${code})` : ''}`;
  }
}
