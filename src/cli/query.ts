// `agentos query <spec | link | session.json> "<SQL>" [--events N] [--json | --csv]`: runs the
// spec (or replays the session) headless, loads KernelQL's tables at the end, and prints the
// query's result: an aligned table, one JSON object ({columns, rows, truncated}), or CSV.
import type { Kernel } from '../kernel/kernel';
import { QueryEngine, type QueryError, type QueryResult, type QueryValue } from '../query/engine';
import { loadSqlite } from '../query/sqlite';
import { kernelSource } from '../query/source';
import { syncEngine } from '../query/sync';

export type QueryFormat = 'table' | 'json' | 'csv';

/** An RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
const csvField = (value: QueryValue): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function formatResult(result: QueryResult, format: QueryFormat): string {
  if (format === 'json') return JSON.stringify(result satisfies QueryResult, ['columns', 'rows', 'truncated']);
  if (format === 'csv') return [result.columns, ...result.rows].map((row) => row.map(csvField).join(',')).join('\r\n');
  const cells = [result.columns, ...result.rows.map((row) => row.map((value) => (value === null ? 'NULL' : String(value))))];
  const widths = result.columns.map((_, column) => Math.max(...cells.map((line) => line[column].length)));
  const lines = cells.map((line, index) => line.map((cell, column) =>
    (index > 0 && typeof result.rows[index - 1][column] === 'number' ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd());
  lines.push(`(${result.rows.length.toLocaleString('en')} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ', cut at this limit' : ''})`);
  return lines.join('\n');
}

/** The error with the query's line and a caret under the place it names. */
export function formatQueryError(sql: string, error: QueryError): string {
  if (error.line === undefined || error.column === undefined) return `query error: ${error.message}`;
  const line = sql.split('\n')[error.line - 1] ?? '';
  return `query error at ${error.line}:${error.column}: ${error.message}\n  ${line}\n  ${' '.repeat(error.column - 1)}^`;
}

/** Loads the kernel's journal and state into a fresh engine and runs `sql`. */
export async function queryKernel(kernel: Kernel, sql: string): Promise<{ ok: true; text: QueryResult } | { ok: false; error: QueryError }> {
  const engine = new QueryEngine(await loadSqlite());
  try {
    await syncEngine(engine, kernelSource(() => kernel));
    const outcome = engine.query(sql);
    return outcome.ok ? { ok: true, text: outcome.value } : outcome;
  } finally {
    engine.close();
  }
}
