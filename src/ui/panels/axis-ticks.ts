// The value axes of the Metrics charts: where the y scale ends and where its ticks go, so that
// every label is distinct and means what it says. Counts tick at whole numbers, bytes at powers of
// two (0 B, 512 B, 1 KiB, never "1 B, 1 B, 0 B" for a heap at zero), rates at 1, 2, 5 × 10^k
// with as many decimals as the step needs. A series that is zero everywhere still gets a short,
// honest axis (0..1, 0..1 KiB) rather than a range squeezed out of nothing; counts and bytes never
// get less than that (no fractional bytes or processes on an axis).
import { formatBytes } from './viz';

export type AxisKind = 'count' | 'bytes' | 'rate';

/** At most this many steps from 0 to the top of the scale (bytes step by doubling: fewer). */
const AXIS_STEPS_MAX: Record<AxisKind, number> = { count: 4, bytes: 3, rate: 4 };
/** Room above the highest value so the line does not touch the top. */
const HEADROOM = 1.1;
/** The scale of a series at zero everywhere, and the least one for counts and bytes (a mean of
 *  0.3 runnable still reads against 0 and 1; a heap of 3 B against 0..1 KiB). */
const ZERO_TOP: Record<AxisKind, number> = { count: 1, bytes: 1024, rate: 1 };

/** The top of the y scale for data whose largest value is `max` (>= 0). */
export function axisTop(max: number, kind: AxisKind): number {
  if (!Number.isFinite(max) || max <= 0) return ZERO_TOP[kind];
  return kind === 'rate' ? max * HEADROOM : Math.max(ZERO_TOP[kind], max * HEADROOM);
}

/** The smallest step of the kind's sequence that covers `top` in at most AXIS_STEPS_MAX[kind] steps. */
export function axisStep(top: number, kind: AxisKind): number {
  const wanted = top / AXIS_STEPS_MAX[kind];
  if (kind === 'bytes') {
    let step = 1;
    while (step < wanted) step *= 2;
    return step;
  }
  const power = 10 ** Math.floor(Math.log10(Math.max(wanted, Number.MIN_VALUE)));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= wanted * (1 - 1e-9)) ?? 10 * power;
  return kind === 'count' ? Math.max(1, Math.round(step)) : step;
}

function decimalsOf(step: number): number {
  return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

/**
 * A value axis for integers that may be negative (a watch): from min(0, lowest) to max(0, highest)
 * or above, at 1, 2, 5 × 10^k steps, so it always has at least two distinct labels.
 */
export function integerAxis(lowest: number, highest: number): { bottom: number; top: number; ticks: number[]; labels: string[] } {
  const low = Number.isFinite(lowest) ? Math.min(0, Math.floor(lowest)) : 0;
  const high = Number.isFinite(highest) ? Math.max(low + 1, 0, Math.ceil(highest)) : low + 1;
  const step = axisStep(high - low, 'count');
  const bottom = Math.floor(low / step) * step || 0; // never -0
  const top = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let tick = bottom; tick <= top && ticks.length <= AXIS_STEPS_MAX.count + 2; tick += step) ticks.push(tick);
  return { bottom, top, ticks, labels: ticks.map((tick) => tick.toLocaleString('en')) };
}

/** Ticks from 0 up to `top` (inclusive), one step apart, and their labels. */
export function axisTicks(top: number, kind: AxisKind): { ticks: number[]; labels: string[] } {
  const step = axisStep(top, kind);
  const decimals = decimalsOf(step);
  const ticks: number[] = [];
  for (let index = 0; index <= AXIS_STEPS_MAX[kind] + 1 && index * step <= top * (1 + 1e-9); index++) {
    ticks.push(kind === 'rate' ? Number((index * step).toFixed(decimals)) : index * step);
  }
  // Bytes: "1 KiB", "1.5 MiB" (formatBytes gives 2 digits under 10; a tick needs only its own).
  const labels = ticks.map((tick) => (kind === 'bytes' ? formatBytes(tick).replace(/\.(\d*?)0+(?= )/, (_, kept: string) => (kept ? `.${kept}` : '')) : tick.toFixed(decimals)));
  return { ticks, labels };
}
