// The Health panel's view: each detector's signal over the run with its threshold, the
// predictions with their horizon, the anomalies and the actions taken (kernel/autonomy/). One
// pass over the journal up to the cursor, bucketed into at most HEALTH_POINTS points a signal.
import type { Kernel } from '../kernel/kernel';
import { EVENT_TYPES, EventCode as E, InterventionKind } from '../kernel/events';
import { failoverEventText, processName } from './failover-text';
import { ANOMALY_NAMES, AnomalyKind, isAutonomyType, kindOf, subjectOf } from '../kernel/autonomy/codes';
import { autonomyRow, type AutonomyRow } from '../kernel/autonomy/report';
import { AUTONOMY_MODES, AuScalar } from '../kernel/autonomy/state';
import { AUTONOMY_DEFAULTS } from '../spec/autonomy';
import { msText } from '../kernel/autonomy/words';

export const HEALTH_POINTS = 160;
/** Rows of anomalies and actions the view carries (newest kept). */
export const HEALTH_ROWS_MAX = 200;

export interface HealthSignal {
  detector: string;
  /** What is plotted, in words: "largest heap, share of its limit". */
  label: string;
  /** The value axis' title: "heap, % of limit". */
  axis: string;
  /** Percent of the limit, per bucket (the largest seen in it). */
  percent: number[];
  /** The detector's threshold on that scale, in percent. */
  thresholdPercent: number;
}

export interface HealthDetector {
  name: string;
  on: boolean;
  /** The threshold in words: "90% of the node's CPU over 10 ms". */
  threshold: string;
  findings: number;
}

export interface HealthView {
  /** 'none': the spec has no autonomy: key, but failover or readiness decide (only those actions are listed). */
  mode: 'off' | 'detect' | 'heal' | 'none';
  /** With mode 'none': which of them the spec has. */
  failover?: boolean;
  readiness?: boolean;
  tune: boolean;
  detectors: HealthDetector[];
  signals: HealthSignal[];
  /** Ticks per bucket and the last tick covered, for the time axis. */
  bucketTicks: number;
  endTick: number;
  predictions: (AutonomyRow & { horizonTicks: number })[];
  anomalies: AutonomyRow[];
  actions: AutonomyRow[];
  /** How many of each there are up to the cursor (the lists keep the newest HEALTH_ROWS_MAX). */
  totals: { predictions: number; anomalies: number; actions: number };
}

/** The autonomy's mode at the cursor, or null when the spec has no autonomy: key. */
export function autonomyMode(kernel: Kernel): 'off' | 'detect' | 'heal' | null {
  const scalars = kernel.machine.state.auScalars;
  return scalars.length === 0 ? null : AUTONOMY_MODES[scalars[AuScalar.mode]] ?? 'off';
}

