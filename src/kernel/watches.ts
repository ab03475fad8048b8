// The spec's watches (and any expression) over time: their value at the cursor, and a series over
// a range of events for Metrics, CSV export and KernelQL's `watches` table (seq, tick, name,
// value). A series re-executes the range (seek, then one event at a time), reading the value
// after each event, and puts the cursor back. Bounded: at most WATCH_POINTS_MAX points, evenly
// spaced over the range (every event when the range is shorter).
import type { Compiled } from '../expr/index';
import { ExprError, toInteger } from '../expr/index';
import type { Kernel } from './kernel';
import { compileSpecExpression } from './spec-checks';

export const WATCH_POINTS_MAX = 4096;

export interface WatchSeries {
  /** The event after which each point was read (cursor - 1). */
  readonly seq: Float64Array;
  readonly tick: Float64Array;
  /** One column per watch, in the order given; a condition reads 1 or 0. */
  readonly values: readonly { readonly name: string; readonly values: Float64Array }[];
}

/** The spec's watches, compiled (SpecExpressionError if one does not check). */
export function specWatches(kernel: Kernel): { name: string; compiled: Compiled }[] {
  return kernel.spec.watches.map((watch) => ({
    name: watch.name,
    compiled: compileSpecExpression(kernel.spec, watch.expr, { path: `watch.${watch.name}`, line: watch.line, column: watch.column }, 'value'),
  }));
}

/** Each watch's value at the cursor. */
export function watchValues(kernel: Kernel, watches: readonly { name: string; compiled: Compiled }[]): Record<string, number> {
  const view = kernel.exprView;
  return Object.fromEntries(watches.map(({ name, compiled }) => [name, toInteger(compiled.evaluate(view))]));
}

/**
 * The watches' values after events from..to-1 of the current branch (at most `pointsMax` of
 * them, evenly spaced); the cursor comes back where it was.
 */
export function watchSeries(
  kernel: Kernel, watches: readonly { name: string; compiled: Compiled }[],
  range: { from?: number; to?: number; pointsMax?: number } = {},
): WatchSeries {
  const end = Math.min(range.to ?? kernel.machine.journal.length, kernel.machine.journal.length);
  const from = Math.max(0, Math.min(range.from ?? 0, end));
  const pointsMax = Math.max(1, Math.min(range.pointsMax ?? WATCH_POINTS_MAX, WATCH_POINTS_MAX));
  const span = end - from;
  const count = Math.min(span, pointsMax);
  const seq = new Float64Array(count), tick = new Float64Array(count);
  const columns = watches.map(({ name }) => ({ name, values: new Float64Array(count) }));
  const start = kernel.cursor;
  const view = kernel.exprView;
  for (let point = 0; point < count; point++) {
    // Point k reads the state after event from + floor((k + 1) * span / count) - 1: the last point is the range's end.
    const cursor = from + Math.floor(((point + 1) * span) / count);
    if (cursor !== kernel.cursor) kernel.seek(cursor);
    seq[point] = cursor - 1;
    tick[point] = kernel.tick;
    watches.forEach(({ compiled }, index) => (columns[index].values[point] = toInteger(compiled.evaluate(view))));
  }
  if (kernel.cursor !== start) kernel.seek(start);
  return { seq, tick, values: columns };
}

/**
 * The session's watches: the spec's, then those added in the UI or the shell (an added one whose
 * expression no longer checks against the spec is left out, as the Metrics panel does).
 */
export function sessionWatches(kernel: Kernel): { name: string; expr: string; compiled: Compiled }[] {
  const list = specWatches(kernel).map(({ name, compiled }) => ({ name, expr: compiled.text, compiled }));
  for (const { name, expr } of kernel.addedWatches) {
    try {
      list.push({ name, expr, compiled: kernel.expression(expr, 'value') });
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
    }
  }
  return list;
}

/** KernelQL's `watches` table as columns: one series per watch at the same points. */
export interface WatchTable {
  /** Equal keys, equal tables (the branch's run key and length, and the watches). */
  key: string;
  seq: Float64Array;
  tick: Float64Array;
  names: string[];
  values: Float64Array[];
}

const watchTables = new WeakMap<Kernel, WatchTable>();

/**
 * The session's watches over the whole branch, read as the Metrics series reads them: after every
 * event of a branch of up to WATCH_POINTS_MAX events, at WATCH_POINTS_MAX evenly spaced points of
 * a longer one. Cached until the branch or the watches change.
 */
export function watchTable(kernel: Kernel): WatchTable {
  const list = sessionWatches(kernel);
  const events = kernel.machine.journal.length;
  const key = JSON.stringify([kernel.runKey(events), events, list.map(({ name, expr }) => [name, expr])]);
  const cached = watchTables.get(kernel);
  if (cached?.key === key) return cached;
  const series = list.length ? watchSeries(kernel, list) : { seq: new Float64Array(0), tick: new Float64Array(0), values: [] };
  const table: WatchTable = { key, seq: series.seq, tick: series.tick, names: list.map(({ name }) => name), values: series.values.map((column) => column.values) };
  watchTables.set(kernel, table);
  return table;
}
