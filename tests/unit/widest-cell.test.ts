// The query grid sizes a number column by its widest text (src/query/columns.ts): the fast way
// (integers by their extremes) gives what reading every cell gives.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellText, widestCellText, type ResultColumn } from '../../src/query/columns';

const everyCell = (column: ResultColumn, rows: number) => {
  let chars = column.name.length;
  for (let row = 0; row < rows; row++) chars = Math.max(chars, cellText(column, row).length);
  return chars;
};

describe('widestCellText', () => {
  it('equals the longest cell text (or the name) for any numbers: integers, negatives, NULLs, fractions, huge', () => {
    const value = fc.oneof(
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.constant(NaN),
      fc.double({ noNaN: false }),
      fc.constantFrom(1e21, -1e21, 999999999999999900000, Number.MAX_SAFE_INTEGER, -0, Infinity),
    );
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.array(value, { maxLength: 40 }), (name, values) => {
      const column: ResultColumn = { name, numbers: Float64Array.from(values) };
      expect(widestCellText(column, values.length)).toBe(everyCell(column, values.length));
    }), { numRuns: 500, seed: 14 });
  });

  it('reads text columns cell by cell', () => {
    const column: ResultColumn = { name: 'type', values: ['sched/switched', null, 7] };
    expect(widestCellText(column, 3)).toBe('sched/switched'.length);
  });
});
