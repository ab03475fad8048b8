// One trial over time, for the A/B view: the trial replayed from its line's link (the same spec
// with its overrides, the same seed, to the same stop: it must reach the line's stateHash), its
// metrics sampled at evenly spaced ticks from 0 to the stop, its key events (failures, heals,
// violations) with their tick, each agent's outcome at the stop (throughput, CPU share,
// failures, restarts) and each channel's (received, dropped, latency from send to receive). Sampling walks the journal forward (seek only moves ahead), so it costs
// about one more replay. Browser-safe: runs in the lab's timeline worker and in Node tests.
import type { Core } from '../core/core';
import { compileExpression } from '../expr/index';
import { EventCode as E, FailReason, nameOf, type EventType } from '../kernel/events';
import { Kernel } from '../kernel/kernel';
import { exprContext } from '../kernel/spec-checks';
import { Scalar } from '../kernel/state';
import { decodeSessionLink } from '../share/link';

/** Samples per series at most (each is a seek and an evaluation of every metric). */
export const TIMELINE_SAMPLES_MAX = 400;
export const TIMELINE_SAMPLES_DEFAULT = 120;
/** Key events kept per trial (the rest are counted). */
export const TIMELINE_MARKS_MAX = 400;

export type MarkKind = 'failure' | 'heal' | 'violation';

/** Which events are a trial's key events, and of what kind. */
export const MARK_KINDS: Readonly<Partial<Record<EventType, MarkKind>>> = {
  'process/failed': 'failure',
  'node/crashed': 'failure',
  'sched/deadlocked': 'failure',
  'resource/denied': 'failure',
  'supervisor/gaveUp': 'failure',
  'process/restarted': 'heal',
  'supervisor/restarting': 'heal',
  'node/recovered': 'heal',
  'net/healed': 'heal',
  'heal/restarted': 'heal',
  'heal/reniced': 'heal',
  'heal/policySwitched': 'heal',
  'heal/capacityRaised': 'heal',
  'heal/loadShed': 'heal',
  'heal/scaled': 'heal',
  'heal/limitRaised': 'heal',
  'invariant/violated': 'violation',
  'rule/violated': 'violation',
  'anomaly/detected': 'violation',
};

export interface TimelineMark {
  seq: number;
  tick: number;
  kind: MarkKind;
  /** `process/failed pool[2] (memoryLimit)`. */
  label: string;
}

export interface AgentOutcome {
  agent: string;
  /** Messages received by the agent's processes (its throughput). */
  received: number;
  sent: number;
  /** Its processes' CPU ticks over all processes' (per mille). */
  cpuShare: number;
  failed: number;
  restarts: number;
}

export interface ChannelOutcome {
  /** `dispatcher.jobs → pool.jobs`. */
  channel: string;
  /** Messages received from it by the stop. */
  received: number;
  /** Messages it dropped (loss, partition, a node down, a receiver gone). */
  dropped: number;
  /** From send to receive (the ipc/received event names its ipc/sent), in ticks (µs): mean and 95th percentile; null with nothing received. */
  latencyMeanUs: number | null;
  latencyP95Us: number | null;
}

export interface TrialTimeline {
  stateHash: string;
  events: number;
  ticks: number;
  /** The tick of each sample: 0 .. ticks, evenly spaced. */
  sampleTicks: number[];
  /** Each metric's value at each sample tick (the state after the last event at or before it). */
  series: { name: string; values: number[] }[];
  marks: TimelineMark[];
  /** Key events by kind, all of them (marks keeps the first TIMELINE_MARKS_MAX). */
  markCounts: Record<MarkKind, number>;
  agents: AgentOutcome[];
  channels: ChannelOutcome[];
}

export class TimelineError extends Error {}

/**
 * Replays the trial a line's link holds and samples it. `expectedHash` is the line's stateHash:
 * a replay that does not reach it is an error (the link is not this trial's).
 */
