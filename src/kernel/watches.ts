// The spec's watches (and any expression) over time: their value at the cursor, and a series over
// a range of events for Metrics, CSV export and KernelQL's `watches` table (seq, tick, name,
// value). A series re-executes the range (seek, then one event at a time), reading the value
// after each event, and puts the cursor back. Bounded: at most WATCH_POINTS_MAX points, evenly
// spaced over the range (every event when the range is shorter).
import type { Compiled } from '../expr/index';
import { toInteger } from '../expr/index';
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
