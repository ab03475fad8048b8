// Parallel coordinates over an experiment's trials (pure, tested in Node): one axis per varied
// thing (the variant when there are several, each grid key, in the plan's order) and one per
// metric; each trial is a line through its position on every axis. Categorical axes (variants,
// grid values as written) space their values evenly in plan order; numeric axes (metrics) run
// from their lowest to highest value. A brush on an axis keeps the trials inside it; brushes on
// several axes keep the trials inside all of them (the Experiments tab's trials table shows only
// those). The tab draws them (src/ui/lab/ParallelCoords.svelte); the report too, as plain SVG.
import type { Plan, PlanValue } from './plan';
import type { TrialLine } from './trial';
import { formatNumber } from './stats';
import { valueAxis } from './ticks';

/** Labels on a metric's axis at most (the axes are some 200 px tall). */
export const PARALLEL_TICKS_MAX = 5;

export interface CategoryAxis {
  readonly kind: 'category';
  readonly name: string;
  /** The values in plan order, as text. */
  readonly categories: readonly string[];
  readonly valueOf: (line: TrialLine) => string;
}
export interface NumberAxis {
  readonly kind: 'number';
  readonly name: string;
  readonly low: number;
  readonly high: number;
  /** Round values to label, inside low..high (src/lab/ticks.ts); a metric the same in every trial: that value alone. */
  readonly ticks: readonly number[];
  readonly valueOf: (line: TrialLine) => number;
}
export type Axis = CategoryAxis | NumberAxis;

/** A brush: the part of an axis kept, as fractions 0 (bottom) .. 1 (top). */
export interface Brush { readonly from: number; readonly to: number }

const text = (value: PlanValue | undefined) => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** What varies in an experiment: its variants, its grid keys with their values (as text, in plan order), its metrics. */
export interface Shape {
  readonly variants: readonly string[];
  readonly grid: readonly { readonly path: string; readonly values: readonly string[] }[];
  readonly metrics: readonly string[];
}

/** The axes for a plan's lines: variant (if several), grid keys, metrics. */
export function axesOf(plan: Plan, lines: readonly TrialLine[]): Axis[] {
  return axesFrom({
    variants: plan.variants.map((variant) => variant.name),
    grid: plan.grid.map((grid) => ({ path: grid.path, values: grid.values.map((value) => text(value.value)) })),
    metrics: plan.metrics.map((metric) => metric.name),
  }, lines);
}

/**
 * The axes from the lines alone (the report has no plan): variants and grid values in order of
 * their first trial, which is plan order (trials are numbered variant-major, the grid's first
 * key slowest), the metrics of the first line.
 */
export function axesOfLines(lines: readonly TrialLine[]): Axis[] {
  const sorted = [...lines].sort((a, b) => a.trial - b.trial);
  const variants = [...new Set(sorted.map((line) => line.variant))];
  const paths = sorted.length === 0 ? [] : Object.keys(sorted[0].params);
  const grid = paths.map((path) => ({ path, values: [...new Set(sorted.map((line) => text(line.params[path])))] }));
  return axesFrom({ variants, grid, metrics: sorted.length === 0 ? [] : Object.keys(sorted[0].metrics) }, lines);
}

export function axesFrom(shape: Shape, lines: readonly TrialLine[]): Axis[] {
  const axes: Axis[] = [];
  if (shape.variants.length > 1) axes.push({ kind: 'category', name: 'variant', categories: shape.variants, valueOf: (line) => line.variant });
  for (const grid of shape.grid) axes.push({ kind: 'category', name: grid.path, categories: grid.values, valueOf: (line) => text(line.params[grid.path]) });
  for (const name of shape.metrics) {
    let low = Infinity, high = -Infinity, whole = true;
    for (const line of lines) {
      const value = line.metrics[name];
      if (!Number.isFinite(value)) continue;
      if (value < low) low = value;
      if (value > high) high = value;
      if (!Number.isInteger(value)) whole = false;
    }
    if (low === Infinity) { low = 0; high = 1; }
    // The axis runs from the lowest value to the highest (a trial at each end); the same value
    // in every trial: a round amount either side, the lines through its middle.
    const axis = valueAxis(low, high, { whole, max: PARALLEL_TICKS_MAX });
    axes.push({ kind: 'number', name, low: axis.low, high: axis.high, ticks: axis.ticks, valueOf: (line) => line.metrics[name] });
  }
  return axes;
}

