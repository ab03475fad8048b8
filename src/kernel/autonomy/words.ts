// The autonomy's events in words, for the Events panel, the cause chain (Why?), the shell's `why`
// and the CLI. A heal reads its cause (the anomaly) so it answers "why" by itself: "restarted
// cache[0] because its heap grew 4 KiB/ms and would reach its 256 KiB limit at 63 ms".
// Reads the journal and the spec only (and the state for the names of spawned processes).
import type { Spec } from '../../spec/types';
import type { BootProcess } from '../placement';
import { BlockReason, EventCode as E } from '../events';
import type { Journal } from '../journal/journal';
import type { KernelState } from '../state';
import { POLICY_CODES } from '../syscalls/world';
import { AnomalyKind, isAutonomyType, kindOf, LeakLimit, subjectOf, WORKLOAD_NAMES } from './codes';
import { AUTONOMY_DEFAULTS } from '../../spec/autonomy';
import { memoryLimitAt } from './limits';

export interface WordsSource {
  readonly spec: Spec;
  readonly journal: Journal;
  readonly state: KernelState;
  readonly boot: readonly BootProcess[];
}

/** Milliseconds to one decimal, or µs under 1 ms. */
export const msText = (ticks: number) => (Math.abs(ticks) >= 1000 ? `${Math.round(ticks / 100) / 10} ms` : `${ticks} µs`);
export const bytesText = (bytes: number) => {
  for (const [unit, scale] of [['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (Math.abs(bytes) >= scale) return `${Math.round((bytes / scale) * 10) / 10} ${unit}`;
  return `${bytes} B`;
};
const percentText = (part: number, whole: number) => `${whole > 0 ? Math.round((part * 100) / whole) : 0}%`;

/** A process by name: cache[0] (pid 3 when its agent is not known at this point). */
export function processName(source: WordsSource, pid: number): string {
  if (pid < 0) return 'nobody';
  const boot = source.boot[pid];
  if (boot) return `${source.spec.agents[boot.agent]?.name ?? `agent ${boot.agent}`}[${boot.replica}]`;
  const { state } = source;
  if (pid < state.procAgent.length && pid < state.scalars[1]) return `${source.spec.agents[state.procAgent[pid]]?.name ?? 'process'}[${state.procReplica[pid]}]`;
  return `pid ${pid}`;
}

export function channelName(spec: Spec, index: number): string {
  const channel = spec.channels[index];
  return channel ? `${channel.from.agent}.${channel.from.port} → ${channel.to.agent}.${channel.to.port}` : `channel ${index}`;
}


/** The words for an autonomy event, or undefined for any other. */
export function autonomyWords(source: WordsSource, seq: number): string | undefined {
  const { journal, spec } = source;
  const type = journal.type(seq);
  if (!isAutonomyType(type)) return undefined;
  const pid = journal.pid(seq), node = journal.node(seq), a = journal.a(seq), b = journal.b(seq), c = journal.c(seq);
  const name = processName(source, pid);
  const why = () => becauseOf(source, journal.cause(seq), type === E['heal/restarted'] || type === E['heal/reniced'] || type === E['heal/migrated'] ? 'reason' : 'event');
  switch (type) {
    case E['anomaly/detected']: return `anomaly: ${findingText(source, seq, 'event')}`;
    case E['anomaly/predicted']: return `predicted: ${findingText(source, seq, 'event')}`;
    case E['heal/restarted']: return `healed: restarted ${name}${why()}`;
    case E['heal/reniced']: return `healed: set ${name}'s nice to ${b}${why()}`;
    case E['heal/policySwitched']: return `healed: switched n${node} to ${POLICY_CODES[b] ?? b} (quantum ${msText(c)})${why()}`;
    case E['heal/capacityRaised']: return `healed: raised the capacity of ${channelName(spec, b)} to ${c}${why()}`;
    case E['heal/loadShed']: return `healed: shed load, dropping the ${c} oldest message${c === 1 ? '' : 's'} queued on ${channelName(spec, b)} (an ipc/dropped each)${why()}`;
    case E['heal/migrated']: return `healed: moving ${name} from n${node} (${c} runnable) to n${b}, the least loaded node that fits,${why()}`;
    case E['heal/scaled']: return `healed: started ${spec.agents[b]?.name ?? `agent ${b}`}[${c}], another replica${why()}`;
    case E['heal/limitRaised']: return `healed: raised ${spec.agents[b]?.name ?? `agent ${b}`}'s memory limit to ${bytesText(c)} (its last failure was over the limit)${why()}`;
    case E['workload/classified']: return `workload of n${node}: ${WORKLOAD_NAMES[a] ?? a} (busy ${b}% of the last window, ${c}% of steps ended in io; held for 3 windows)`;
    case E['tune/switched']: {
      const cause = journal.cause(seq);
      const held = cause >= 0 && journal.type(cause) === E['workload/classified'] ? ` because its workload has been ${WORKLOAD_NAMES[journal.a(cause)] ?? '?'} (busy ${journal.b(cause)}%, ${journal.c(cause)}% io)` : '';
      return `tuned: switched n${node} to ${POLICY_CODES[b] ?? b}, quantum ${msText(c)}${held}`;
    }
  }
  return undefined;
}

/** " because <the anomaly, about its process>" for a heal's cause, or ''. */
function becauseOf(source: WordsSource, cause: number, as: 'event' | 'reason'): string {
  const { journal } = source;
  if (cause < 0 || cause >= journal.length) return '';
  const type = journal.type(cause);
  if (type !== E['anomaly/detected'] && type !== E['anomaly/predicted']) return '';
  const deadlock = kindOf(journal.a(cause)) === AnomalyKind.deadlock;
  return ` because ${findingText(source, cause, deadlock ? 'reason' : as)}`;
}

/**
 * What an anomaly event found. As an 'event' it stands alone ("heap grew 40 KiB in 10 ms ...");
 * as a 'reason' it follows "because" and speaks of its process ("its heap grew ...").
 */
function findingText(source: WordsSource, seq: number, as: 'event' | 'reason'): string {
  const { journal, spec } = source;
  const autonomy = spec.autonomy ?? AUTONOMY_DEFAULTS;
  const predicted = journal.type(seq) === E['anomaly/predicted'];
  const anomaly = journal.a(seq), b = journal.b(seq), c = journal.c(seq), pid = journal.pid(seq), node = journal.node(seq);
  const kind = kindOf(anomaly), subject = subjectOf(anomaly);
  const name = processName(source, pid);
  const its = as === 'reason' ? `its` : `${name}'s`;
  const who = as === 'reason' ? 'it' : name;
  switch (kind) {
    case AnomalyKind.leak: {
      if (predicted) {
        const limit = subject === LeakLimit.node ? `would exhaust n${node}'s heap` : `would reach its ${bytesText(memoryLimitAt(source.journal, spec, agentOf(source, pid), seq))} limit`;
        return `${its} heap grew ${bytesText(b)}/ms and ${limit} at ${msText(c)}`;
      }
      return `${its} heap grew ${bytesText(b)} in ${msText(autonomy.windowTicks)} with ${bytesText(c - b)} of ${bytesText(c)} allocated freed (a leak, ${2} windows in a row)`;
    }
    case AnomalyKind.hog:
      return `${who} used ${percentText(b, c)} of n${node}'s CPU over ${msText(c)} while others waited (a hog at ${autonomy.hogPpm / 10_000}%)`;
    case AnomalyKind.starvation:
      return `${who} waited ${msText(b)} runnable since it last blocked, with under a quarter of an equal share of n${node}'s CPU (starvation past ${msText(c)})`;
    case AnomalyKind.congestion:
      if (predicted) return `${channelName(spec, subject)} filled at ${b} messages/s and would be full at ${msText(c)}`;
      return `${channelName(spec, subject)} held ${b} of ${c} messages for ${msText(autonomy.windowTicks)} (congestion at ${autonomy.congestionPpm / 10_000}%)`;
    case AnomalyKind.crashLoop:
      return `${who} restarted ${b} times in ${msText(c)} (a crash loop: ${autonomy.crashLoopRestarts} within ${msText(autonomy.crashWindowTicks)})`;
    case AnomalyKind.deadlock: {
      const cycle = deadlockCycle(source, seq);
      const wait = `${name} waits on ${processName(source, b)}: ${waitText(spec, c)}`;
      if (as === 'reason') return `the cycle ${cycle} was deadlocked (${wait})`;
      return journal.type(journal.cause(seq)) === E['sched/deadlocked'] ? `deadlock, cycle ${cycle}; ${wait}` : `deadlock (cycle of ${subject}); ${wait}`;
    }
  }
  return `anomaly ${anomaly}`;
}

function agentOf(source: WordsSource, pid: number): number {
  return source.boot[pid]?.agent ?? source.state.procAgent[pid] ?? 0;
}

/** A member's wait (BlockReason + 8 * object) in words. */
function waitText(spec: Spec, wait: number): string {
  const reason = wait % 8, object = Math.floor(wait / 8);
  if (reason === BlockReason.recv) return `recv on ${channelName(spec, object)}`;
  if (reason === BlockReason.sendFull) return `send on ${channelName(spec, object)}, which is full`;
  if (reason === BlockReason.bid) return `bid for ${spec.resources[object]?.name ?? `resource ${object}`}`;
  return 'wait';
}

/** "alice[0] → bob[0] → alice[0]": the members of a deadlock's events in order (they chain by cause), up to 16. */
export function deadlockCycle(source: WordsSource, seq: number): string {
  const { journal } = source;
  // Back to the first member (its cause is the sched/deadlocked event), then forward along the chain.
  let first = seq;
  for (let step = 0; step < 16; step++) {
    const cause = journal.cause(first);
    if (cause < 0 || journal.type(cause) !== E['anomaly/detected'] || kindOf(journal.a(cause)) !== AnomalyKind.deadlock) break;
    first = cause;
  }
  const length = subjectOf(journal.a(first));
  const names = [processName(source, journal.pid(first))];
  let current = first;
  for (let scan = first + 1; scan < journal.length && scan < first + 64 && names.length < length; scan++) {
    if (journal.cause(scan) !== current || journal.type(scan) !== E['anomaly/detected']) continue;
    names.push(processName(source, journal.pid(scan)));
    current = scan;
  }
  const more = length > names.length ? ` … (${length} in all)` : '';
  return `${names.join(' → ')}${more} → ${names[0]}`;
}
