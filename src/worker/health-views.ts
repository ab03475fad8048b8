// The Health panel's view: each detector's signal over the run with its threshold, the
// predictions with their horizon, the anomalies and the actions taken (kernel/autonomy/). One
// pass over the journal up to the cursor, bucketed into at most HEALTH_POINTS points a signal.
import type { Kernel } from '../kernel/kernel';
import { EVENT_TYPES, EventCode as E, InterventionKind } from '../kernel/events';
import { failoverEventText } from './failover-text';
import { ANOMALY_NAMES, AnomalyKind, kindOf, subjectOf } from '../kernel/autonomy/codes';
import { autonomyReport, type AutonomyRow } from '../kernel/autonomy/report';
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
  mode: 'off' | 'detect' | 'heal';
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
  if (mode === null || !autonomy) return undefined;
  const { journal, state } = kernel.machine;
  const source = { spec: kernel.spec, journal, state, boot: kernel.ctx.boot };
  const report = autonomyReport(source, kernel.cursor, Number.MAX_SAFE_INTEGER);
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
  const limitOf = (pid: number) => kernel.spec.agents[kernel.ctx.boot[pid]?.agent ?? state.procAgent[pid]]?.memoryBytes ?? 1;
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
    }
    const bucket = bucketOf(journal.tick(seq));
    if (touchedPid >= 0) heapPeak[bucket] = Math.max(heapPeak[bucket], (heap[touchedPid] * 100) / Math.max(1, limitOf(touchedPid)));
    if (touchedChannel >= 0) queuePeak[bucket] = Math.max(queuePeak[bucket], (occupancy[touchedChannel] * 100) / Math.max(1, capacity[touchedChannel]));
  }

  const findings = new Array<number>(ANOMALY_NAMES.length).fill(0);
  for (const row of report.rows) if (row.kind === 'anomaly/detected' || row.kind === 'anomaly/predicted') findings[ANOMALY_NAMES.indexOf(row.detector as (typeof ANOMALY_NAMES)[number])]++;
  const d = AUTONOMY_DEFAULTS;
  const window = msText(autonomy.windowTicks ?? d.windowTicks);
  const thresholds: Record<string, string> = {
    leak: `heap growing with frees under half its allocations, 2 windows of ${window}; predicted within ${msText(autonomy.horizonTicks)} of its limit`,
    hog: `${autonomy.hogPpm / 10_000}% of the node's CPU over ${window} while others wait`,
    starvation: `runnable without running for more than ${msText(autonomy.starvationTicks)} and two rounds of its node's run queue`,
    congestion: `${autonomy.congestionPpm / 10_000}% of capacity for ${window}; predicted within ${msText(autonomy.horizonTicks)} of full`,
    'crash-loop': `${autonomy.crashLoopRestarts} restarts within ${msText(autonomy.crashWindowTicks)}`,
    deadlock: 'a waits-for cycle',
  };
  const detectors = ANOMALY_NAMES.map((name, index) => ({ name, on: autonomy.detect.includes(name), threshold: thresholds[name], findings: findings[index] }));
  const signals: HealthSignal[] = [];
  if (autonomy.detect.includes('leak')) signals.push({ detector: 'leak', label: 'largest heap, % of its process\'s memory limit', percent: heapPeak.map(round), thresholdPercent: 100 });
  if (autonomy.detect.includes('congestion') && kernel.spec.channels.length > 0) signals.push({ detector: 'congestion', label: 'fullest channel, % of its capacity', percent: queuePeak.map(round), thresholdPercent: autonomy.congestionPpm / 10_000 });

  const rows = report.rows;
  const last = <T>(list: T[]) => list.slice(Math.max(0, list.length - HEALTH_ROWS_MAX));
  const predictions = rows.filter((row) => row.kind === 'anomaly/predicted');
  const anomalies = rows.filter((row) => row.kind === 'anomaly/detected');
  // Heals and tuning, and what placement and readiness decided (moves, refused moves, ready or not), in seq order.
  const actions = [...rows.filter((row) => row.kind.startsWith('heal/') || row.kind === 'tune/switched'), ...placementRows(kernel)].sort((x, y) => x.seq - y.seq);
  return {
    mode, tune: autonomy.tune, detectors, signals, bucketTicks, endTick,
    predictions: last(predictions).map((row) => ({ ...row, horizonTicks: (row.at ?? row.tick) - row.tick })),
    anomalies: last(anomalies),
    actions: last(actions),
    totals: { predictions: predictions.length, anomalies: anomalies.length, actions: actions.length },
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

export { AnomalyKind, kindOf, subjectOf };

const PLACEMENT_TYPES = new Set<number>([E['process/migrated'], E['process/unplaced'], E['probe/ready'], E['probe/unready']]);

/** process/migrated, process/unplaced, probe/ready and probe/unready up to the cursor, each in its words. */
function placementRows(kernel: Kernel): AutonomyRow[] {
  const journal = kernel.machine.journal;
  const rows: AutonomyRow[] = [];
  for (let seq = 0; seq < kernel.cursor; seq++) {
    const type = journal.type(seq);
    if (!PLACEMENT_TYPES.has(type)) continue;
    rows.push({ kind: EVENT_TYPES[type], seq, tick: journal.tick(seq), pid: journal.pid(seq), node: journal.node(seq), cause: journal.cause(seq), text: failoverEventText(kernel, seq) ?? '' });
  }
  return rows;
}
