// The worker side of the Shell (ui/shell): bisect and find over a condition given as data (the
// predicate is built here from a validated description, never evaluated as code), the recent
// events of a pid or type (trace, events) and the channels' queue fill (ipc). find is long work:
// it runs in slices (long-work.ts) with progress and cancel.
import type { Kernel } from '../kernel/kernel';
import { EVENT_SCHEMA, EventCode, type EventType } from '../kernel/events';
import { Scalar, Status, STATUS_NAMES } from '../kernel/state';
import { eventsBefore } from './event-rows';
import { RECENT_EVENTS_MAX, type BisectCondition, type ChannelRow, type EventRow, type KernelApi, type KernelStatus, type Outcome } from './api';
import { longWork } from './long-work';

type ShellApi = Pick<KernelApi, 'bisect' | 'find' | 'recentEvents' | 'channels'>;

/**
 * The predicate a condition describes, or a reason it does not fit this spec (pids are checked
 * against the state the kernel is in; before a process is spawned its conditions do not hold).
 */
export function predicateOf(kernel: Kernel, condition: BisectCondition): ((kernel: Kernel) => boolean) | string {
  const { state } = kernel.machine;
  const pidProblem = (pid: number) => (!Number.isInteger(pid) || pid < 0 || pid >= state.scalars[Scalar.nextPid] ? `no process ${pid}` : undefined);
  switch (condition.kind) {
    case 'failed': {
      const { pid } = condition;
      return pidProblem(pid) ?? ((k) => spawned(k, pid) && k.machine.state.procStatus[pid] === Status.failed);
    }
    case 'status': {
      const { pid } = condition;
      const code = (STATUS_NAMES as readonly string[]).indexOf(condition.status);
      if (code < 0) return `unknown status '${condition.status}' (one of ${STATUS_NAMES.join(', ')})`;
      return pidProblem(pid) ?? ((k) => spawned(k, pid) && k.machine.state.procStatus[pid] === code);
    }
    case 'heap': {
      const { pid, bytes } = condition;
      if (!Number.isFinite(bytes) || bytes < 0) return `heap: expected a byte count, got ${bytes}`;
      const strict = condition.op === '>';
      return pidProblem(pid) ?? ((k) => spawned(k, pid) && (strict ? k.machine.state.procHeapBytes[pid] > bytes : k.machine.state.procHeapBytes[pid] >= bytes));
    }
    case 'exited': {
      const agent = kernel.spec.agents.findIndex((a) => a.name === condition.agent);
      if (agent < 0) return `no agent '${condition.agent}' (agents: ${kernel.spec.agents.map((a) => a.name).join(', ')})`;
      // Every process of the agent has ended (exited or failed), and there is at least one.
      return (k) => {
        const s = k.machine.state;
        let seen = 0;
        for (let pid = 0; pid < s.scalars[Scalar.nextPid]; pid++) {
          if (s.procAgent[pid] !== agent) continue;
          seen++;
          if (s.procStatus[pid] !== Status.exited && s.procStatus[pid] !== Status.failed) return false;
        }
        return seen > 0;
      };
    }
    case 'tick': {
      const { atLeast } = condition;
      if (!Number.isFinite(atLeast)) return `tick: expected a number, got ${atLeast}`;
      return (k) => k.tick >= atLeast;
    }
    case 'event': {
      const code = EVENT_SCHEMA.findIndex(([type]) => type === condition.type);
      if (code < 0) return `unknown event type '${condition.type}' (e.g. process/failed, heap/exhausted, ipc/dropped; the Events panel lists them all)`;
      const { pid } = condition;
      if (pid !== undefined) {
        const problem = pidProblem(pid);
        if (problem) return problem;
      }
      return (k) => {
        const seq = k.cursor - 1;
        const journal = k.machine.journal;
        return seq >= 0 && journal.type(seq) === code && (pid === undefined || journal.pid(seq) === pid);
      };
    }
    default:
      return `unknown condition ${(condition as { kind: unknown }).kind}`;
  }
}

