// The worker side of the Shell (ui/shell): bisect and find over a condition given as data (an
// expression compiled by src/expr into closures, never evaluated as code), the recent
// events of a pid or type (trace, events) and the channels' queue fill (ipc). find is long work:
// it runs in slices (long-work.ts) with progress and cancel.
import type { Kernel } from '../kernel/kernel';
import { EVENT_SCHEMA, EventCode, type EventType } from '../kernel/events';
import { Scalar, STATUS_NAMES } from '../kernel/state';
import { eventsBefore } from './event-rows';
import { ExprError } from '../expr/index';
import { conditionExpression, RECENT_EVENTS_MAX, type BisectCondition, type ChannelRow, type EventRow, type KernelApi, type KernelStatus, type Outcome } from './api';
import { longWork } from './long-work';

type ShellApi = Pick<KernelApi, 'bisect' | 'find' | 'recentEvents' | 'channels'>;

/**
 * The predicate a condition describes (an expression, compiled against this spec; never
 * evaluated as code), or a reason it does not fit this spec: an expression error with its
 * column, a pid that never exists on this branch.
 */
export function predicateOf(kernel: Kernel, condition: BisectCondition): ((kernel: Kernel) => boolean) | string {
  const { state } = kernel.machine;
  const pid = 'pid' in condition ? condition.pid : undefined;
  if (pid !== undefined && (!Number.isInteger(pid) || pid < 0 || pid >= state.scalars[Scalar.nextPid])) return `no process ${pid}`;
  if (condition.kind === 'status' && !(STATUS_NAMES as readonly string[]).includes(condition.status)) return `unknown status '${condition.status}' (one of ${STATUS_NAMES.join(', ')})`;
  if (condition.kind === 'exited' && !kernel.spec.agents.some((a) => a.name === condition.agent)) return `no agent '${condition.agent}' (agents: ${kernel.spec.agents.map((a) => a.name).join(', ')})`;
  if (condition.kind === 'event' && !EVENT_SCHEMA.some(([type]) => type === condition.type)) return `unknown event type '${condition.type}' (e.g. process/failed, heap/exhausted, ipc/dropped; the Events panel lists them all)`;
  let text = conditionExpression(condition);
  if (condition.kind === 'invariant') {
    const invariant = kernel.spec.invariants.find((entry) => entry.name === condition.name);
    if (!invariant) return `no invariant '${condition.name}' (the spec has ${kernel.spec.invariants.map((entry) => entry.name).join(', ') || 'none'})`;
    text = `!(${invariant.always})`;
  }
  try {
    return kernel.predicate(kernel.expression(text, 'bool'));
  } catch (error) {
    if (error instanceof ExprError) return error.message;
    throw error;
  }
}

/** The predicate of a condition; pids are checked at the end of the branch (a process may not exist yet at the cursor). */
function predicateAtEnd(kernel: Kernel, condition: BisectCondition): ((kernel: Kernel) => boolean) | string {
  if (condition.kind === 'expr' || !('pid' in condition)) return predicateOf(kernel, condition);
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
    // From event 0 the booted state counts as false; from the cursor, what holds there now must
    // first stop holding (a repeated find goes to the next time it becomes true).
    if (fromStart) kernel.seek(0);
    const edge = { previous: fromStart ? false : predicate(kernel) };
    const completed = await longWork.sliced((deadline) => {
      scan.outcome = kernel.findBecomes(predicate, edge, end, deadline);
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
  return { ok: true, value: { seq: scan.outcome === 'found' ? kernel.cursor - 1 : null, from, status: status() } };
}

export function createShellApi(kernelOf: () => Kernel | undefined, status: () => KernelStatus): ShellApi {
  return {
    bisect(condition) {
      const kernel = kernelOf();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      const predicate = predicateAtEnd(kernel, condition);
      if (typeof predicate === 'string') return { ok: false, error: predicate };
      // Over cursors 1..end: the first cursor C where it holds is just after event C-1.
      const cursor = kernel.machine.journal.length === 0 ? undefined : kernel.bisect(predicate, 1);
      return { ok: true, value: { seq: cursor === undefined ? null : cursor - 1, status: status() } };
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
