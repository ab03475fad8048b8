// Journal events as the UI's rows, and the backward filtered search behind the events panel and
// the shell's `trace` / `events` commands. A row names the process it concerns by agent and
// replica (`pool[2]`) as well as pid; a filter can name an agent (all its replicas) or one replica.
import type { Kernel } from '../kernel/kernel';
import { EVENT_SCHEMA, EventCode, type EventType } from '../kernel/events';
import { Scalar } from '../kernel/state';
import { eventText } from './event-text';
import { CAUSE_CHAIN_MAX, EVENT_SEARCH_MAX, FILTER_AGENT_NAMES_MAX, type EventFilter, type EventRow } from './api';

/** Pids the kernel has started at its cursor (pids are never reused, so a pid names one process for the whole run). */
function startedPids(kernel: Kernel): number {
  const { state } = kernel.machine;
  return Math.min(state.scalars[Scalar.nextPid], state.layout.procsMax);
}

/** `pool[2]` for a replica of a replicated agent, `source` for a single one, '' for no process. */
export function processLabel(kernel: Kernel, pid: number): string {
  if (pid < 0 || pid >= startedPids(kernel)) return '';
  const { state } = kernel.machine;
  const agent = kernel.spec.agents[state.procAgent[pid]];
  if (!agent) return '';
  const replica = state.procReplica[pid];
  return agent.replicas === 1 && replica === 0 ? agent.name : `${agent.name}[${replica}]`;
}

export function eventRow(kernel: Kernel, seq: number): EventRow {
  const journal = kernel.machine.journal;
  const [name, a, b, c] = EVENT_SCHEMA[journal.type(seq)];
  const fields: Record<string, number> = {};
  if (a) fields[a] = journal.a(seq);
  if (b) fields[b] = journal.b(seq);
  if (c) fields[c] = journal.c(seq);
  const pid = journal.pid(seq);
  return { seq, tick: journal.tick(seq), type: name, node: journal.node(seq), pid, cause: journal.cause(seq), fields, agent: processLabel(kernel, pid), text: eventText(kernel, seq) };
}

/** What led to event `seq`: it, its cause, the cause's cause, ... (at most CAUSE_CHAIN_MAX rows). */
export function causeChain(kernel: Kernel, seq: number): EventRow[] {
  const journal = kernel.machine.journal;
  if (!Number.isInteger(seq) || seq < 0 || seq >= journal.length) return [];
  const chain: EventRow[] = [];
  for (let at = seq; at >= 0 && chain.length < CAUSE_CHAIN_MAX; at = journal.cause(at)) chain.push(eventRow(kernel, at));
  return chain;
}

/** The spec's agent names, for the message about an unknown one (at most FILTER_AGENT_NAMES_MAX). */
function agentNamesText(kernel: Kernel): string {
  const names = kernel.spec.agents.map((agent) => agent.name);
  const shown = names.slice(0, FILTER_AGENT_NAMES_MAX).join(', ');
  return names.length > FILTER_AGENT_NAMES_MAX ? `${shown} and ${names.length - FILTER_AGENT_NAMES_MAX} more` : shown;
}

/**
 * The pids an agent filter selects, as a mask indexed by pid: `name` is every replica of the
 * agent (and the processes it spawned), `name[k]` only replica k. A string message when the name
 * is not an agent of the spec or the replica is out of range.
 */
export function agentPidMask(kernel: Kernel, agentFilter: string): Uint8Array | string {
  const text = agentFilter.trim();
  const match = /^([^[\]]+?)\s*(?:\[\s*(\d+)\s*\])?$/.exec(text);
  const name = match ? match[1] : text;
  const agent = kernel.spec.agents.find((candidate) => candidate.name === name);
  if (!match || !agent) return `no agent '${text}' in spec '${kernel.spec.name}'; its agents are ${agentNamesText(kernel)}`;
  const replica = match[2] === undefined ? undefined : Number(match[2]);
  const { state } = kernel.machine;
  const count = startedPids(kernel);
  const mask = new Uint8Array(count);
  let replicas = 0;
  for (let pid = 0; pid < count; pid++) {
    if (state.procAgent[pid] !== agent.index) continue;
    replicas = Math.max(replicas, state.procReplica[pid] + 1);
    if (replica === undefined || state.procReplica[pid] === replica) mask[pid] = 1;
  }
  if (replica !== undefined && replica >= Math.max(replicas, agent.replicas)) {
    return `agent '${agent.name}' has replicas 0..${Math.max(replicas, agent.replicas) - 1}, not ${replica}`;
  }
  return mask;
}

export interface EventSearch {
  rows: EventRow[];
  /** The oldest seq the search looked at (it stops after EVENT_SEARCH_MAX events or `count` rows). */
  searchedFrom: number;
  /** Why nothing could be searched (an unknown type or agent), in words for the user. */
  error?: string;
}

/**
 * Up to `count` events before `before` that pass the filter, newest first; and where the search
 * stopped (it reads at most EVENT_SEARCH_MAX events). An agent filter knows the processes started
 * by the cursor (the panel and the shell search back from it), so it finds nothing past the cursor.
 */
export function eventsBefore(kernel: Kernel, before: number, count: number, filter: EventFilter): EventSearch {
  const journal = kernel.machine.journal;
  const code = filter.type ? EventCode[filter.type as EventType] : undefined;
  if (filter.type && code === undefined) return { rows: [], searchedFrom: before, error: `unknown event type '${filter.type}'` };
  let mask: Uint8Array | undefined;
  if (filter.agent !== undefined && filter.agent.trim() !== '') {
    const found = agentPidMask(kernel, filter.agent);
    if (typeof found === 'string') return { rows: [], searchedFrom: before, error: found };
    mask = found;
  }
  const rows: EventRow[] = [];
  const start = Math.min(before, journal.length) - 1;
  const stop = Math.max(0, start - EVENT_SEARCH_MAX + 1);
  let seq = start;
  for (; seq >= stop && rows.length < count; seq--) {
    if (code !== undefined && journal.type(seq) !== code) continue;
    const pid = journal.pid(seq);
    if (filter.pid !== undefined && pid !== filter.pid) continue;
    if (mask !== undefined && (pid < 0 || pid >= mask.length || mask[pid] === 0)) continue;
    if (filter.node !== undefined && journal.node(seq) !== filter.node) continue;
    rows.push(eventRow(kernel, seq));
  }
  return { rows, searchedFrom: Math.max(0, seq + 1) };
}
