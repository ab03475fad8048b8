// A query's result as columns, the form it crosses to the page in: a numeric column is one
// Float64Array (transferred, NaN for NULL), any other a plain array. 100,000 rows of numbers cost
// the page nothing to receive; the grid reads cells by index, the chart takes the arrays as they are.
import type { QueryResult, QueryValue } from './engine';

export interface ResultColumn {
  name: string;
  /** Every non-NULL value is a number: the values, NaN for NULL. */
  numbers?: Float64Array;
  values?: QueryValue[];
}

export interface ResultTable {
  columns: ResultColumn[];
  rowCount: number;
  truncated: boolean;
  ms: number;
}

export function toColumns(result: QueryResult): ResultTable {
  const columns = result.columns.map((name, index): ResultColumn => {
    let numeric = true;
    for (const row of result.rows) {
      const value = row[index];
      if (value !== null && typeof value !== 'number') {
        numeric = false;
        break;
      }
    }
    if (!numeric) return { name, values: result.rows.map((row) => row[index]) };
    return { name, numbers: Float64Array.from(result.rows, (row) => (row[index] === null ? NaN : (row[index] as number))) };
  });
  return { columns, rowCount: result.rows.length, truncated: result.truncated, ms: result.ms };
}

export const columnBuffers = (table: ResultTable): ArrayBuffer[] =>
  table.columns.flatMap((column) => (column.numbers ? [column.numbers.buffer as ArrayBuffer] : []));

/** One cell as text, for the grid. */
export function cellText(column: ResultColumn, row: number): string {
  if (column.numbers) {
    const value = column.numbers[row];
    return Number.isNaN(value) ? 'NULL' : String(value);
  }
  const value = column.values![row];
  return value === null ? 'NULL' : String(value);
}

/**
 * The longest text a column shows in its `rowCount` cells, or its name if longer, in characters:
 * what the grid sizes a number column by. A result may hold 100,000 rows: a column of integers
 * (nearly all) needs only its extremes' text, so no string is made per row; others are read as shown.
 */
export function widestCellText(column: ResultColumn, rowCount: number): number {
  let chars = column.name.length;
  const numbers = column.numbers;
  if (numbers) {
    let min = Infinity, max = -Infinity, nullRow = -1, plain = true;
    // below 1e21 an integer is written in full, so its text grows with its size
    for (let row = 0; row < rowCount && plain; row++) {
      const value = numbers[row];
      if (Number.isNaN(value)) nullRow = row;
      else if (!Number.isInteger(value) || Math.abs(value) >= 1e21) plain = false;
      else {
        if (value < min) min = value;
        if (value > max) max = value;
      }
    }
    if (plain) {
      if (nullRow >= 0) chars = Math.max(chars, cellText(column, nullRow).length);
      // (a number's cell is String(value), as in cellText)
      return min <= max ? Math.max(chars, String(min).length, String(max).length) : chars;
    }
  }
  for (let row = 0; row < rowCount; row++) chars = Math.max(chars, cellText(column, row).length);
  return chars;
}
