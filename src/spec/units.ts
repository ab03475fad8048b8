// Units of the spec format: sizes (B, KiB, MiB, GiB) to bytes, durations (us, ms, s) to ticks
// (1 tick = 1 µs), latency ranges (`1ms..5ms`), rates (`100/ms`, `5/10ms`) and probabilities
// (`0.01`, `1%`) to parts per million. Integers only: every parser here reads the text itself
// (never multiplies floats), and returns null when the text is not of its form.

import { PPM_ONE } from './limits';
import type { RateSpec, TickRange } from './types';

export const SIZE_UNITS: readonly (readonly [string, number])[] = [
  ['GiB', 1024 * 1024 * 1024],
  ['MiB', 1024 * 1024],
  ['KiB', 1024],
  ['B', 1],
];

export const DURATION_UNITS: readonly (readonly [string, number])[] = [
  ['s', 1_000_000],
  ['ms', 1000],
  ['us', 1],
];

const SIZE_PATTERN = /^(\d{1,16}) ?(B|KiB|MiB|GiB)$/;
const DURATION_PATTERN = /^(\d{1,16}) ?(us|µs|ms|s)$/;
const RATE_PATTERN = /^(\d{1,16}) ?\/ ?(\d{1,16})? ?(us|µs|ms|s)$/;

function unitFactor(units: readonly (readonly [string, number])[], unit: string): number {
  for (const [name, factor] of units) if (name === unit) return factor;
  return 0;
}

function exactProduct(count: string, factor: number): number | null {
  const value = Number(count) * factor;
  return Number.isSafeInteger(value) ? value : null;
}

/** `256B`, `4KiB`, `64MiB`, `1GiB` (an optional space before the unit) -> bytes, else null. */
export function parseSize(text: string): number | null {
  const match = SIZE_PATTERN.exec(text.trim());
  if (!match) return null;
  return exactProduct(match[1], unitFactor(SIZE_UNITS, match[2]));
}

/** `10us`, `200ms`, `2s` -> ticks, else null. */
export function parseDuration(text: string): number | null {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return null;
  const unit = match[2] === 'µs' ? 'us' : match[2];
  return exactProduct(match[1], unitFactor(DURATION_UNITS, unit));
}

/** `1ms..5ms` -> {minTicks, maxTicks}; a single duration gives min = max. Null if malformed or min > max. */
export function parseTickRange(text: string): TickRange | null {
  const parts = text.split('..');
  if (parts.length > 2) return null;
  const minTicks = parseDuration(parts[0]);
  const maxTicks = parts.length === 2 ? parseDuration(parts[1]) : minTicks;
  if (minTicks === null || maxTicks === null || minTicks > maxTicks) return null;
  return { minTicks, maxTicks };
}

/** `100/ms` -> {count: 100, windowTicks: 1000}; `5/10ms` -> {5, 10000}. Null if malformed. */
export function parseRate(text: string): RateSpec | null {
  const match = RATE_PATTERN.exec(text.trim());
  if (!match) return null;
  const unit = match[3] === 'µs' ? 'us' : match[3];
  const count = Number(match[1]);
  const windowTicks = exactProduct(match[2] ?? '1', unitFactor(DURATION_UNITS, unit));
  if (!Number.isSafeInteger(count) || windowTicks === null) return null;
  return { count, windowTicks };
}

/**
 * A probability as parts per million: a number or decimal text from 0 to 1 with at most six
 * decimals (`0`, `1`, `0.25`, `0.000001`), or a percentage with at most four (`2.5%`). Read
 * digit by digit, so `0.01` is exactly 10000. Null if malformed or outside 0..1.
 */
export function parseProbabilityPpm(value: string | number): number | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const percent = text.endsWith('%');
  const body = percent ? text.slice(0, -1).trim() : text;
  const decimalsMax = percent ? 4 : 6;
  const match = /^(\d{1,7})(?:\.(\d+))?$/.exec(body);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > decimalsMax) return null;
  // Six decimals of a probability, or four of a percentage, are both parts per million.
  const ppm = Number(match[1] + fraction.padEnd(decimalsMax, '0'));
  return ppm <= PPM_ONE ? ppm : null;
}

function formatWithUnits(value: number, units: readonly (readonly [string, number])[]): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot format ${value}: expected a non-negative integer`);
  for (const [name, factor] of units) {
    if (value !== 0 && value % factor === 0) return `${value / factor}${name}`;
  }
  return `0${units[units.length - 1][0]}`;
}

/** Bytes -> the largest unit that divides it exactly: 4096 -> `4KiB`, 1000 -> `1000B`. */
export function formatSize(bytes: number): string {
  return formatWithUnits(bytes, SIZE_UNITS);
}

/** Ticks -> the largest unit that divides it exactly: 2000 -> `2ms`, 1500 -> `1500us`. */
export function formatDuration(ticks: number): string {
  return formatWithUnits(ticks, DURATION_UNITS);
}

/** Ppm -> the shortest decimal text `parseProbabilityPpm` reads back: 10000 -> `0.01`. */
export function formatProbabilityPpm(ppm: number): string {
  if (!Number.isInteger(ppm) || ppm < 0 || ppm > PPM_ONE) throw new RangeError(`cannot format ${ppm} ppm`);
  if (ppm === PPM_ONE) return '1';
  const fraction = String(ppm).padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? '0' : `0.${fraction}`;
}

/** Rate -> `100/ms` or `5/10ms`. */
export function formatRate(rate: RateSpec): string {
  const window = formatDuration(rate.windowTicks);
  return /^1[a-zµ]/.test(window) ? `${rate.count}/${window.slice(1)}` : `${rate.count}/${window}`;
}
