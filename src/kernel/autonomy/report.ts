// The autonomy's events of a run as rows: what `agentos run --json` lists (`autonomy`) and what the
// Health panel shows. Reads the journal (one pass up to the cursor, bounded by `limit` rows kept).
import { EVENT_SCHEMA, EventCode as E } from '../events';
import { ANOMALY_NAMES, kindOf, subjectOf } from './codes';
import { autonomyWords, type WordsSource } from './words';

/** Rows a report keeps (the counts still count every event). */
export const AUTONOMY_REPORT_ROWS_MAX = 1000;

export interface AutonomyRow {
  /** The event type: anomaly/detected, anomaly/predicted, heal/restarted, ..., workload/classified, tune/switched. */
  kind: string;
  seq: number;
  tick: number;
  pid: number;
  node: number;
  /** The event it answers (a heal: its anomaly). */
  cause: number;
  /** The detector, for anomalies and heals (leak, hog, starvation, congestion, crash-loop, deadlock). */
  detector?: string;
  /** A congestion's channel. */
  channel?: number;
  /** A prediction: the tick the limit would be reached at. */
  at?: number;
  text: string;
}

export interface AutonomyReport {
  rows: AutonomyRow[];
  /** Every autonomy event by kind, including rows past the limit. */
  counts: Record<string, number>;
}

const FIRST = E['anomaly/detected'], LAST = E['tune/switched'];

export function autonomyReport(source: WordsSource, cursor: number, limit = AUTONOMY_REPORT_ROWS_MAX): AutonomyReport {
  const { journal } = source;
  const rows: AutonomyRow[] = [];
  const counts: Record<string, number> = {};
  const end = Math.min(cursor, journal.length);
  for (let seq = 0; seq < end; seq++) {
    const type = journal.type(seq);
    if ((type < FIRST || type > LAST) && type !== E['heal/migrated']) continue;
    const kind = EVENT_SCHEMA[type][0];
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (rows.length >= limit) continue;
    const row: AutonomyRow = { kind, seq, tick: journal.tick(seq), pid: journal.pid(seq), node: journal.node(seq), cause: journal.cause(seq), text: autonomyWords(source, seq) ?? '' };
    if (type !== E['workload/classified'] && type !== E['tune/switched']) {
      const anomaly = journal.a(seq);
      row.detector = ANOMALY_NAMES[kindOf(anomaly)];
      if (row.detector === 'congestion') row.channel = subjectOf(anomaly);
    }
    if (type === E['anomaly/predicted']) row.at = journal.c(seq);
    rows.push(row);
  }
  return { rows, counts };
}