export function healthView(kernel: Kernel): HealthView | undefined {
  const mode = autonomyMode(kernel);
  const autonomy = kernel.spec.autonomy;
  if (mode === null || !autonomy) return placementView(kernel);
  const { journal, state } = kernel.machine;
  const source = { spec: kernel.spec, journal, state, boot: kernel.ctx.boot };
  const endTick = Math.max(1, kernel.tick);
  const bucketTicks = Math.max(1, Math.ceil((endTick + 1) / HEALTH_POINTS));
  const count = Math.min(HEALTH_POINTS, Math.ceil((endTick + 1) / bucketTicks));

  // Leak: the largest heap as a share of its process's limit. Congestion: the fullest channel as
  // a share of its capacity now. Both per bucket, the largest seen in it.
  const heap = new Float64Array(state.procAgent.length);
  const heapPeak = new Array<number>(count).fill(0);
  const occupancy = new Float64Array(kernel.spec.channels.length);
  const capacity = kernel.spec.channels.map((channel) => channel.capacity);
  const queuePeak = new Array<number>(count).fill(0);
  // The limit as the spec sets it, raised by healing (heal/limitRaised) as the journal goes.
  const limits = kernel.spec.agents.map((agent) => agent.memoryBytes);
  const limitOf = (pid: number) => limits[kernel.ctx.boot[pid]?.agent ?? state.procAgent[pid]] ?? 1;
  // The autonomy's events by list, as seqs: words are built only for the rows kept (below).
  const predictionSeqs: number[] = [], anomalySeqs: number[] = [], actionSeqs: number[] = [];
  const findings = new Array<number>(ANOMALY_NAMES.length).fill(0);
  const bucketOf = (tick: number) => Math.min(count - 1, Math.floor(tick / bucketTicks));
  const end = kernel.cursor;
  for (let seq = 0; seq < end; seq++) {
    const type = journal.type(seq), pid = journal.pid(seq);
    let touchedPid = -1, touchedChannel = -1;
    switch (type) {
      case E['heap/allocated']: heap[pid] += journal.b(seq); touchedPid = pid; break;
      case E['heap/freed']: heap[pid] -= journal.b(seq); touchedPid = pid; break;
      case E['process/failed']: case E['process/exited']: case E['heal/restarted']: heap[pid] = 0; break;
      case E['user/intervened']: if (pid >= 0 && journal.a(seq) !== InterventionKind.migrate) heap[pid] = 0; break; // a migration keeps its heap
      case E['ipc/sent']: occupancy[journal.a(seq)]++; touchedChannel = journal.a(seq); break;
      case E['ipc/received']: case E['ipc/dropped']: occupancy[journal.a(seq)]--; break;
      case E['heal/capacityRaised']: capacity[journal.b(seq)] = journal.c(seq); break;
      case E['heal/limitRaised']: limits[journal.b(seq)] = journal.c(seq); break;
    }
    if (PLACEMENT_TYPES.has(type)) actionSeqs.push(seq);
    else if (isAutonomyType(type)) {
      if (type === E['anomaly/detected'] || type === E['anomaly/predicted']) {
        findings[kindOf(journal.a(seq))]++;
        (type === E['anomaly/detected'] ? anomalySeqs : predictionSeqs).push(seq);
      } else if (type !== E['workload/classified']) actionSeqs.push(seq);
    }
    const bucket = bucketOf(journal.tick(seq));
    if (touchedPid >= 0) heapPeak[bucket] = Math.max(heapPeak[bucket], (heap[touchedPid] * 100) / Math.max(1, limitOf(touchedPid)));
    if (touchedChannel >= 0) queuePeak[bucket] = Math.max(queuePeak[bucket], (occupancy[touchedChannel] * 100) / Math.max(1, capacity[touchedChannel]));
  }

  const d = AUTONOMY_DEFAULTS;
  const window = msText(autonomy.windowTicks ?? d.windowTicks);
  const thresholds: Record<string, string> = {
    leak: `heap growing with frees under half its allocations, 2 windows of ${window}; predicted within ${msText(autonomy.horizonTicks)} of its limit`,
    hog: `${autonomy.hogPpm / 10_000}% of the node's CPU over ${window} while others wait`,
    starvation: `waiting runnable for more than ${msText(autonomy.starvationTicks)} and two rounds of its node's run queue since it last blocked, with under a quarter of an equal share`,
    congestion: `${autonomy.congestionPpm / 10_000}% of capacity for ${window}; predicted within ${msText(autonomy.horizonTicks)} of full`,
    'crash-loop': `${autonomy.crashLoopRestarts} restarts within ${msText(autonomy.crashWindowTicks)}`,
    deadlock: 'a waits-for cycle',
  };
  const detectors = ANOMALY_NAMES.map((name, index) => ({ name, on: autonomy.detect.includes(name), threshold: thresholds[name], findings: findings[index] }));
  const signals: HealthSignal[] = [];
  if (autonomy.detect.includes('leak')) signals.push({ detector: 'leak', label: 'largest heap, % of its process\'s memory limit', axis: 'heap, % of its limit', percent: heapPeak.map(round), thresholdPercent: 100 });
  if (autonomy.detect.includes('congestion') && kernel.spec.channels.length > 0) signals.push({ detector: 'congestion', label: 'fullest channel, % of its capacity', axis: 'queue, % of its capacity', percent: queuePeak.map(round), thresholdPercent: autonomy.congestionPpm / 10_000 });

  // Rows (with their words) only for the newest HEALTH_ROWS_MAX of each list. Actions are heals
  // and tuning, and what placement and readiness decided (moves, refused moves, ready or not).
  const rowsOf = (seqs: number[]) => seqs.slice(Math.max(0, seqs.length - HEALTH_ROWS_MAX)).map((seq) => (PLACEMENT_TYPES.has(journal.type(seq)) ? placementRow(kernel, seq) : autonomyRow(source, seq)));
  return {
    mode, tune: autonomy.tune, detectors, signals, bucketTicks, endTick,
    predictions: rowsOf(predictionSeqs).map((row) => ({ ...row, horizonTicks: (row.at ?? row.tick) - row.tick })),
    anomalies: rowsOf(anomalySeqs),
    actions: rowsOf(actionSeqs),
    totals: { predictions: predictionSeqs.length, anomalies: anomalySeqs.length, actions: actionSeqs.length },
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Health for a spec without an autonomy: key whose placement still decides by itself (failover
 * on a node crash, readiness probes): those moves and readiness changes, in words; undefined
 * when the spec has neither.
 */
function placementView(kernel: Kernel): HealthView | undefined {
  const { spec } = kernel;
  if (!spec.cluster.failover && !spec.agents.some((agent) => agent.readiness)) return undefined;
  const { journal } = kernel.machine;
  const seqs: number[] = [];
  for (let seq = 0, end = kernel.cursor; seq < end; seq++) if (PLACEMENT_TYPES.has(journal.type(seq))) seqs.push(seq);
  return {
    mode: 'none', failover: spec.cluster.failover === true, readiness: spec.agents.some((agent) => agent.readiness !== undefined), tune: false, detectors: [], signals: [], bucketTicks: 1, endTick: Math.max(1, kernel.tick),
    predictions: [], anomalies: [],
    actions: seqs.slice(Math.max(0, seqs.length - HEALTH_ROWS_MAX)).map((seq) => placementRow(kernel, seq)),
    totals: { predictions: 0, anomalies: 0, actions: seqs.length },
  };
}

export { AnomalyKind, kindOf, subjectOf };

const PLACEMENT_TYPES = new Set<number>([E['process/migrated'], E['process/unplaced'], E['probe/ready'], E['probe/unready']]);

/** process/migrated, process/unplaced, probe/ready or probe/unready in its words. */
function placementRow(kernel: Kernel, seq: number): AutonomyRow {
  const journal = kernel.machine.journal;
  // The events list shows the process beside these words; a Health row says it first.
  const words = failoverEventText(kernel, seq) ?? '';
  const name = processName(kernel, journal.pid(seq));
  const text = journal.pid(seq) >= 0 && !words.includes(name) ? `${name}: ${words}` : words;
  return { kind: EVENT_TYPES[journal.type(seq)], seq, tick: journal.tick(seq), pid: journal.pid(seq), node: journal.node(seq), cause: journal.cause(seq), text };
}
