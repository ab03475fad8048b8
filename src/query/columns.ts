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