/** Where a trial sits on an axis, 0 (bottom) .. 1 (top); NaN when it has no value there. */
export function position(axis: Axis, line: TrialLine): number {
  if (axis.kind === 'category') {
    const index = axis.categories.indexOf(axis.valueOf(line));
    if (index < 0) return NaN;
    return axis.categories.length === 1 ? 0.5 : index / (axis.categories.length - 1);
  }
  const value = axis.valueOf(line);
  return Number.isFinite(value) ? (value - axis.low) / (axis.high - axis.low) : NaN;
}

/** The value at a position of a numeric axis (for a brush's words). */
export const valueAt = (axis: NumberAxis, at: number) => axis.low + at * (axis.high - axis.low);
/** Where a value sits on a numeric axis, 0 (bottom) .. 1 (top): its ticks' places. */
export const positionOf = (axis: NumberAxis, value: number) => (value - axis.low) / (axis.high - axis.low);

/** A category's tick counts as inside a brush that ends this close to it (a brush drawn by hand just misses). */
const padOf = (axis: Axis) => (axis.kind === 'category' ? 0.02 : 1e-9);

/** The trials inside every brush (by axis name); all of them without a brush. */
export function brushed(lines: readonly TrialLine[], axes: readonly Axis[], brushes: Readonly<Record<string, Brush>>): TrialLine[] {
  const active = axes.filter((axis) => brushes[axis.name]);
  if (active.length === 0) return [...lines];
  return lines.filter((line) => active.every((axis) => {
    const brush = brushes[axis.name];
    const at = position(axis, line);
    const low = Math.min(brush.from, brush.to), high = Math.max(brush.from, brush.to);
    return at >= low - padOf(axis) && at <= high + padOf(axis);
  }));
}

/** A brush in words: `jobs 120–340`, `variant fair, eevdf`. */
export function brushText(axis: Axis, brush: Brush): string {
  const low = Math.min(brush.from, brush.to), high = Math.max(brush.from, brush.to);
  if (axis.kind === 'number') {
    return `${axis.name} ${formatNumber(valueAt(axis, low))}–${formatNumber(valueAt(axis, high))}`;
  }
  const n = axis.categories.length;
  const kept = axis.categories.filter((_, i) => { const at = n === 1 ? 0.5 : i / (n - 1); return at >= low - padOf(axis) && at <= high + padOf(axis); });
  return `${axis.name} ${kept.join(', ') || '(none)'}`;
}

/** A keyboard step along an axis, a new brush's size, and the narrowest a brush gets (fractions of the axis). */
export const BRUSH_STEP = 0.05;
export const BRUSH_NEW_SIZE = 0.25;
export const BRUSH_SIZE_MIN = 0.05;

/**
 * A key on a focused axis (the Experiments tab's parallel coordinates):
 * ↑ / ↓ move the brush by a step, its size kept (with no brush, ↓ starts one at the top, ↑ at
 * the bottom); Shift+↑ widens it, Shift+↓ narrows it (by its top edge; at the top, the bottom
 * edge moves); Home / End move it to the top / bottom; Escape or Delete clear it.
 * Returns the new brush (from ≤ to), null to clear it, or undefined when the key is not one of these.
 */
export function brushKey(brush: Brush | undefined, key: string, shift: boolean): Brush | null | undefined {
  if (key === 'Escape' || key === 'Delete') return null;
  if (!['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(key)) return undefined;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  if (!brush) {
    const atTop = key === 'ArrowDown' || key === 'Home';
    return atTop ? { from: 1 - BRUSH_NEW_SIZE, to: 1 } : { from: 0, to: BRUSH_NEW_SIZE };
  }
  let low = Math.min(brush.from, brush.to), high = Math.max(brush.from, brush.to);
  const size = high - low;
  if (key === 'Home') return { from: 1 - size, to: 1 };
  if (key === 'End') return { from: 0, to: size };
  const up = key === 'ArrowUp';
  if (shift) {
    if (up) {
      if (high < 1) high = Math.min(1, high + BRUSH_STEP);
      else low = Math.max(0, low - BRUSH_STEP);
    } else {
      high = Math.max(low + BRUSH_SIZE_MIN, high - BRUSH_STEP);
    }
    return { from: round(low), to: round(high) };
  }
  low = Math.max(0, Math.min(1 - size, low + (up ? BRUSH_STEP : -BRUSH_STEP)));
  return { from: low, to: low + size };
}