export async function trialTimeline(
  link: string,
  metrics: readonly { name: string; expr: string }[],
  core: Core,
  options: { samples?: number; expectedHash?: string } = {},
): Promise<TrialTimeline> {
  const session = await decodeSessionLink(link);
  const kernel = Kernel.fromSession(session, core, { source: 'the trial link' });
  const stateHash = kernel.stateHash();
  if (options.expectedHash !== undefined && stateHash !== options.expectedHash) {
    throw new TimelineError(`the trial's link replays to stateHash ${stateHash}, not ${options.expectedHash} as its line says`);
  }
  const events = kernel.cursor;
  const ticks = kernel.tick;
  const journal = kernel.machine.journal;
  const samples = Math.max(2, Math.min(TIMELINE_SAMPLES_MAX, Math.floor(options.samples ?? TIMELINE_SAMPLES_DEFAULT)));
  const agents = outcomes(kernel);

  // Key events and each channel's latencies, by one pass over the journal.
  const RECEIVED = E['ipc/received'], DROPPED = E['ipc/dropped'];
  const latencies = kernel.spec.channels.map(() => [] as number[]);
  const dropped = kernel.spec.channels.map(() => 0);
  const kinds = new Map<number, { kind: MarkKind; type: EventType }>();
  for (const [type, kind] of Object.entries(MARK_KINDS) as [EventType, MarkKind][]) kinds.set(E[type], { kind, type });
  const marks: TimelineMark[] = [];
  const markCounts: Record<MarkKind, number> = { failure: 0, heal: 0, violation: 0 };
  const names = processNames(kernel);
  for (let seq = 0; seq < events; seq++) {
    const type = journal.type(seq);
    if (type === RECEIVED) {
      // ipc/received: a = channel, b = the seq of the message's ipc/sent.
      const sent = journal.b(seq);
      if (sent >= 0 && sent < seq) latencies[journal.a(seq)]?.push(journal.tick(seq) - journal.tick(sent));
      continue;
    }
    if (type === DROPPED) { if (dropped[journal.a(seq)] !== undefined) dropped[journal.a(seq)]++; continue; }
    const found = kinds.get(type);
    if (!found) continue;
    markCounts[found.kind]++;
    if (marks.length >= TIMELINE_MARKS_MAX) continue;
    const pid = journal.pid(seq);
    const who = pid >= 0 && pid < names.length ? ` ${names[pid]}` : '';
    const why = found.type === 'process/failed' ? ` (${nameOf(FailReason, journal.a(seq))})` : '';
    marks.push({ seq, tick: journal.tick(seq), kind: found.kind, label: `${found.type}${who}${why}` });
  }

  // Metrics at evenly spaced ticks: after the last event at or before each (events are in tick order).
  const compiled = metrics.map((metric) => compileExpression(metric.expr, exprContext(kernel.spec), 'value'));
  const sampleTicks: number[] = [];
  const series = metrics.map((metric) => ({ name: metric.name, values: [] as number[] }));
  kernel.seek(0);
  let cursor = 0;
  for (let i = 0; i < samples; i++) {
    const tick = i === samples - 1 ? ticks : Math.round((ticks * i) / (samples - 1));
    while (cursor < events && journal.tick(cursor) <= tick) cursor++;
    if (i === samples - 1) cursor = events;
    kernel.seek(cursor);
    sampleTicks.push(tick);
    const view = kernel.exprView;
    compiled.forEach((metric, index) => {
      const value = metric.evaluate(view);
      series[index].values.push(typeof value === 'boolean' ? (value ? 1 : 0) : Number(value));
    });
  }
  const channels = kernel.spec.channels.map((channel, index): ChannelOutcome => {
    const waits = latencies[index].sort((x, y) => x - y);
    const mean = waits.length === 0 ? null : Math.round(waits.reduce((sum, wait) => sum + wait, 0) / waits.length);
    // Nearest rank: the smallest wait at or above 95% of them.
    const p95 = waits.length === 0 ? null : waits[Math.min(waits.length - 1, Math.ceil(0.95 * waits.length) - 1)];
    return { channel: `${channel.from.agent}.${channel.from.port} → ${channel.to.agent}.${channel.to.port}`, received: waits.length, dropped: dropped[index], latencyMeanUs: mean, latencyP95Us: p95 };
  });
  return { stateHash, events, ticks, sampleTicks, series, marks, markCounts, agents, channels };
}

/** `pool[2]` for each pid (agent name and replica, as the Events panel writes them), from the state at the stop. */
function processNames(kernel: Kernel): string[] {
  const { state } = kernel.machine;
  const count = Math.min(state.scalars[Scalar.nextPid], state.procAgent.length);
  return Array.from({ length: count }, (_, pid) => `${kernel.spec.agents[state.procAgent[pid]]?.name ?? 'process'}[${state.procReplica[pid]}]`);
}

function outcomes(kernel: Kernel): AgentOutcome[] {
  const rows = kernel.agents();
  const cpu = rows.reduce((sum, row) => sum + row.cpuTicks, 0);
  return rows.map((row) => ({
    agent: row.agent, received: row.received, sent: row.sent, cpuShare: cpu === 0 ? 0 : Math.round((row.cpuTicks * 1000) / cpu),
    failed: row.failed, restarts: row.restarts,
  }));
}
