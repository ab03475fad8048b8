// The Metrics charts' value axes (src/ui/panels/axis-ticks.ts): distinct labels for zero and
// small ranges ("0 B, 512 B, 1 KiB", never "0 B, 1 B, 1 B"), whole counts, powers of two for
// bytes, 1-2-5 steps for rates, ticks that never pass the top of the scale.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { axisStep, axisTicks, axisTop, integerAxis, type AxisKind } from '../../src/ui/panels/axis-ticks';

const labels = (max: number, kind: AxisKind) => axisTicks(axisTop(max, kind), kind).labels;

describe('axis ticks', () => {
  it('a series at zero gets a short honest axis with distinct labels', () => {
    expect(labels(0, 'bytes')).toEqual(['0 B', '512 B', '1 KiB']);
    expect(labels(0, 'count')).toEqual(['0', '1']);
    expect(labels(0, 'rate')).toEqual(['0.0', '0.5', '1.0']);
  });

  it('small and ordinary ranges: whole bytes and counts, decimals only as the step needs', () => {
    expect(labels(3, 'bytes')).toEqual(['0 B', '512 B', '1 KiB']);
    expect(labels(3000, 'bytes')).toEqual(['0 B', '2 KiB']);
    expect(labels(0.3, 'count')).toEqual(['0', '1']);
    expect(labels(260 * 1024, 'bytes')).toEqual(['0 B', '128 KiB', '256 KiB']);
    expect(labels(1.4 * 2 ** 20, 'bytes')).toEqual(['0 B', '1 MiB']);
    expect(labels(1.1 * 2 ** 20, 'bytes')).toEqual(['0 B', '512 KiB', '1 MiB']);
    expect(labels(4, 'count')).toEqual(['0', '2', '4']);
    expect(labels(1, 'count')).toEqual(['0', '1']);
    expect(labels(28.6, 'rate')).toEqual(['0', '10', '20', '30']);
    expect(labels(0.04, 'rate')).toEqual(['0.00', '0.02', '0.04']);
  });

  it('for any range: labels distinct, ticks ascending from 0, within the scale, at most 5', () => {
    for (const kind of ['count', 'bytes', 'rate'] as const) {
      for (const max of [0, 1e-3, 0.3, 1, 2, 7, 99, 1000, 12_345, 2 ** 20 + 1, 3e9]) {
        const top = axisTop(max, kind);
        const { ticks, labels: text } = axisTicks(top, kind);
        expect(ticks[0], `${kind} ${max}`).toBe(0);
        expect(new Set(text).size, `${kind} ${max}: ${text}`).toBe(text.length);
        expect(ticks.length, `${kind} ${max}`).toBeGreaterThanOrEqual(2);
        expect(ticks.length, `${kind} ${max}`).toBeLessThanOrEqual(5);
        expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(top * (1 + 1e-9));
        expect(top).toBeGreaterThanOrEqual(max);
        if (kind !== 'rate') expect(ticks.every(Number.isInteger), `${kind} ${max}`).toBe(true);
        if (kind === 'bytes') expect(Math.log2(axisStep(top, kind)) % 1).toBe(0);
      }
    }
  });
});

describe('integerAxis (watch charts)', () => {
  it('always has at least two distinct labels, covers the data, and starts at 0 or below the lowest value', () => {
    fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), (lowest, span) => {
      const highest = lowest + span;
      const axis = integerAxis(lowest, highest);
      expect(new Set(axis.labels).size).toBe(axis.labels.length);
      expect(axis.labels.length).toBeGreaterThanOrEqual(2);
      expect(axis.bottom).toBeLessThanOrEqual(Math.min(0, lowest));
      expect(axis.top).toBeGreaterThanOrEqual(highest);
      expect(axis.ticks[0]).toBe(axis.bottom);
      expect(axis.ticks[axis.ticks.length - 1]).toBe(axis.top);
    }), { numRuns: 300 });
    expect(integerAxis(5, 5).labels).toEqual(['0', '2', '4', '6']);
    expect(integerAxis(0, 0).labels).toEqual(['0', '1']);
    expect(integerAxis(Number.NaN, Number.NaN).labels).toEqual(['0', '1']);
  });
});