const spawned = (kernel: Kernel, pid: number) => pid < kernel.machine.state.scalars[Scalar.nextPid];

/** The predicate of a condition; pids are checked at the end of the branch (a process may not exist yet at the cursor). */
function predicateAtEnd(kernel: Kernel, condition: BisectCondition): ((kernel: Kernel) => boolean) | string {
  const start = kernel.cursor;
  kernel.seek(kernel.machine.journal.length);
  const predicate = predicateOf(kernel, condition);
  kernel.seek(start);
  return predicate;
}

type FindOutcome = Outcome<{ seq: number | null; from: number; status: KernelStatus }>;

/** `find`: a forward scan checking every event, in slices; see KernelApi.find. */
async function find(kernel: Kernel, condition: BisectCondition, fromStart: boolean, status: () => KernelStatus): Promise<FindOutcome> {
  const predicate = predicateAtEnd(kernel, condition);
  if (typeof predicate === 'string') return { ok: false, error: predicate };
  const start = kernel.cursor, end = kernel.machine.journal.length;
  const from = fromStart ? 0 : start;
  const progress = { kind: 'finding' as const, done: 0, total: end - from };
  longWork.start(progress);
  // A holder: the slices set it in a callback, which TypeScript's narrowing does not follow.
  const scan: { outcome: 'found' | 'end' | 'paused' } = { outcome: 'paused' };
  try {
    if (fromStart) {
      kernel.seek(0);
      if (predicate(kernel)) scan.outcome = 'found';
    }
    const completed = scan.outcome === 'found' || await longWork.sliced((deadline) => {
      scan.outcome = kernel.findForward(predicate, end, deadline);
      progress.done = kernel.cursor - from;
      return scan.outcome !== 'paused';
    });
    if (!completed) {
      const at = kernel.cursor;
      kernel.seek(start);
      return { ok: false, cancelled: true, error: `cancelled at event ${at} (of ${end}); the cursor is back at event ${start}` };
    }
    if (scan.outcome === 'end') kernel.seek(start);
  } finally {
    longWork.finish();
  }
  return { ok: true, value: { seq: scan.outcome === 'found' ? kernel.cursor : null, from, status: status() } };
}

export function createShellApi(kernelOf: () => Kernel | undefined, status: () => KernelStatus): ShellApi {
  return {
    bisect(condition) {
      const kernel = kernelOf();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      const predicate = predicateAtEnd(kernel, condition);
      if (typeof predicate === 'string') return { ok: false, error: predicate };
      const seq = kernel.bisect(predicate);
      return { ok: true, value: { seq: seq ?? null, status: status() } };
    },
    async find(condition, options) {
      const kernel = kernelOf();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      try {
        return await find(kernel, condition, options.fromStart === true, status);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    recentEvents(filter, count) {
      const kernel = kernelOf();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      const code = filter.type === undefined ? undefined : EventCode[filter.type as EventType];
      if (filter.type !== undefined && code === undefined) return { ok: false, error: `unknown event type '${filter.type}'` };
      const limit = Math.max(0, Math.min(RECENT_EVENTS_MAX, Math.floor(count)));
      const { rows } = eventsBefore(kernel, kernel.cursor, limit, filter);
      return { ok: true, value: rows.reverse() };
    },
    channels() {
      const kernel = kernelOf();
      if (!kernel) return [];
      const { state } = kernel.machine;
      return kernel.spec.channels.map((channel): ChannelRow => ({
        index: channel.index,
        from: `${channel.from.agent}.${channel.from.port}`,
        to: `${channel.to.agent}.${channel.to.port}`,
        queued: state.chanQueued[channel.index],
        inFlight: state.chanInFlight[channel.index],
        capacity: channel.capacity,
      }));
    },
  };
}
