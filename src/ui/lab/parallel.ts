// Parallel coordinates over an experiment's trials (pure, tested in Node): one axis per varied
// thing (the variant when there are several, each grid key, in the plan's order) and one per
// metric; each trial is a line through its position on every axis. Categorical axes (variants,
// grid values as written) space their values evenly in plan order; numeric axes (metrics) run
// from their lowest to highest value. A brush on an axis keeps the trials inside it; brushes on
// several axes keep the trials inside all of them (the trials table shows only those).
import type { Plan, PlanValue } from '../../lab/plan';
import type { TrialLine } from '../../lab/trial';

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
  readonly valueOf: (line: TrialLine) => number;
}
export type Axis = CategoryAxis | NumberAxis;

/** A brush: the part of an axis kept, as fractions 0 (bottom) .. 1 (top). */
export interface Brush { readonly from: number; readonly to: number }

const text = (value: PlanValue | undefined) => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** The axes for a plan's lines: variant (if several), grid keys, metrics. */
export function axesOf(plan: Plan, lines: readonly TrialLine[]): Axis[] {
  const axes: Axis[] = [];
  if (plan.variants.length > 1) {
    axes.push({ kind: 'category', name: 'variant', categories: plan.variants.map((variant) => variant.name), valueOf: (line) => line.variant });
  }
  for (const grid of plan.grid) {
    axes.push({ kind: 'category', name: grid.path, categories: grid.values.map((value) => text(value.value)), valueOf: (line) => text(line.params[grid.path]) });
  }
  for (const metric of plan.metrics) {
    let low = Infinity, high = -Infinity;
    for (const line of lines) {
      const value = line.metrics[metric.name];
      if (!Number.isFinite(value)) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
    if (low === Infinity) { low = 0; high = 1; }
    if (low === high) { low -= 1; high += 1; }
    axes.push({ kind: 'number', name: metric.name, low, high, valueOf: (line) => line.metrics[metric.name] });
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

/** The value at a position of a numeric axis (for its labels and a brush's words). */
export const valueAt = (axis: NumberAxis, at: number) => axis.low + at * (axis.high - axis.low);

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
    const round = (value: number) => Number(value.toPrecision(3));
    return `${axis.name} ${round(valueAt(axis, low))}–${round(valueAt(axis, high))}`;
  }
  const n = axis.categories.length;
  const kept = axis.categories.filter((_, i) => { const at = n === 1 ? 0.5 : i / (n - 1); return at >= low - padOf(axis) && at <= high + padOf(axis); });
  return `${axis.name} ${kept.join(', ') || '(none)'}`;
}
