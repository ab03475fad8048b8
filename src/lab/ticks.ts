// Value axes for the report's plots and the Experiments tab's parallel coordinates (pure): the
// range drawn and round ticks inside it ("nice numbers": steps of 1, 2 or 5 × 10^k, so 70,000
// 75,000 80,000, never 69,203 72,837 ...). A value that is the same in every trial gets an axis
// centred on it with that one tick: there is no range to mark off.

/** Ticks an axis carries at most, unless told otherwise. */
export const AXIS_TICKS_MAX = 5;

/** The steps tried per power of ten. */
const STEPS = [1, 2, 5] as const;

/** `value` rounded to the decimals `step` has (0.1 + 0.2 is written 0.3, not 0.30000000000000004). */
function onStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(20, decimals)));
}

/** The multiples of `step` from `low` to `high` (both included). */
function multiples(low: number, high: number, step: number): number[] {
  const first = Math.ceil(low / step - 1e-9), last = Math.floor(high / step + 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last && out.length <= 1000; i++) out.push(onStep(i * step, step) || 0); // `|| 0`: no -0
  return out;
}

/**
 * Round ticks from `low` to `high`: the multiples of the smallest 1-2-5 step that gives at most
 * `max` of them (at least 2 for any `max` ≥ 4). `whole`: the values are whole numbers (counts),
 * so no step under 1. A range of one value is that value alone.
 */
export function niceTicks(low: number, high: number, options: { max?: number; whole?: boolean } = {}): number[] {
  const max = Math.max(2, options.max ?? AXIS_TICKS_MAX);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [];
  if (!(high > low)) return [low];
  let power = 10 ** Math.floor(Math.log10((high - low) / max));
  if (options.whole && power < 1) power = 1;
  for (let tries = 0; tries < 64; tries++, power *= 10) {
    for (const step of STEPS) {
      const ticks = multiples(low, high, step * power);
      if (ticks.length <= max) return ticks.length > 0 ? ticks : [onStep((low + high) / 2, step * power)];
    }
  }
  return [low, high];
}

/** A 1-2-5 number at or under `value` (> 0): 7,035 → 5,000; 0.3 → 0.2. */
export function niceBelow(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [...STEPS].reverse().find((s) => s * power <= value * (1 + 1e-9)) ?? 1;
  return onStep(step * power, power);
}

export interface ValueAxis {
  /** The range drawn. */
  readonly low: number;
  readonly high: number;
  /** Round values inside it, ascending. */
  readonly ticks: readonly number[];
  /** Every value was the same: the axis is centred on it and `ticks` is that value alone. */
  readonly constant: boolean;
}

/**
 * The axis for values from `min` to `max`, `pad` of the range added each side (0.04: 4%), ticks
 * as `niceTicks`. Values all the same (`min === max`): the axis runs a round amount either side
 * of the value (a tenth of it, 1 for whole numbers at least; 1 about 0), one tick at the value.
 */
export function valueAxis(min: number, max: number, options: { pad?: number; max?: number; whole?: boolean } = {}): ValueAxis {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { low: 0, high: 1, ticks: [0, 1], constant: false };
  if (min === max) {
    const tenth = Math.abs(min) / 10;
    const half = Math.max(tenth > 0 ? niceBelow(tenth) : 1, options.whole ? 1 : 0);
    return { low: min - half, high: min + half, ticks: [min], constant: true };
  }
  const pad = (max - min) * (options.pad ?? 0);
  const low = min - pad, high = max + pad;
  return { low, high, ticks: niceTicks(low, high, options), constant: false };
}
